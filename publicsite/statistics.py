"""What the statistics page counts: aggregates of public records only (published prisoners, `.public()`), each a
`Chart` of labelled counts that the page draws as SVG, prints as a table and offers as CSV.

Each count is one grouped query, however large the register: the database counts, Python only adds up months.
"""

import functools
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from casetracker.dates import Precision, add_months
from events.models import Party
from prisoners.models import Charge, CustodyPeriod, Facility, Prisoner
from prisoners.status import in_custody_condition

from .models import CutOffCount

TOP = 20  # bars in a chart by article or facility; the table and CSV list them all


def cut_off_now():
    """Published prisoners past their lapse threshold now, counted from public records: {party: count}."""
    return {party: Prisoner.objects.public().overdue(party, public=True).count() for party in Party.values}


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
    title: str
    label: str  # the table's first column: "Month", "Article" …
    value: str  # the second: "People held" …
    rows: list  # (label, count or None when not counted), in the order drawn
    note: str = ""  # what is not counted, and why
    over_time: bool = False  # months, drawn as columns; else categories, drawn as bars

    @property
    def total(self):
        return sum(count for _, count in self.rows if count is not None)

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


def _months(first, last):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = add_months(month, 1)


def held_over_time(today=None):
    """People held at the end of each month, from their custody periods: a period counts from the month it began (or,
    its start unknown, the detention) until the month it ended. An open period counts only while its prisoner is in
    custody: a released prisoner's period with no end on record has no month to stop in. Someone in custody with no
    custody period on record counts from the detention."""
    today = today or timezone.localdate()
    periods = (
        CustodyPeriod.objects.public()
        .filter(Q(end__isnull=False) | in_custody_condition("prisoner__"))
        .annotate(begin=Coalesce("start", "prisoner__detained"))
    )
    began = Counter(
        dict(
            periods.exclude(begin=None)
            .annotate(month=TruncMonth("begin"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
        )
    )
    ended = Counter(
        dict(
            periods.exclude(begin=None)
            .exclude(end=None)
            .annotate(month=TruncMonth("end"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
        )
    )
    # In custody with a detention date but no custody period on record (as imported registers often are): held since.
    unplaced = (
        Prisoner.objects.public()
        .in_custody()
        .exclude(detained=None)
        .filter(~Exists(CustodyPeriod.objects.filter(prisoner=OuterRef("pk"))))
    )
    began.update(
        dict(
            unplaced.annotate(month=TruncMonth("detained"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
        )
    )
    undated = periods.filter(begin=None).count()
    rows, held = [], 0
    if began:
        for month in _months(min(began), today):
            held += began[month] - ended[month]
            rows.append((_month_label(month), held))
    note = "Each month's count is of people in custody at its end."
    if undated:
        note += f" {undated:,} custody period{'s' if undated != 1 else ''} with no start or detention date on record "
        note += "cannot be placed and are not counted."
    return Chart("held", "People held, month by month", "Month", "People held", rows, note, over_time=True)


def detentions_per_month(today=None):
    """New detentions by the month they began; those known only to the year are counted in the note."""
    today = today or timezone.localdate()
    prisoners = Prisoner.objects.public().exclude(detained=None)
    by_month = Counter(
        dict(
            prisoners.exclude(detained_precision=Precision.YEAR)
            .annotate(month=TruncMonth("detained"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .values_list("month", "n")
        )
    )
    rows = [(_month_label(month), by_month[month]) for month in _months(min(by_month), today)] if by_month else []
    note = "Detentions whose month is on record, by that month."
    if year_only := prisoners.filter(detained_precision=Precision.YEAR).count():
        note += f" {year_only:,} known only to the year are not shown."
    return Chart("detentions", "New detentions per month", "Month", "People detained", rows, note, over_time=True)


def by_article(today=None):
    """Published prisoners by the charges against them (by article where one is recorded, else as described); a
    prisoner charged under several articles counts under each."""
    charged = (
        Charge.objects.filter(prisoner__published=True)
        .values_list("article", "label")
        .annotate(n=Count("prisoner", distinct=True))
    )
    counts = Counter()
    for article, label, count in charged:
        counts[article or label] += count
    rows = sorted(counts.items(), key=lambda row: (-row[1], row[0]))
    note = "A person charged under several articles counts under each."
    return Chart("charges", "People by charge", "Charge (article)", "People charged", rows, note)


def by_facility(today=None):
    """Where published prisoners are held now."""
    held = Facility.objects.public().with_public_held_count().filter(held_count__gt=0).order_by("-held_count", "name")
    rows = [(str(facility), facility.held_count) for facility in held]
    return Chart("facilities", "People held now, by facility", "Facility", "People held now", rows)


def cut_off_over_time(party, today=None):
    """Published prisoners cut off from `party` at the end of each month since the counts began (`record_cut_off`),
    the current month as of now."""
    today = today or timezone.localdate()
    last_of_month = {}
    for row in CutOffCount.objects.filter(day__lte=today).order_by("day"):
        last_of_month[row.day.replace(day=1)] = getattr(row, party)  # a later day of the month replaces an earlier
    last_of_month[today.replace(day=1)] = cut_off_now()[party]
    first = min(last_of_month)
    rows = [(_month_label(month), last_of_month.get(month)) for month in _months(first, today)]
    note = (
        f"Cut off: past the {party} contact threshold, counted from public records. Counted once a day since "
        f"{first:%B} {first.year}; each month shows its last count, this month's is today's. A month with no count "
        "(nothing was running) is left empty."
    )
    title, value = f"Cut off from {'a lawyer' if party == Party.LAWYER else 'family'}, month by month", "People cut off"
    return Chart(f"cut-off-{party}", title, "Month", value, rows, note, over_time=True)


CHARTS = {
    "held": held_over_time,
    "detentions": detentions_per_month,
    "cut-off-lawyer": functools.partial(cut_off_over_time, Party.LAWYER),
    "cut-off-family": functools.partial(cut_off_over_time, Party.FAMILY),
    "charges": by_article,
    "facilities": by_facility,
}


def charts(today=None):
    return [make(today) for make in CHARTS.values()]


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
    januaries = [
        (index * step, label.split()[-1]) for index, (label, _) in enumerate(rows) if label.startswith("January")
    ]
    every = max(1, -(-len(januaries) // 10))  # at most ten year labels
    return marks, y_ticks, januaries[::every]


def bars(chart):
    """A bar per category, longest first, in rows of BAR_ROW pixels: (marks, the picture's height)."""
    rows = chart.drawn
    top = max((count for _, count in rows), default=1)
    marks = [
        Mark(0, index * BAR_ROW + 18, max(BAR_ROOM * count / top, 0.3), 12, label, count)
        for index, (label, count) in enumerate(rows)
    ]
    return marks, len(rows) * BAR_ROW
