from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy


class PublicConfig(AppConfig):
    name = "publicsite"
    verbose_name = gettext_lazy("Public site")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from events.models import Organisation
        from prisoners.models import Facility, Tag

        from .models import SharedRecords
        from .page_cache import after_migrate, connect_invalidation

        connect_invalidation()
        # Records many cases show (in their export rows too): an edit of one leaves every stored export row out of
        # date (publicsite.export_rows).
        for model in (Facility, Tag, Organisation):
            for signal in (post_save, post_delete):
                signal.connect(
                    SharedRecords.changed, sender=model, dispatch_uid=f"export-rows-{model.__name__}-{signal}"
                )
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="publicsite-after-migrate")
