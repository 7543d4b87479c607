from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Contact alerts"

    def ready(self):
        from . import signals  # noqa: F401
