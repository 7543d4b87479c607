from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PrisonersConfig(AppConfig):
    name = "prisoners"
    verbose_name = "Prisoners"

    def ready(self):
        from casetracker.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="casetracker-roles")
