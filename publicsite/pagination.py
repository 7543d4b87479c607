"""Seek ("keyset") pagination: a page starts right after the last row of the one before.

An OFFSET makes the database walk past every earlier row, so page 2,000 of a register costs
2,000 times page 1; a seek filters on the sort keys of the row the previous page ended with,
which an index answers directly, so every page costs the same. Pages are linked by opaque
cursors (`?after=…`, `?before=…`) instead of numbers.

Keys sort NULLs last in both directions (an unknown date after every known one); the last key
must be unique (the primary key), so that no two rows tie and none is skipped or repeated.

A page is read in two steps: the sort finds the page's primary keys reading only the sort keys,
then the page's own rows are read whole. A sort no index answers (longest without a lawyer) then
orders narrow rows instead of carrying every column and annotation of every candidate row.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Key:
    name: str  # a field or annotation of the rows
    descending: bool = False
    nullable: bool = True  # False for a column never NULL: its order then says nothing of NULLs, as plain indexes

    def order(self, reverse=False):
        descending = self.descending != reverse
        if not self.nullable:
            # A plain DESC is NULLS FIRST to PostgreSQL, which an ascending index read backwards answers.
            return F(self.name).desc() if descending else F(self.name).asc()
        # NULLs last when reading forwards; reading backwards (towards a previous page) they come first.
        nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
        return F(self.name).desc(**nulls) if descending else F(self.name).asc(**nulls)


@dataclass
class SeekPage:
    object_list: list
    next_cursor: str | None
    previous_cursor: str | None
    whole: bool = False  # read from the start, with nothing after it: every row there is

    @property
    def has_next(self):
        return self.next_cursor is not None

    @property
    def has_previous(self):
        return self.previous_cursor is not None

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


class SeekPaginator:
    """Pages of `queryset` in the order of `keys`. `rows`, when given, is what a page's rows are read from
    once their keys are found: the same records without the filters that found them (a name search need not
    run twice), so it must hold every row of `queryset` and be as confidential."""

    def __init__(self, queryset, keys, per_page, rows=None):
        self.keys = [*keys, Key("pk", nullable=False)] if keys[-1].name != "pk" else list(keys)
        self.queryset = queryset
        self.rows = queryset if rows is None else rows
        self.per_page = per_page

    def ordering(self, reverse=False):
        return [key.order(reverse) for key in self.keys]

    def page(self, after=None, before=None):
        """The page after cursor `after`, or before cursor `before`, or the first page."""
        if before:
            found = self.queryset.filter(self._beyond(self.decode(before), backwards=True))
            positions = self._positions(found.order_by(*self.ordering(reverse=True)))
            more_before = len(positions) > self.per_page
            positions = positions[: self.per_page][::-1]
            previous = self.encode(positions[0]) if more_before else None
            return SeekPage(self._rows(positions), self.encode(positions[-1]) if positions else None, previous)
        found = self.after(after) if after else self.queryset.order_by(*self.ordering())
        positions = self._positions(found)
        more_after = len(positions) > self.per_page
        positions = positions[: self.per_page]
        next_cursor = self.encode(positions[-1]) if more_after else None
        previous = self.encode(positions[0]) if after and positions else None
        return SeekPage(self._rows(positions), next_cursor, previous, whole=not (after or more_after))

    def count(self, page):
        """How many rows there are in all: a page holding every row (most name searches) is its own
        count, without running the search a second time."""
        return len(page) if page.whole else self.queryset.count()

    def _positions(self, ordered):
        """The sort keys of a page's rows and one more (is there a next page?), primary key last."""
        return list(ordered.values_list(*[key.name for key in self.keys])[: self.per_page + 1])

    def _rows(self, positions):
        pks = [position[-1] for position in positions]
        rows = self.rows.order_by().in_bulk(pks)
        return [rows[pk] for pk in pks if pk in rows]  # one unpublished since is left out

    def after(self, cursor):
        """The rows after a cursor, in order: what the page after it reads."""
        return self.queryset.filter(self._beyond(self.decode(cursor))).order_by(*self.ordering())

    def _beyond(self, values, backwards=False):
        """Rows after (or before) the position `values` in key order: for the first key that
        differs, that key lies beyond; every key before it is equal."""
        condition, equal = Q(pk__in=[]), Q()
        for key, value in zip(self.keys, values, strict=True):
            later = key.descending == backwards  # ascending forwards: greater values come later
            if value is None:
                if backwards:  # every non-NULL value comes before the NULLs
                    condition |= equal & Q(**{f"{key.name}__isnull": False})
                equal &= Q(**{f"{key.name}__isnull": True})
            else:
                step = Q(**{f"{key.name}__{'gt' if later else 'lt'}": value})
                if not backwards and key.nullable:
                    step |= Q(**{f"{key.name}__isnull": True})  # NULLs follow every value
                condition |= equal & step
                equal &= Q(**{key.name: value})
        return condition

    # Cursors: the sort keys' names and the row's values, as JSON, encrypted: the values end in the row's
    # database id, and ids in a public address would count the records, internal ones too, made in between.

    def cursor(self, row):
        """The cursor of a row (a record with the keys as attributes)."""
        return self.encode([getattr(row, key.name) for key in self.keys])

    def encode(self, values):
        payload = json.dumps([[key.name for key in self.keys], list(values)], cls=DjangoJSONEncoder)
        return _cipher(settings.SECRET_KEY).encrypt(payload.encode()).decode().rstrip("=")

    def decode(self, cursor):
        try:
            payload = _cipher(settings.SECRET_KEY).decrypt(cursor + "=" * (-len(cursor) % 4))
            names, values = json.loads(payload)
        except (InvalidToken, ValueError, TypeError):
            raise InvalidCursor("This link to a page of results is damaged.") from None
        if names != [key.name for key in self.keys] or not isinstance(values, list):
            raise InvalidCursor("This link to a page of results belongs to another sort order.")
        try:
            return [None if value is None else self._field(name).to_python(value) for name, value in zip(names, values)]
        except (ValidationError, TypeError):
            raise InvalidCursor("This link to a page of results is damaged.") from None

    def _field(self, name):
        annotation = self.queryset.query.annotations.get(name)
        if annotation is not None:
            return annotation.output_field
        model = self.queryset.model
        try:
            return model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:
            raise InvalidCursor(f"Cannot page by {name}.") from None


@lru_cache(maxsize=2)
def _cipher(secret_key):
    """Fernet (AES with an HMAC) under a key of its own, derived from SECRET_KEY: a new secret key makes old
    page links "damaged" (404), nothing worse."""
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"publicsite.cursor:{secret_key}".encode()).digest()))
