"""What the statistics page counts: aggregates of public records only (published prisoners, `.public()`), each a
`Chart` of labelled counts that the page draws as SVG, prints as a table and offers as CSV.

Each count is one grouped query, however large the register: the database counts, Python only adds up months. The
counts over the whole register are kept (`StatisticsCount`) under the page version, the day and the code they were
counted with, for at most KEPT_SECONDS: shown while all of that holds, counted again (beat, every minute, or the next
reader) otherwise.

A chart is counted and kept in English, as its CSV is written (titles, column names, "January 2024"), with the
numbers its note tells (`facts`); the page shows it in the reader's language (`Chart.shown`).
"""

import dataclasses
import datetime
import functools
import hashlib
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, CharField, Count, DateField, OuterRef, Subquery, When
from django.db.models.functions import Cast, Coalesce, Least, TruncMonth
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from casetracker.dates import MONTHS, ApproximateDate, Precision, add_months
from events.models import Party
from prisoners.models import Charge, CustodyPeriod, Facility, Prisoner
from prisoners.status import in_custody_condition

from . import page_cache
from .models import CutOffCount, StatisticsCount

TOP = 20  # bars in a chart by article or facility; the table and CSV list them all


def cut_off_now():
    """Published prisoners past their lapse threshold now, counted from public records: {party: count}."""
    return Prisoner.objects.public().overdue_counts(public=True)


def record_cut_off(today=None):
    """Keep today's cut-off counts (once a day, from beat; again the same day, they are replaced): the chart of
    cut-off over time reads them, since a past day's lapses cannot be recounted."""
    today = today or timezone.localdate()
    counts = cut_off_now()
    row, _ = CutOffCount.objects.update_or_create(day=today, defaults=counts)
    return row


@dataclass(frozen=True)
class Chart:
    slug: str  # its anchor on the page and its CSV: /statistics/<slug>.csv
    title: str  # title, label and value in English (`shown`: in the reader's language)
    label: str  # the table's first column: "Month", "Article" …
    value: str  # the second: "People held" …
    rows: list  # (label, count or None when not counted), in the order drawn
    facts: dict = dataclasses.field(default_factory=dict)  # the numbers its note tells (`NOTES`)
    over_time: bool = False  # months, drawn as columns; else categories, drawn as bars

    @property
    def note(self):
        """What is not counted, and why, in the reader's language ("" for nothing)."""
        note = NOTES.get(self.slug)
        return note(**self.facts) if note else ""

    def shown(self):
        """The chart in the reader's language, for the page (kept, and written as CSV, in English)."""
        rows = [(_shown_month(label), count) for label, count in self.rows] if self.over_time else self.rows
        return dataclasses.replace(self, title=_(self.title), label=_(self.label), value=_(self.value), rows=rows)

    @classmethod
    def from_kept(cls, fields):
        """A chart as kept (`StatisticsCount`: JSON, so its rows come back as lists)."""
        return cls(**fields | {"rows": [tuple(row) for row in fields["rows"]]})

    @property
    def picture(self):
        """What the SVG draws (module functions `columns` and `bars`)."""
        if self.over_time:
            marks, y_ticks, x_ticks = columns(self)
            return {"marks": marks, "y_ticks": y_ticks, "x_ticks": x_ticks, "height": HEIGHT}
        marks, height = bars(self)
        return {"marks": marks, "height": height}

    @property
    def drawn(self):
        """The rows the picture shows: every month, or the largest categories."""
        return self.rows if self.over_time else self.rows[:TOP]


def _month_label(month):
    return f"{month:%B} {month.year}"


ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _shown_month(label):
    """A month's row ("January 2024", as kept and in the CSV) in the reader's language, as dates write a month."""
    name, year = label.rsplit(" ", 1)
    return str(ApproximateDate(datetime.date(int(year), ENGLISH_MONTHS.index(name) + 1, 1), Precision.MONTH))


def _months(first, last):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = add_months(month, 1)


def _by_month(rows, month):
    """month -> how many of `rows` fall in it (`month`: an expression giving the month, or None), one grouped query."""
    months = rows.annotate(month=month).values_list("month").annotate(n=Count("pk"))
    return Counter(dict(months.values_list("month", "n")))


