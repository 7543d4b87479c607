from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "publicsite"
    verbose_name = "Public site"

    def ready(self):
        from .page_cache import connect_invalidation

        connect_invalidation()
