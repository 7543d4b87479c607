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

Everything is computed for all prisoners in one SQL query (`annotate`), under annotation
names given by `names(party)`; `read` turns them into a `Lapse`. The admin, the public site,
the filters and the alerts all go through here.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from casetracker.dates import ApproximateDate, DaysBetween
from casetracker.env import ConfigurationError
from events.models import Contact, Incident, IncidentKind, Party

from .status import in_custody_condition


class LapseBasis(models.TextChoices):
    CONTACT = "contact", "last contact"
    CUSTODY = "custody", "start of custody (no contact on record)"
    MONITORING = "monitoring", "start of monitoring (no contact on record)"
    DENIAL = "denial", "first reported denial of contact"
    UNKNOWN = "unknown", "no contact data"


# Which incidents prove that a party could not reach the prisoner (evidence, not contact).
DENIAL_KINDS = {
    Party.LAWYER: [IncidentKind.LAWYER_ACCESS_DENIED, IncidentKind.INCOMMUNICADO],
    Party.FAMILY: [IncidentKind.FAMILY_CONTACT_DENIED, IncidentKind.INCOMMUNICADO],
}

# Thresholds, in days: a prisoner's own (optional) and the configured defaults.
THRESHOLD_MIN, THRESHOLD_MAX = 1, 3650


def threshold_validators():
    return [MinValueValidator(THRESHOLD_MIN), MaxValueValidator(THRESHOLD_MAX)]


def threshold_field(party):
    """The prisoner's own threshold for `party` (empty: the configured default)."""
    return models.PositiveSmallIntegerField(
        f"{party} contact threshold (days)",
        null=True,
        blank=True,
        validators=threshold_validators(),
        help_text="Leave empty for the configured default.",
    )


def threshold_constraint(party):
    """The database half of `threshold_validators`."""
    field = names(party).own_threshold
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (THRESHOLD_MIN, THRESHOLD_MAX)}),
        name=f"prisoner_{party}_threshold_range",
        violation_error_message=(
            f"The {party} contact threshold must be between {THRESHOLD_MIN} and {THRESHOLD_MAX} days."
        ),
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
    def own_threshold(self):
        """The model field holding the prisoner's own threshold."""
        return f"{self.party}_threshold_days"


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

    def __str__(self):
        if not self.known:
            return f"No {self.party} contact data"
        return f"No {self.party} contact on record for at least {self.days} days (since {self.since})"


# Building the annotation, step by step.


def _last_contact(contacts, party):
    """Subqueries for the date of the contact with the latest possible day."""
    last = contacts.filter(prisoner=OuterRef("pk"), party=party).order_by("-date_latest", "-date")
    return {part: Subquery(last.values(column)[:1]) for part, column in _DATE_PARTS.items()}


def _first_denial(incidents, party):
    """Subqueries for the start of the earliest denial of contact with `party`."""
    first = incidents.filter(prisoner=OuterRef("pk"), kind__in=DENIAL_KINDS[party]).order_by("start", "start_latest")
    return {part: Subquery(first.values(f"start{suffix}")[:1]) for part, suffix in _START_PARTS.items()}


_DATE_PARTS = {"day": "date", "precision": "date_precision", "latest": "date_latest"}
_START_PARTS = {"day": "", "precision": "_precision", "latest": "_latest"}


def _by_basis(party, output_field, on_contact, on_custody, on_monitoring, on_denial, default=None):
    """One value per basis, in the rule's order of preference."""
    return Case(
        When(monitored=False, then=default),
        When(Q(**{f"_{party}_contact_latest__isnull": False}), then=on_contact),
        When(detained__isnull=False, monitored_from_latest__gt=F("detained_latest"), then=on_monitoring),
        When(detained__isnull=False, then=on_custody),
        When(Q(**{f"_{party}_denial_latest__isnull": False}), then=on_denial),
        default=default,
        output_field=output_field,
    )


def _since(queryset, party, contacts, incidents):
    """Annotate the basis and the date the lapse counts from."""
    contact, denial = _last_contact(contacts, party), _first_denial(incidents, party)
    name = names(party)
    queryset = queryset.annotate(
        **{f"_{party}_contact_latest": contact["latest"], f"_{party}_denial_latest": denial["latest"]}
    )
    date, text = models.DateField(), models.CharField()
    return queryset.annotate(
        **{
            name.basis: _by_basis(
                party,
                text,
                Value(LapseBasis.CONTACT),
                Value(LapseBasis.CUSTODY),
                Value(LapseBasis.MONITORING),
                Value(LapseBasis.DENIAL),
                default=Value(LapseBasis.UNKNOWN),
            ),
            name.since_day: _by_basis(party, date, contact["day"], F("detained"), F("monitored_from"), denial["day"]),
            name.since_precision: _by_basis(
                party,
                text,
                contact["precision"],
                F("detained_precision"),
                F("monitored_from_precision"),
                denial["precision"],
            ),
            name.since_latest: _by_basis(
                party,
                date,
                F(f"_{party}_contact_latest"),
                F("detained_latest"),
                F("monitored_from_latest"),
                F(f"_{party}_denial_latest"),
            ),
        }
    )


def _days_and_verdict(queryset, party, today):
    """Annotate the days since then, the threshold and whether it is passed (in custody only)."""
    name = names(party)
    queryset = queryset.annotate(
        **{
            name.threshold: Coalesce(
                F(name.own_threshold), Value(default_threshold(party)), output_field=models.IntegerField()
            ),
            name.days: DaysBetween(Value(today, output_field=models.DateField()), F(name.since_latest)),
        }
    )
    return queryset.annotate(
        **{
            name.overdue: Case(
                When(in_custody_condition() & Q(**{f"{name.days}__gt": F(name.threshold)}), then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        }
    )


def annotate(queryset, *, public=False, today=None):
    """Every party's lapse for every prisoner in `queryset`, in one query.

    `public=True` counts only what the public site may show, so a shorter lapse never
    betrays an internal contact.
    """
    today = today or timezone.localdate()
    contacts = Contact.objects.public() if public else Contact.objects.all()
    incidents = Incident.objects.public() if public else Incident.objects.all()
    queryset = queryset.annotate(**{PUBLIC_FLAG: Value(public, output_field=models.BooleanField())})
    for party in Party.values:
        queryset = _days_and_verdict(_since(queryset, party, contacts, incidents), party, today)
    return queryset


def overdue_condition(party=None):
    """Filter for prisoners cut off from `party` (or from either) past the threshold."""
    condition = Q()
    for each in [party] if party else Party.values:
        condition |= Q(**{names(each).overdue: True})
    return condition


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
        since=None if day is None else ApproximateDate(day, getattr(prisoner, name.since_precision)),
        days=getattr(prisoner, name.days),
        threshold=getattr(prisoner, name.threshold),
        overdue=bool(getattr(prisoner, name.overdue)),
    )
