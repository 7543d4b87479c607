from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = gettext_lazy("Contact alerts")

    def ready(self):
        from casetracker import health as project_health

        from . import health, signals  # noqa: F401

        for part, check in health.CHECKS.items():
            project_health.register(part, check, *filter(None, [health.CONFIGURED.get(part)]))
