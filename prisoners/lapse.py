"""The contact-lapse rule: how long a prisoner has been cut off from their lawyer or family.

For a prisoner whose contact we monitor, the lapse for each party counts from, in this order
(the basis):
1. the latest possible day of the last contact with that party;
2. with no contact on record, the latest possible day detention began, or the day monitoring
   began if that is later (we cannot vouch for a time before we watched);
3. with neither, the start of the earliest reported denial of contact with that party;
4. otherwise it is unknown: "no contact data", never silently fine.
A prisoner we do not monitor (imported without contact data) has no contact data either.
The lapse is a minimum: no contact *on record* for at least that many days. A prisoner in
custody is overdue when it exceeds their own threshold for that party, else the configured
default.

`since()` is the rule for one prisoner and party. Its result is stored per prisoner (a
`ContactClock` row, kept current on every write by prisoners.clocks, for all records and for
public ones only), so the lapse of 100,000 prisoners is read, not recomputed: `annotate` adds
the lapse of every prisoner in a queryset under the names given by `names(party)`, `read`
turns them into a `Lapse`, `overdue_condition` and `longest_first` filter and sort on the
stored dates through their indexes. The admin, the public site, the filters and the alerts
all go through here.
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casetracker import text
from casetracker.dates import ApproximateDate, DaysBetween
from casetracker.env import ConfigurationError
from events.models import IncidentKind, Party

from .status import in_custody_condition


class LapseBasis(models.TextChoices):
    CONTACT = "contact", gettext_lazy("last contact")
    CUSTODY = "custody", gettext_lazy("start of custody (no contact on record)")
    MONITORING = "monitoring", gettext_lazy("start of monitoring (no contact on record)")
    DENIAL = "denial", gettext_lazy("first reported denial of contact")
    UNKNOWN = "unknown", gettext_lazy("no contact data")


# Which incidents prove that a party could not reach the prisoner (evidence, not contact).
DENIAL_KINDS = {
    Party.LAWYER: [IncidentKind.LAWYER_ACCESS_DENIED, IncidentKind.INCOMMUNICADO],
    Party.FAMILY: [IncidentKind.FAMILY_CONTACT_DENIED, IncidentKind.INCOMMUNICADO],
}

# Thresholds, in days: a prisoner's own (optional) and the configured defaults.
THRESHOLD_MIN, THRESHOLD_MAX = 1, 3650
THRESHOLD_LABELS = {
    Party.LAWYER: gettext_lazy("lawyer contact threshold (days)"),
    Party.FAMILY: gettext_lazy("family contact threshold (days)"),
}
THRESHOLD_RANGE_MESSAGES = {
    Party.LAWYER: gettext_lazy("The lawyer contact threshold must be between {min} and {max} days."),
    Party.FAMILY: gettext_lazy("The family contact threshold must be between {min} and {max} days."),
}


def threshold_validators():
    return [MinValueValidator(THRESHOLD_MIN), MaxValueValidator(THRESHOLD_MAX)]


def threshold_field(party):
    """The prisoner's own threshold for `party` (empty: the configured default)."""
    return models.PositiveSmallIntegerField(
        THRESHOLD_LABELS[party],
        null=True,
        blank=True,
        validators=threshold_validators(),
        help_text=gettext_lazy("Leave empty for the configured default."),
    )


def threshold_constraint(party):
    """The database half of `threshold_validators`."""
    field = names(party).own_threshold
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (THRESHOLD_MIN, THRESHOLD_MAX)}),
        name=f"prisoner_{party}_threshold_range",
        violation_error_message=format_lazy(THRESHOLD_RANGE_MESSAGES[party], min=THRESHOLD_MIN, max=THRESHOLD_MAX),
    )


def default_threshold_variable(party):
    return f"{party.upper()}_CONTACT_THRESHOLD_DAYS"


def default_threshold(party):
    return settings.CONTACT_THRESHOLD_DAYS[party]


