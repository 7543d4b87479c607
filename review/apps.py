from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review"

    def ready(self):
        from casetracker import held_changes

        held_changes.connect()
