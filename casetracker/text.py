"""Text helpers: folding names for search (any script, any case, any transliteration habit) and counts in
words."""

import re

from anyascii import anyascii
from django.db import models

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text):
    """'Калеснікава' -> 'kalesnikava', 'Gomel'' -> 'gomel'."""
    return " ".join(_NOT_WORD.sub(" ", anyascii(text or "").lower()).split())


class FoldedField(models.CharField):
    """A search column kept equal to fold(source field) on every save."""

    def __init__(self, *args, source, **kwargs):
        self.source = source
        kwargs.update(editable=False, db_index=True, max_length=kwargs.get("max_length", 400))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        kwargs.pop("db_index", None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = fold(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def counted(number, noun):
    """ "1 alert", "12 alerts": a count in words for command output (nouns with a plain plural)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