def check_default_thresholds():
    """Refuse to start on a configured default outside the range a prisoner's own may take."""
    for party in Party.values:
        days = default_threshold(party)
        if not THRESHOLD_MIN <= days <= THRESHOLD_MAX:
            raise ConfigurationError(
                f"{default_threshold_variable(party)}={days} is out of range ({THRESHOLD_MIN}–{THRESHOLD_MAX})."
            )


@dataclass(frozen=True)
class Names:
    """The annotation (and field) names of one party's lapse, e.g. `lawyer_days`."""

    party: str

    @property
    def basis(self):
        return f"{self.party}_basis"

    @property
    def since_day(self):
        return f"{self.party}_since_day"

    @property
    def since_precision(self):
        return f"{self.party}_since_precision"

    @property
    def since_latest(self):
        return f"{self.party}_since_latest"

    @property
    def days(self):
        return f"{self.party}_days"

    @property
    def threshold(self):
        return f"{self.party}_threshold"

    @property
    def overdue(self):
        return f"{self.party}_overdue"

    @property
    def read_from(self):
        """The annotations `read` takes a lapse from."""
        return [self.basis, self.since_day, self.since_precision, self.days, self.threshold, self.overdue]

    @property
    def own_threshold(self):
        """The model field holding the prisoner's own threshold."""
        return f"{self.party}_threshold_days"


@functools.cache  # read for every prisoner of an export: made once per party
def names(party):
    return Names(Party(party).value)


PUBLIC_FLAG = "lapse_public"  # annotated: whether the lapse counted only public records


@dataclass(frozen=True)
class Lapse:
    """How long a prisoner has been cut off from one party, and whether that is too long."""

    party: str
    basis: str
    since: ApproximateDate | None
    days: int | None
    threshold: int
    overdue: bool

    @property
    def known(self):
        return self.basis != LapseBasis.UNKNOWN

    @property
    def basis_label(self):
        return LapseBasis(self.basis).label

    @property
    def duration(self):
        """The lapse in years and months ("3 years 9 months"), beside the exact count of days; "" when it would only
        repeat that count (under a month)."""
        return text.beside_days(self.since.latest, self.days) if self.known else ""

    @property
    def counted(self):
        """Whether there is a count yet: not while the last date can still mean a day to come ("June 2024" during
        June)."""
        return self.days is not None and self.days > 0

    @property
    def at_least(self):
        """The count as a minimum, "at least 1,389 days (3 years 9 months)": it runs from the latest day the last
        known date can mean, up to today, and a contact since may simply not have been reported."""
        if self.duration:
            return _("at least %(days)s (%(duration)s)") % {"days": text.days(self.days), "duration": self.duration}
        return _("at least %(days)s") % {"days": text.days(self.days)}

    def __str__(self):
        lawyer = self.party == Party.LAWYER
        if not self.known:
            return _("No lawyer contact data") if lawyer else _("No family contact data")
        if not self.counted:
            if lawyer:
                return _("No lawyer contact on record since %(since)s") % {"since": self.since.genitive}
            return _("No family contact on record since %(since)s") % {"since": self.since.genitive}
        values = {"at_least": self.at_least, "since": self.since.genitive}
        if lawyer:
            return _("No lawyer contact on record for %(at_least)s, since %(since)s") % values
        return _("No family contact on record for %(at_least)s, since %(since)s") % values

    @property
    def brief(self):
        """The lapse beside the party's name (a case's key facts): "none on record since 7 February 2023: at least
        1,389 days (3 years 9 months)"."""
        if not self.known:
            return _("no contact data")
        if self.counted:
            return _("none on record since %(since)s: %(at_least)s") % {
                "since": self.since.genitive,
                "at_least": self.at_least,
            }
        return _("none on record since %(since)s") % {"since": self.since.genitive}


@dataclass(frozen=True)
class Since:
    """Where one party's lapse counts from: the basis and its date (None when unknown)."""

    basis: str
    date: ApproximateDate | None = None


NO_DATA = Since(LapseBasis.UNKNOWN)


