from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = gettext_lazy("Review")

    def ready(self):
        from casetracker import held_changes

        held_changes.connect()
