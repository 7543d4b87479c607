from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PublicConfig(AppConfig):
    name = "publicsite"
    verbose_name = "Public site"

    def ready(self):
        from .page_cache import after_migrate, connect_invalidation

        connect_invalidation()
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="publicsite-after-migrate")