def held_over_time(today=None):
    """People held at the end of each month. Someone in custody now counts from the detention (that date unknown, from
    their first custody period) to now; someone out of custody (released, deceased …) over each custody period with an
    end, from its start (unknown: the detention) to its end. A death ends an open period; a release with no end on
    record cannot be placed, and the note says how many."""
    today = today or timezone.localdate()
    first_period = CustodyPeriod.objects.filter(prisoner=OuterRef("pk"), start__isnull=False).order_by("start")
    held_now = (
        Prisoner.objects.public()
        .in_custody()
        .annotate(begin=Coalesce("detained", Subquery(first_period.values("start")[:1])))
    )
    out = (
        CustodyPeriod.objects.public()
        .exclude(in_custody_condition("prisoner__"))
        .annotate(stop=Coalesce("end", "prisoner__died"))
    )
    # Never from after its end (a detention date moved by a later arrest would otherwise count it twice).
    closed = out.exclude(stop=None).annotate(begin=Least(Coalesce("start", "prisoner__detained", "stop"), "stop"))
    spans = closed.annotate(first=TruncMonth("begin"), last=TruncMonth("stop")).values_list("first", "last")
    began, ended = _by_month(held_now, TruncMonth("begin")), Counter()  # those with no date to begin from under None
    unplaced = began.pop(None, 0) + out.filter(stop=None).values("prisoner").distinct().count()
    for first, last, count in spans.annotate(n=Count("pk")).values_list("first", "last", "n"):  # one query for both
        began[first] += count
        ended[last] += count
    rows, held = [], 0
    if began:
        for month in _months(min(began), today):
            held += began[month] - ended[month]
            rows.append((_month_label(month), held))
    title, value = gettext_noop("People held, month by month"), gettext_noop("People held")
    return Chart("held", title, gettext_noop("Month"), value, rows, {"unplaced": unplaced}, over_time=True)


def _held_note(unplaced):
    note = _("Each month's count is of people in custody at its end.")
    if unplaced:
        unplaced_note = ngettext(
            "%(count)s person with no date to count from or to on record cannot be placed, so are not counted.",
            "%(count)s people with no date to count from or to on record cannot be placed, so are not counted.",
            unplaced,
        )
        note += " " + unplaced_note % {"count": _number(unplaced)}
    return note


def detentions_per_month(today=None):
    """New detentions by the month they began; those known only to the year are counted in the note."""
    today = today or timezone.localdate()
    prisoners = Prisoner.objects.public().exclude(detained=None)
    month = Case(When(detained_precision=Precision.YEAR, then=None), default=Cast(TruncMonth("detained"), DateField()))
    by_month = _by_month(prisoners, month)
    year_only = by_month.pop(None, 0)
    rows = [(_month_label(month), by_month[month]) for month in _months(min(by_month), today)] if by_month else []
    title, value = gettext_noop("New detentions per month"), gettext_noop("People detained")
    return Chart("detentions", title, gettext_noop("Month"), value, rows, {"year_only": year_only}, over_time=True)


def _detentions_note(year_only):
    note = _("Detentions whose month is on record, by that month.")
    if year_only:
        year_only_note = ngettext(
            "%(count)s known only to the year are not shown.",
            "%(count)s known only to the year are not shown.",
            year_only,
        )
        note += " " + year_only_note % {"count": _number(year_only)}
    return note


def by_article(today=None):
    """Published prisoners by the charges against them (by article where one is recorded, else as described); a
    prisoner charged under several articles counts under each, and once under each."""
    charge = Case(When(article="", then="label"), default="article", output_field=CharField())
    charged = (
        Charge.objects.filter(prisoner__published=True)
        .annotate(charge=charge)
        .values("charge")
        .annotate(n=Count("prisoner", distinct=True))
        .values_list("charge", "n")
    )
    rows = sorted(charged, key=lambda row: (-row[1], row[0]))
    title, label, value = (
        gettext_noop("People by charge"),
        gettext_noop("Charge (article)"),
        gettext_noop("People charged"),
    )
    return Chart("charges", title, label, value, rows)


