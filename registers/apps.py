from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class RegistersConfig(AppConfig):
    name = "registers"
    verbose_name = gettext_lazy("Register imports")
