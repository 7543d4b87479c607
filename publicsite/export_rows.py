"""/prisoners.csv and .json from stored rows: each published prisoner's row encoded once (`ExportRow`), so an
export writes stored text and computes only the columns that move with the calendar or the settings
(`Column.moves`: days in detention, the contact lapse), not fifty columns from ten tables for every prisoner.

A stored row is used only while it is true to the case: built from the prisoner's current `public_changed`
(moved by every public change to the case, prisoners.public_changes) under the current `SharedRecords` number
(moved by every edit of a facility, case group or organisation). Any other row, missing or out of date, is built
from the records during the export, exactly as without stored rows; `refresh()` (beat, every few minutes, and
`manage.py refresh_export_rows`) stores them again. So the stored rows only make exports faster: what an export
says never depends on them being current, and only published prisoners, filtered as the request asks, are read.
"""

import functools
import hashlib
import json
import logging
from collections import namedtuple
from itertools import chain

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone, translation

from casetracker.iterables import batched
from events.models import Party
from prisoners import lapse as lapse_rule
from prisoners.models import Prisoner

from . import opendata
from .casefile import listed_prisoners
from .models import ExportRow, SharedRecords

log = logging.getLogger(__name__)

PART = "\x1e"  # where a stored row leaves room for a moving column (no text a column shows holds it)
ORIGIN = "\ue000"  # the site's address in a stored row, put in by each export (it is the request's)

# Raise when the encoding or what a column holds changes; a column renamed, added, dropped or moved changes
# ROW_FORMAT by itself. A row of another format is out of date.
FORMAT = 1
STORED = ["version", "shared", "format", "csv", "json"]
CHUNK = 2000  # rows read at a time: memory stays flat however long the export
MOVING = [column for column in opendata.COLUMNS if column.moves]
ADDRESSES = {"url", "facility_url", "photo_url"}  # the columns holding an address of this site (built from paths)

_layout = ",".join(f"{column.name}{'+' if column.moves else ''}" for column in opendata.COLUMNS)
ROW_FORMAT = f"{FORMAT}:{hashlib.sha256(_layout.encode()).hexdigest()[:16]}"


def current(shared):
    """Stored rows still true to their prisoner: built from the case as it is now, under the shared records' number
    `shared` (SharedRecords.read()), in this code's format."""
    return ExportRow.objects.filter(version=F("prisoner__public_changed"), shared=shared, format=ROW_FORMAT)


def csv_cell(value):
    """One value as the CSV writer writes it within a row (alone in a row, an empty value is written `""`)."""
    line = opendata.csv_row([value])
    return "" if line == '""\r\n' else line[:-2]  # without its line end


def _marked(location):
    """The address of a page of this site with the origin left as ORIGIN (every address a column gives is a path)."""
    if not location.startswith("/"):
        raise ValueError(f"not a path of this site: {location!r}")
    return ORIGIN + location


def encode(prisoner, facts):
    """A prisoner's stored row: (CSV text, JSON text), PART where a moving column goes; None if the row cannot be
    stored (a value holds PART or ORIGIN itself: that row is always built during the export)."""
    values = [None if column.moves else column.value(prisoner, facts, _marked) for column in opendata.COLUMNS]
    cells, pairs = [], []
    for column, value in zip(opendata.COLUMNS, values, strict=True):
        cells.append(PART if column.moves else csv_cell(value))
        pairs.append(f"{json.dumps(column.name)}: {PART if column.moves else opendata.json_cell(value)}")
    for column, value, cell, pair in zip(opendata.COLUMNS, values, cells, pairs, strict=True):
        if column.moves:
            continue
        # A value holding a marker would be taken for one: only an address of this site may hold ORIGIN, once.
        marks = 1 if column.name in ADDRESSES and value is not None else 0
        if PART in cell or cell.count(ORIGIN) != marks or pair.count(ORIGIN) != marks:
            return None
    return ",".join(cells) + "\r\n", "{" + ", ".join(pairs) + "}"  # a CSV row with its line end


@translation.override(settings.LANGUAGE_CODE)  # exports are English in every language (README, "Languages")
def refresh(everything=False, chunk=CHUNK):
    """Store the rows of published prisoners whose row is missing or out of date (`everything`: every row, as after
    writes no signal reports, such as `queryset.update()` or raw SQL), and drop the rows of prisoners no longer
    published. Returns (stored, dropped)."""
    if everything:
        SharedRecords.renew()
    shared = SharedRecords.read()  # read first: a shared edit from now on leaves what is built here out of date
    stale = listed_prisoners().exclude(pk__in=current(shared).values("prisoner")).order_by("pk")
    stored, unstorable = 0, []
    for batch in batched(opendata.Facts.of(stale, chunk), chunk):
        rows = []
        for prisoner, facts in batch:
            if encoded := encode(prisoner, facts):
                rows.append(ExportRow(prisoner=prisoner, version=prisoner.public_changed, shared=shared,
                                      format=ROW_FORMAT, csv=encoded[0], json=encoded[1]))  # fmt: skip
            else:
                unstorable.append(prisoner.pk)
        ExportRow.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["prisoner"],
            update_fields=["version", "shared", "format", "csv", "json"],
        )
        stored += len(rows)
    ExportRow.objects.filter(prisoner__in=unstorable).delete()  # out of date, and built during each export now
    dropped, _ = ExportRow.objects.exclude(prisoner__in=Prisoner.objects.public()).delete()
    if stored or dropped:
        log.info("Export rows: %d stored, %d dropped.", stored, dropped)
    return stored, dropped


