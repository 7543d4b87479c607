from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = gettext_lazy("Incidents, contacts and sources")