def by_facility(today=None):
    """Where published prisoners are held now."""
    rows = [(str(facility), facility.held_count) for facility in Facility.objects.public().holding_now()]
    title, value = gettext_noop("People held now, by facility"), gettext_noop("People held now")
    return Chart("facilities", title, gettext_noop("Facility"), value, rows)


def cut_off_over_time(party, today=None, now=None):
    """Published prisoners cut off from `party` at the end of each month since the counts began (`record_cut_off`),
    the current month as of now (`now`: `cut_off_now()`, when already counted)."""
    today, now = today or timezone.localdate(), now or cut_off_now()
    last_of_month = {}
    for row in CutOffCount.objects.filter(day__lte=today).order_by("day"):
        last_of_month[row.day.replace(day=1)] = getattr(row, party)  # a later day of the month replaces an earlier
    last_of_month[today.replace(day=1)] = now[party]
    first = min(last_of_month)
    rows = [(_month_label(month), last_of_month.get(month)) for month in _months(first, today)]
    if party == Party.LAWYER:
        title = gettext_noop("Cut off from a lawyer, month by month")
    else:
        title = gettext_noop("Cut off from family, month by month")
    facts = {"party": party, "since": [first.year, first.month]}  # as JSON would keep them
    value = gettext_noop("People cut off")
    return Chart(f"cut-off-{party}", title, gettext_noop("Month"), value, rows, facts, over_time=True)


def _cut_off_note(party, since):
    year, month = since
    since = ApproximateDate(datetime.date(year, month, 1), Precision.MONTH).genitive
    if party == Party.LAWYER:
        note = _(
            "Cut off: past the lawyer contact threshold, counted from public records. Counted once a day since "
            "%(since)s; each month shows its last count, this month's is today's. A month with no count (nothing "
            "was running) is left empty."
        )
    else:
        note = _(
            "Cut off: past the family contact threshold, counted from public records. Counted once a day since "
            "%(since)s; each month shows its last count, this month's is today's. A month with no count (nothing "
            "was running) is left empty."
        )
    return note % {"since": since}


def _charges_note():
    return _("A person charged under several articles counts under each.")


def _number(number):
    """A count in a sentence: "1,204" ("1 204" in Belarusian and Russian)."""
    return number_format(number, force_grouping=True)


# A chart's note, by its slug: made from the chart's facts, in the reader's language.
NOTES = {
    "held": _held_note,
    "detentions": _detentions_note,
    "cut-off-lawyer": _cut_off_note,
    "cut-off-family": _cut_off_note,
    "charges": _charges_note,
}


CHARTS = {
    "held": held_over_time,
    "detentions": detentions_per_month,
    "cut-off-lawyer": functools.partial(cut_off_over_time, Party.LAWYER),
    "cut-off-family": functools.partial(cut_off_over_time, Party.FAMILY),
    "charges": by_article,
    "facilities": by_facility,
}


KEPT = ("held", "detentions", "charges", "facilities")  # counted over the whole register, so kept between changes
# Kept counts are shown for at most this long: a write that sends no signal (`queryset.update()`, raw SQL) moves no
# page version, so this bounds how long it can go unseen, as PUBLIC_CACHE_SECONDS (600) bounds it for cached pages.
KEPT_SECONDS = 600
# Raise when what a chart counts changes; the charts kept and a chart's fields change KEPT_FORMAT by themselves. Counts
# kept by other code (a deploy's old processes, still running) are never shown.
FORMAT = 1
_layout = f"{','.join(KEPT)}|{','.join(field.name for field in dataclasses.fields(Chart))}"
KEPT_FORMAT = f"{FORMAT}:{hashlib.sha256(_layout.encode()).hexdigest()[:16]}"


