from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Contact alerts"

    def ready(self):
        from casetracker import health as project_health

        from . import health, signals  # noqa: F401

        for part, check in health.CHECKS.items():
            project_health.register(part, check, *filter(None, [health.CONFIGURED.get(part)]))
