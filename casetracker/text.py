"""Text helpers: folding names for search (any script, any case, any transliteration habit), counts in words, and
stored values in words (histories and diffs)."""

import datetime
import re

from anyascii import anyascii
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casetracker.dates import add_months

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


def days(number):
    """ "1 day", "2,249 days": an exact count of days as the public pages print it."""
    return ngettext("%(count)s day", "%(count)s days", number) % {"count": number_format(number, force_grouping=True)}


def _years(number):
    return ngettext("%(count)s year", "%(count)s years", number) % {"count": number}


def _months(number):
    return ngettext("%(count)s month", "%(count)s months", number) % {"count": number}


def span(start, end):
    """How long from `start` to `end` (dates) in whole calendar units, the two largest: "6 years 1 month",
    "5 months 3 days", "20 days". Beside an exact day count, it is what a reader grasps ("2,249" is not)."""
    if end < start:
        raise ValueError(f"{end} is before {start}")
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    years, months = divmod(months, 12)
    rest = (end - add_months(start, 12 * years + months)).days
    units = [(years, _years), (months, _months), (rest, days)]
    first = next((index for index, (number, _unit) in enumerate(units) if number), len(units) - 1)
    return " ".join(unit(number) for number, unit in units[first : first + 2] if number) or days(0)


def beside_days(start, count):
    """What `count` days from `start` are in calendar units, to print beside the count ("3 years 9 months");
    "" when that would only repeat the count (under a month) or there is no count."""
    if count is None or count < 0:
        return ""
    words = span(start, start + datetime.timedelta(days=count))
    return "" if words == days(count) else words


def in_words(value, choices=()):
    """A stored value as a person reads it in a history or a diff: a choice by its label (`choices`: value, label
    pairs), yes/no, dates as written, "—" for nothing."""
    if value in (None, "", [], ()):
        return "—"
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j E Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j E Y")
    return str(value)