@translation.override(settings.LANGUAGE_CODE)  # counted and kept in English, whoever's page counts them
def counted(today=None, *, within=KEPT_SECONDS):
    """{slug: chart} of the charts in KEPT: as kept, if counted by this code for today under the current page
    version, no more than `within` seconds ago; else counted now, and kept for the next reader unless a committed
    change awaits its version bump."""
    today, now = today or timezone.localdate(), timezone.now()
    version = page_cache.current_version()
    if version is not None:
        kept = StatisticsCount.objects.filter(
            pk=StatisticsCount.ROW, version=version, day=today, format=KEPT_FORMAT,
            counted_at__gte=now - datetime.timedelta(seconds=within),
        ).first()  # fmt: skip
        if kept is not None:
            return {slug: Chart.from_kept(fields) for slug, fields in kept.charts.items()}
    charts = {slug: CHARTS[slug](today) for slug in KEPT}
    if version is not None:  # a change committed while counting has moved the version: these are never shown again
        fields = {slug: dataclasses.asdict(chart) for slug, chart in charts.items()}
        row = StatisticsCount(
            pk=StatisticsCount.ROW, version=version, day=today, format=KEPT_FORMAT, charts=fields, counted_at=now
        )
        StatisticsCount.objects.bulk_create(  # one upsert, whoever counted last
            [row], update_conflicts=True, unique_fields=["id"],
            update_fields=["version", "day", "format", "charts", "counted_at"],
        )  # fmt: skip
    return charts


@translation.override(settings.LANGUAGE_CODE)  # the CSV, in English like every export
def chart(slug, today=None):
    """One chart (its CSV), or None for an unknown slug."""
    if slug in KEPT:
        return counted(today)[slug]
    make = CHARTS.get(slug)
    return make and make(today)


def charts(today=None):
    """Every chart, in the order of `CHARTS`, in the reader's language (`Chart.shown`); today's cut-off counted once
    for both parties."""
    kept, now = counted(today), cut_off_now()
    with translation.override(settings.LANGUAGE_CODE):
        counts = [kept[slug] if slug in kept else make(today, now=now) for slug, make in CHARTS.items()]
    return [count.shown() for count in counts]


# The pictures: SVG drawn on the server (no script, nothing from elsewhere). Across, in per cent of the width, so the
# text keeps its size on a phone as on a desktop; down, in pixels.
HEIGHT, TICK_ROOM, BOTTOM = 220, 16, 22
BAR_ROW = 36  # a category: its label on one line, its bar below
BAR_ROOM = 88  # per cent of the width for the longest bar; its value is written after it


def nice_ceiling(value):
    """The axis' top: the smallest of 1, 2, 5 × 10ⁿ at or above `value` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


@dataclass(frozen=True)
class Mark:
    x: float  # per cent
    y: float
    width: float  # per cent
    height: float
    label: str
    value: int


def columns(chart):
    """A column per month: (marks, y ticks [(y, value)], x ticks [(x per cent, year)])."""
    rows = chart.drawn
    top = nice_ceiling(max((count for _, count in rows if count is not None), default=0))
    plot_height = HEIGHT - BOTTOM - TICK_ROOM
    step = 100 / max(len(rows), 1)
    width = step * (0.8 if len(rows) <= 60 else 1)  # a gap between columns while there is room for one
    marks = []
    for index, (label, count) in enumerate(rows):
        if count is None:
            continue
        height = plot_height * count / top
        marks.append(Mark(index * step, TICK_ROOM + plot_height - height, width, height, label, count))
    shares = (0, 0.5, 1) if top % 2 == 0 else (0, 1)  # no tick at a half person
    y_ticks = [(TICK_ROOM + plot_height * (1 - share), int(top * share)) for share in shares]
    januaries = [(index * step, label.split()[-1]) for index, (label, _count) in enumerate(rows) if _is_january(label)]
    every = max(1, -(-len(januaries) // 10))  # at most ten year labels
    return marks, y_ticks, januaries[::every]


def _is_january(label):
    """Whether a chart's row is a January's: as counted ("January 2024") or as shown ("студзень 2024")."""
    return label.startswith(("January", str(MONTHS[0])))


def bars(chart):
    """A bar per category, longest first, in rows of BAR_ROW pixels: (marks, the picture's height)."""
    rows = chart.drawn
    top = max((count for _, count in rows), default=1)
    marks = [
        Mark(0, index * BAR_ROW + 18, max(BAR_ROOM * count / top, 0.3), 12, label, count)
        for index, (label, count) in enumerate(rows)
    ]
    return marks, len(rows) * BAR_ROW
