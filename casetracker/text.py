"""Text helpers: folding names for search (any script, any case, any transliteration habit), counts in words, and
stored values in words (histories and diffs)."""

import datetime
import re

from anyascii import anyascii
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

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


def in_words(value, choices=()):
    """A stored value as a person reads it in a history or a diff: a choice by its label (`choices`: value, label
    pairs), yes/no, dates as written, "—" for nothing."""
    if value in (None, "", [], ()):
        return "—"
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)
