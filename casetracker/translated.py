"""Public texts in the site's languages: a researcher writes the original (a bio, an incident's description, a
source's title) in the language she has it in, and may add a translation per language beside it.

`translatable("bio")` is an abstract model mixin adding a column per site language (`bio_en`, `bio_be`,
`bio_ru`) and the `bio_translated` accessor: the text in the active language, else the original, which then
says which language it is in ("in English"). Plain columns on the record itself, so its history, its public
fields and the admin see translations like any other field. `written_in` (one per record, added once) is the
language the originals are written in.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy

LANGUAGE_NAMES = {
    "en": gettext_lazy("English"),
    "be": gettext_lazy("Belarusian"),
    "ru": gettext_lazy("Russian"),
}
# "(in English)" after a text shown in its original language: the phrase, not the adjective, differs by language.
IN_LANGUAGE = {
    "en": pgettext_lazy("a text's language", "in English"),
    "be": pgettext_lazy("a text's language", "in Belarusian"),
    "ru": pgettext_lazy("a text's language", "in Russian"),
}
CODES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Translated:
    """A text as one language's page shows it: `language` is the text's own (the `lang` attribute); `note`, when
    it is the original in another language than the page's, says so."""

    text: str
    language: str
    note: str = ""

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


# A translation's label in the admin, beside the original it translates.
TRANSLATION_LABELS = {
    "en": gettext_lazy("English translation"),
    "be": gettext_lazy("Belarusian translation"),
    "ru": gettext_lazy("Russian translation"),
}


def written_in():
    return models.CharField(
        gettext_lazy("texts written in"),
        max_length=2,
        blank=True,  # forms that leave it out keep the default
        choices=[(code, LANGUAGE_NAMES[code]) for code in CODES],
        default=settings.LANGUAGE_CODE,
        help_text=gettext_lazy("The language the original public texts of this record are written in."),
    )


def translatable(name, *, text=True):
    """An abstract model with `<name>_<code>` for each site language and `<name>_translated`."""

    def translated(self):
        original, original_language = getattr(self, name), self.written_in or settings.LANGUAGE_CODE
        language = translation.get_language()
        own = getattr(self, f"{name}_{language}", "") if language != original_language else ""
        if own:
            return Translated(own, language)
        if language == original_language or not original:
            return Translated(original, original_language)
        return Translated(original, original_language, str(IN_LANGUAGE.get(original_language, "")))

    field = models.TextField if text else models.CharField
    options = {} if text else {"max_length": 300}
    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        f"{name}_translated": property(translated),
        **{f"{name}_{code}": field(TRANSLATION_LABELS[code], blank=True, **options) for code in CODES},
    }
    return type(f"Translatable_{name}", (models.Model,), attrs)


def translation_fields(*names):
    """The translation columns of these texts (for PUBLIC_FIELDS and admin fieldsets)."""
    return tuple(f"{name}_{code}" for name in names for code in CODES)
