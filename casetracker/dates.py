"""Approximate dates: "since September 2020", "mid-February 2023", "late March".

Reports rarely give exact days. An approximate date is a day plus a precision;
from them follow the earliest and latest day the report can mean. We sort by
the earliest day and measure contact lapses from the latest, so the record
never overstates how long someone has been cut off.

`approximate_date("start")` is the one reusable piece: an abstract model mixin
adding three columns (`start`, `start_precision`, `start_latest`) and the
`start_approx` accessor returning an `ApproximateDate`.
"""

import calendar
import datetime
import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext, gettext_lazy, override, pgettext, pgettext_lazy


class Precision(models.TextChoices):
    DAY = "day", pgettext_lazy("date precision", "exact day")
    EARLY = "early", pgettext_lazy("date precision", "early in the month (1–10)")
    MID = "mid", pgettext_lazy("date precision", "mid-month (11–20)")
    LATE = "late", pgettext_lazy("date precision", "late in the month (21–end)")
    MONTH = "month", pgettext_lazy("date precision", "some time in the month")
    YEAR = "year", pgettext_lazy("date precision", "some time in the year")


# A month standing alone ("February 2023") and after a day or a part of the month ("15 February", "mid-February"):
# in Belarusian and Russian the second is the genitive (люты, лютага; февраль, февраля). Django's own month names
# are not used: its Belarusian catalogue gives the genitive for both.
MONTHS = [
    pgettext_lazy("month", "January"),
    pgettext_lazy("month", "February"),
    pgettext_lazy("month", "March"),
    pgettext_lazy("month", "April"),
    pgettext_lazy("month", "May"),
    pgettext_lazy("month", "June"),
    pgettext_lazy("month", "July"),
    pgettext_lazy("month", "August"),
    pgettext_lazy("month", "September"),
    pgettext_lazy("month", "October"),
    pgettext_lazy("month", "November"),
    pgettext_lazy("month", "December"),
]
MONTHS_OF = [
    pgettext_lazy("month, genitive", "January"),
    pgettext_lazy("month, genitive", "February"),
    pgettext_lazy("month, genitive", "March"),
    pgettext_lazy("month, genitive", "April"),
    pgettext_lazy("month, genitive", "May"),
    pgettext_lazy("month, genitive", "June"),
    pgettext_lazy("month, genitive", "July"),
    pgettext_lazy("month, genitive", "August"),
    pgettext_lazy("month, genitive", "September"),
    pgettext_lazy("month, genitive", "October"),
    pgettext_lazy("month, genitive", "November"),
    pgettext_lazy("month, genitive", "December"),
]


def _month_end(day):
    return calendar.monthrange(day.year, day.month)[1]


def bounds(day, precision):
    """Earliest and latest day that `day` read at `precision` can mean."""
    match precision:
        case Precision.DAY:
            return day, day
        case Precision.EARLY:
            return day.replace(day=1), day.replace(day=10)
        case Precision.MID:
            return day.replace(day=11), day.replace(day=20)
        case Precision.LATE:
            return day.replace(day=21), day.replace(day=_month_end(day))
        case Precision.MONTH:
            return day.replace(day=1), day.replace(day=_month_end(day))
        case Precision.YEAR:
            return day.replace(month=1, day=1), day.replace(month=12, day=31)
    raise ValueError(f"unknown date precision {precision!r}")


