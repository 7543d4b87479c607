from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "publicsite"
    verbose_name = "Public site"
