from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy


class PrisonersConfig(AppConfig):
    name = "prisoners"
    verbose_name = gettext_lazy("Prisoners")

    def ready(self):
        # Imported here: both need the app registry, which is only ready now.
        from casetracker.roles import sync_roles_after_migrate

        from . import clocks, display_names, facility_names, public_changes
        from .lapse import check_default_thresholds

        check_default_thresholds()
        clocks.connect()
        facility_names.connect()
        display_names.connect()
        public_changes.connect()
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="casetracker-roles")
        post_migrate.connect(clocks.fill_missing, sender=self, dispatch_uid="prisoners-fill-missing-clocks")
        post_migrate.connect(facility_names.fill, sender=self, dispatch_uid="prisoners-fill-facility-names")