def add_months(day, months):
    """The same day `months` later (earlier if negative), or the month's last day if it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


_PRECISIONS = {precision.value: precision for precision in Precision}


@functools.total_ordering
@dataclass(frozen=True)
class ApproximateDate:
    """A day known to some precision; compares by its earliest, then latest day."""

    day: datetime.date
    precision: str = Precision.DAY

    def __post_init__(self):
        # Normalise so equal meanings compare equal: "mid-February" is always the 11th.
        precision = _PRECISIONS.get(self.precision) or Precision(self.precision)  # the enum call raises if unknown
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "day", bounds(self.day, precision)[0])

    @staticmethod
    @functools.lru_cache(maxsize=2**14)
    def of(day, precision):
        """The date as read from a row: one shared (immutable) instance per meaning, since lists and exports read
        the same few thousand dates tens of thousands of times."""
        return ApproximateDate(day, precision)

    @property
    def earliest(self):
        return self.day

    @property
    def latest(self):
        return bounds(self.day, self.precision)[1]

    def __str__(self):
        """The date as a reader says it, in the active language: "mid-February 2023", "сярэдзіна лютага 2023"."""
        return _written(self.day, self.precision, False, get_language())

    @property
    def genitive(self):
        """The date after "since" or "until" ("з сярэдзіны лютага 2023", "до середины февраля 2023"): the
        genitive in Belarusian and Russian, as written alone in English. Sentences that put a date after such a
        word take this form."""
        return _written(self.day, self.precision, True, get_language())

    def __lt__(self, other):
        if not isinstance(other, ApproximateDate):
            return NotImplemented
        return (self.earliest, self.latest) < (other.earliest, other.latest)

    def is_definitely_before(self, other):
        """True only when every day this can mean precedes every day `other` can."""
        return self.latest < other.earliest

    def plus(self, years=0, months=0):
        """The same precision, shifted: September 2020 + 11 years = September 2031."""
        return ApproximateDate(add_months(self.day, years * 12 + months), self.precision)


# Exports and lists write the same few thousand dates tens of thousands of times: each is looked up in the
# catalogues once per language.
@functools.lru_cache(maxsize=2**14)
def _written(day, precision, genitive, language):
    with override(language):
        parts = {"day": day.day, "month": MONTHS_OF[day.month - 1], "year": day.year}
        match precision, genitive:
            case Precision.DAY, _:
                return pgettext("approximate date", "%(day)s %(month)s %(year)s") % parts
            case Precision.EARLY, False:
                return pgettext("approximate date", "early %(month)s %(year)s") % parts
            case Precision.EARLY, True:
                return pgettext("approximate date, genitive", "early %(month)s %(year)s") % parts
            case Precision.MID, False:
                return pgettext("approximate date", "mid-%(month)s %(year)s") % parts
            case Precision.MID, True:
                return pgettext("approximate date, genitive", "mid-%(month)s %(year)s") % parts
            case Precision.LATE, False:
                return pgettext("approximate date", "late %(month)s %(year)s") % parts
            case Precision.LATE, True:
                return pgettext("approximate date, genitive", "late %(month)s %(year)s") % parts
            case Precision.MONTH, False:
                parts["month"] = MONTHS[day.month - 1]
                return pgettext("approximate date", "%(month)s %(year)s") % parts
            case Precision.MONTH, True:
                return pgettext("approximate date, genitive", "%(month)s %(year)s") % parts
            case Precision.YEAR, False:
                return pgettext("approximate date", "%(year)s") % parts
            case Precision.YEAR, True:
                return pgettext("approximate date, genitive", "%(year)s") % parts


def date_range(start, end, *, open_end="now"):
    """A period as written in a date line: what both ends share said once ("November – 28 November 2022",
    "6 – 12 March 2023", "28 November – early December 2022"); `open_end` for a period still running ("now"),
    an unknown start as "until …"."""
    open_end = gettext("now") if open_end == "now" else open_end
    if start is None:
        if end is not None:
            return gettext("until %(date)s") % {"date": end.genitive}
        return gettext("start not known – %(end)s") % {"end": open_end} if open_end else gettext("date not known")
    if end is None:
        return f"{start} – {open_end}" if open_end else str(start)
    if end == start:
        return str(start)
    first = str(start)
    # Shortened only when the end begins later than the start: "6 – March 2023" would read as a range within March.
    shared_year = start.day.year == end.day.year and Precision.YEAR not in (start.precision, end.precision)
    if shared_year and start.earliest < end.earliest:
        first = first.removesuffix(f" {start.day.year}")
        if start.precision == end.precision == Precision.DAY and start.day.month == end.day.month:
            first = str(start.day.day)
    return f"{first} – {end}"


class ApproximateDayField(models.DateField):
    """The date column of an approximate date, stored as its earliest day."""

    def __init__(self, *args, precision_field, **kwargs):
        self.precision_field = precision_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["precision_field"] = self.precision_field
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        day = getattr(model_instance, self.attname)
        if day is not None:
            day = bounds(day, getattr(model_instance, self.precision_field))[0]
            setattr(model_instance, self.attname, day)
        return day


class LatestDayField(models.DateField):
    """The latest possible day of an approximate date: derived, never typed."""

    def __init__(self, *args, day_field, precision_field, **kwargs):
        self.day_field, self.precision_field = day_field, precision_field
        kwargs.update(null=True, blank=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("null", "blank", "editable"):
            kwargs.pop(key, None)
        kwargs.update(day_field=self.day_field, precision_field=self.precision_field)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        day = getattr(model_instance, self.day_field)
        latest = None if day is None else bounds(day, getattr(model_instance, self.precision_field))[1]
        setattr(model_instance, self.attname, latest)
        return latest


EARLIEST = datetime.date(1900, 1, 1)  # no record of a living political prisoner goes back further: a typo
BEFORE_EARLIEST = format_lazy(gettext_lazy("Dates before {year} are not taken: check the year."), year=EARLIEST.year)


def approximate_date(name, verbose_name=None, *, required=True, help_text=""):
    """Abstract model mixin adding the approximate date `name` to a model."""
    verbose_name = verbose_name or name.replace("_", " ")
    precision_field = f"{name}_precision"

    def get(self):
        day = getattr(self, name)
        return None if day is None else ApproximateDate.of(day, getattr(self, precision_field))

    def set(self, value):
        setattr(self, name, value and value.earliest)
        setattr(self, precision_field, value.precision if value else Precision.DAY)
        setattr(self, f"{name}_latest", value and value.latest)

    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        name: ApproximateDayField(
            verbose_name,
            validators=[MinValueValidator(EARLIEST, BEFORE_EARLIEST)],
            null=not required,
            blank=not required,
            precision_field=precision_field,
            help_text=help_text
            or gettext_lazy("Any day within the period; the precision says how exactly it is known."),
        ),
        precision_field: models.CharField(
            format_lazy(gettext_lazy("{} precision"), verbose_name),
            max_length=5,
            choices=Precision.choices,
            default=Precision.DAY,
        ),
        f"{name}_latest": LatestDayField(
            format_lazy(gettext_lazy("{} (latest possible day)"), verbose_name),
            day_field=name,
            precision_field=precision_field,
        ),
        f"{name}_approx": property(get, set),
    }
    return type(f"ApproximateDate_{name}", (models.Model,), attrs)


def check_not_in_future(errors, field, value, today=None):
    """Record an error when even the earliest day `value` can mean is after today."""
    today = today or timezone.localdate()
    if value is not None and value.earliest > today:
        errors.setdefault(field, []).append(
            ValidationError(gettext("%(date)s is in the future.") % {"date": value}, code="future")
        )


def check_period(errors, start, end):
    """A start and an optional end: neither in the future, the end not before the start."""
    check_not_in_future(errors, "start", start)
    check_not_in_future(errors, "end", end)
    check_ends_after_start(errors, start, end)


def check_ends_after_start(errors, start, end, field="end", message=None):
    message = message or gettext("The end ({end}) is before the start ({start}).")
    if start is not None and end is not None and end.is_definitely_before(start):
        errors.setdefault(field, []).append(
            ValidationError(message.format(start=start, end=end), code="end_before_start")
        )


def ends_after_start_constraint(start="start", end="end"):
    """The database half of `check_ends_after_start`."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{start}__isnull": True})
        | models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}_latest__gte": models.F(start)}),
        name=f"%(app_label)s_%(class)s_{end}_not_before_{start}",
        violation_error_message=f"The {end} is before the {start}.",
    )


def from_earliest_constraints(*names):
    """The database half of the fields' EARLIEST validator: no date before 1900, however it was written."""
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{name}__isnull": True}) | models.Q(**{f"{name}__gte": EARLIEST}),
            name=f"%(app_label)s_%(class)s_{name}_from_{EARLIEST.year}",
            violation_error_message=BEFORE_EARLIEST,
        )
        for name in names
    ]


class DaysBetween(models.Func):
    """Whole days from `start` to `end` (two date expressions), in SQL on both backends."""

    output_field = models.IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )
