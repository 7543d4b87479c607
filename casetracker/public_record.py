"""What a public page says of a record besides its content: its name in anchors, and its dates.

Neither may betray what the page does not show. Database ids count every record, internal ones
too (`#incident-1041` then `#incident-1047`: five hidden records in between), so public pages
name a record by its `public_id`, random and opaque. A public date (a case's "last updated", a
feed entry's <updated>) moves only when something the public sees changes: each model lists the
fields its public pages show (`PUBLIC_FIELDS`, next to the model), and prisoners.public_changes
compares them with the stored row on every write.
"""

import base64
import contextvars
import secrets
from contextlib import contextmanager

from django.db import models
from django.utils.translation import gettext_lazy

from .dates import ApproximateDayField, bounds

PUBLIC_ID_LENGTH = 12  # 60 random bits: a collision is not to be expected below billions of records


def new_public_id():
    return base64.b32encode(secrets.token_bytes(8)).decode("ascii")[:PUBLIC_ID_LENGTH].lower()


def public_id_field():
    return models.CharField(
        gettext_lazy("public identifier"),
        max_length=PUBLIC_ID_LENGTH,
        unique=True,
        editable=False,
        default=new_public_id,
        help_text=gettext_lazy(
            "Names the record on public pages (anchors, the case JSON) instead of its database id, "
            "which would tell how many records, internal ones included, were made in between."
        ),
    )


class PublicFields:
    """A record whose public pages show `PUBLIC_FIELDS` (field names), when `PUBLIC_IF` (a field
    and its value, for records with a switch of their own: published, visibility) holds."""

    PUBLIC_FIELDS = ()
    PUBLIC_IF = None

    @classmethod
    def public_columns(cls):
        names = [*cls.PUBLIC_FIELDS, *([cls.PUBLIC_IF[0]] if cls.PUBLIC_IF else [])]
        return [cls._meta.get_field(name).attname for name in names]

    @classmethod
    def public_state(cls, row):
        """What the public sees of a row (column -> value; None for no row): None when it is not public."""
        if row is None or (cls.PUBLIC_IF and row[cls._meta.get_field(cls.PUBLIC_IF[0]).attname] != cls.PUBLIC_IF[1]):
            return None
        return tuple(row[cls._meta.get_field(name).attname] for name in cls.PUBLIC_FIELDS)

    def public_row(self):
        """This instance's public columns as the database will store them (to compare with the stored row)."""
        row = {}
        for column in self.public_columns():
            field = self._meta.get_field(column)
            value = getattr(self, field.attname)
            if isinstance(field, ApproximateDayField) and value is not None:  # saved as its earliest day
                value = bounds(field.to_python(value), getattr(self, field.precision_field))[0]
            row[field.attname] = field.get_prep_value(value)
        return row


# The cases whose public pages the writes in progress change (None: nobody is watching).
_public_changes_seen = contextvars.ContextVar("public_changes_seen", default=None)


class PublicChanges:
    """What the writes being watched change in public: published cases (ids), and shared records the public sees
    (a named facility, a public source, the name of a lawyer or organisation on public pages)."""

    def __init__(self):
        self.cases, self.shared = set(), []

    def __bool__(self):
        return bool(self.cases or self.shared)


@contextmanager
def noticing_public_changes():
    """Collect what the writes inside change in public (reported by prisoners.public_changes, the one judge of
    that): how a researcher's public edit is recognised and held."""
    seen = PublicChanges()
    token = _public_changes_seen.set(seen)
    try:
        yield seen
    finally:
        _public_changes_seen.reset(token)


def watching_public_changes():
    return _public_changes_seen.get() is not None


def public_change_seen(prisoner_ids=(), shared=None):
    if (seen := _public_changes_seen.get()) is not None:
        seen.cases.update(prisoner_ids)
        if shared is not None:
            seen.shared.append(shared)