def since(*, monitored, detained, monitored_from, last_contact, first_denial):
    """The rule itself, for one prisoner and party (every date an ApproximateDate or None)."""
    if not monitored:
        return NO_DATA
    if last_contact is not None:
        return Since(LapseBasis.CONTACT, last_contact)
    if detained is not None:
        if monitored_from is not None and monitored_from.latest > detained.latest:
            return Since(LapseBasis.MONITORING, monitored_from)
        return Since(LapseBasis.CUSTODY, detained)
    if first_denial is not None:
        return Since(LapseBasis.DENIAL, first_denial)
    return NO_DATA


# Where each prisoner's `since` is stored: the ContactClock row (prisoners.clocks keeps it
# current), one set of columns per scope (all records, or public ones only) and party.
CLOCK = "clock"


def clock_field(party, part, *, public=False):
    """A ContactClock column: part is "basis", "since", "since_precision" or "since_latest"."""
    return f"{'public_' if public else ''}{party}_{part}"


def _stored(party, part, public):
    return F(f"{CLOCK}__{clock_field(party, part, public=public)}")


def annotate(queryset, *, public=False, today=None):
    """Every party's lapse for every prisoner in `queryset`, read from the stored clocks.

    `public=True` reads the lapse counted from public records only, so a shorter lapse
    never betrays an internal contact.
    """
    today = today or timezone.localdate()
    queryset = queryset.annotate(**{PUBLIC_FLAG: Value(public, output_field=models.BooleanField())})
    for party in Party.values:
        name = names(party)
        queryset = queryset.annotate(
            **{
                name.basis: Coalesce(_stored(party, "basis", public), Value(LapseBasis.UNKNOWN)),
                name.since_day: _stored(party, "since", public),
                name.since_precision: _stored(party, "since_precision", public),
                name.since_latest: _stored(party, "since_latest", public),
                name.threshold: Coalesce(
                    F(name.own_threshold), Value(default_threshold(party)), output_field=models.IntegerField()
                ),
            }
        ).annotate(**{name.days: DaysBetween(Value(today, output_field=models.DateField()), F(name.since_latest))})
        queryset = queryset.annotate(
            **{
                name.overdue: Case(
                    When(_overdue(party, today), then=True), default=False, output_field=models.BooleanField()
                )
            }
        )
    return queryset


def _overdue(party, today):
    """In custody, and the lapse past the threshold. On the default threshold this is a range
    on the stored date (the clock's index serves it); on a prisoner's own, days past their own."""
    name = names(party)
    cutoff = today - datetime.timedelta(days=default_threshold(party))
    on_default = Q(**{f"{name.own_threshold}__isnull": True, f"{name.since_latest}__lt": cutoff})
    on_own = Q(**{f"{name.own_threshold}__isnull": False, f"{name.days}__gt": F(name.own_threshold)})
    return in_custody_condition() & (on_default | on_own)


def overdue_condition(party=None, *, today=None):
    """Filter an annotated queryset for prisoners in custody cut off from `party` (or from
    either) past the threshold."""
    today = today or timezone.localdate()
    condition = Q()
    for each in [party] if party else Party.values:
        condition |= _overdue(each, today)
    return condition


def longest_first(party):
    """Ordering of an annotated queryset: the longest lapse first, no contact data last (the
    stored date ascending, which the clock's index serves)."""
    return F(names(party).since_latest).asc(nulls_last=True)


def read(prisoner, party):
    """The lapse of an annotated prisoner. Never computed behind the caller's back: whether
    it may count internal records (staff) or only public ones is the queryset's choice."""
    name = names(party)
    if not hasattr(prisoner, name.basis):
        raise ValueError("Annotate with Prisoner.objects.with_contact_lapse(public=…) to read lapses.")
    day = getattr(prisoner, name.since_day)
    return Lapse(
        party=party,
        basis=getattr(prisoner, name.basis),
        since=None if day is None else ApproximateDate.of(day, getattr(prisoner, name.since_precision)),
        days=getattr(prisoner, name.days),
        threshold=getattr(prisoner, name.threshold),
        overdue=bool(getattr(prisoner, name.overdue)),
    )