class Export:
    """The rows of `prisoners` (published prisoners, filtered and ordered for the request), stored where current and
    built from the records where not, a chunk at a time."""

    def __init__(self, prisoners, origin, chunk=CHUNK):
        self.prisoners, self.origin, self.chunk = prisoners, origin, chunk
        self.url = lambda location: origin + location if location.startswith("/") else location

    def rows(self, kind):
        """(stored text with the origin in, or None; the prisoner, or a MovingRow of what the moving columns read;
        facts) for each prisoner, in order. `kind`: "csv" or "json"."""
        shared, today = SharedRecords.read(), timezone.localdate()
        fresh = Q(export_row__version=F("public_changed"), export_row__shared=shared, export_row__format=ROW_FORMAT)
        rows = (
            self.prisoners.prefetch_related(None)
            .annotate(stored=F(f"export_row__{kind}"), current=ExpressionWrapper(fresh, output_field=BooleanField()))
            .values_list(*MovingRow._fields)
        )
        for batch in batched(map(MovingRow._make, rows.iterator(chunk_size=self.chunk)), self.chunk):
            stale = [row.pk for row in batch if not (row.current and row.stored)]
            built = {}
            if stale:  # built from the records, with the facts of the whole chunk fetched at once
                out_of_date = listed_prisoners(today).filter(pk__in=stale)  # counted to the export's one day too
                for prisoner, facts in opendata.Facts.of(out_of_date, self.chunk, today):
                    built[prisoner.pk] = (prisoner, facts)
            lapses = opendata.Lapses(today)
            for row in batch:
                if row.pk in built:
                    yield None, *built[row.pk]
                elif row.current and row.stored:
                    yield row.stored.replace(ORIGIN, self.origin), row, lapses
                # else: withdrawn (or deleted) since this export began: not exported

    def csv_lines(self):
        return opendata.csv_document([column.name for column in opendata.COLUMNS], self._csv_lines())

    def _csv_lines(self):
        for stored, prisoner, facts in self.rows("csv"):
            if stored is None:
                yield opendata.csv_row(column.value(prisoner, facts, self.url) for column in opendata.COLUMNS)
            else:
                yield _filled(stored, [moving_cell(column.value(prisoner, facts, self.url)) for column in MOVING])

    def json_chunks(self):
        return opendata.json_document("prisoners", self._json_records())

    def _json_records(self):
        for stored, prisoner, facts in self.rows("json"):
            if stored is None:
                yield opendata.json_text(opendata.record(prisoner, facts, self.url))
            else:
                yield _filled(stored, [moving_json(column.value(prisoner, facts, self.url)) for column in MOVING])


_LAPSE_FIELDS = [field for party in Party.values for field in lapse_rule.names(party).read_from]


class MovingRow(
    namedtuple(
        "Values",
        ["pk", "status", "detained", "detained_precision", lapse_rule.PUBLIC_FLAG, *_LAPSE_FIELDS, "stored", "current"],
    )  # fmt: skip
):
    """What the moving columns read of a prisoner, from one row of plain values: no model instance (an export reads
    tens of thousands), the prisoner's own rules all the same."""

    __slots__ = ()
    in_custody = Prisoner.in_custody
    detained_approx = Prisoner.detained_approx
    days_in_detention_on = Prisoner.days_in_detention_on


def _moving(value, empty, text):
    """A value of a moving column (a count, true/false, a date as written, a basis) encoded, the common ones quickly."""
    if value is None:
        return empty
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    return text(value)


_plain_json = json.JSONEncoder(ensure_ascii=False).encode  # for plain values: no encoder of Django's needed


# A moving column's other values are dates as written and bases ("contact", …): a few thousand distinct ones across
# tens of thousands of rows, so each is encoded once. (Exports are written in English, whatever the reader's language.)
@functools.lru_cache(maxsize=2**14)
def _json_text(value):
    return _plain_json(opendata.jsonable(value))


@functools.lru_cache(maxsize=2**14)
def _cell_text(value):
    return csv_cell(value)


def moving_json(value):
    return _moving(value, "null", _json_text)


def moving_cell(value):
    return _moving(value, "", _cell_text)


def _filled(stored, moving):
    """A stored row with the moving columns put in (CSV rows end in their line end, as stored)."""
    parts = stored.split(PART)
    if len(parts) != len(moving) + 1:
        raise ValueError(f"a stored row with {len(parts) - 1} places for {len(moving)} moving columns")
    return "".join(chain.from_iterable(zip(parts, moving))) + parts[-1]
