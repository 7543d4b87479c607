import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from casetracker.dates import (
    ApproximateDate,
    DaysBetween,
    approximate_date,
    check_not_in_future,
    check_period,
    ends_after_start_constraint,
)
from casetracker.text import FoldedField, fold


class Status(models.TextChoices):
    DETAINED = "detained", "detained"
    RELEASED = "released", "released"
    EXILE = "exile", "in exile"
    DECEASED = "deceased", "deceased"
    UNKNOWN = "unknown", "unknown"


class Party(models.TextChoices):
    """Who a prisoner must be able to reach: the two lapses we watch."""

    LAWYER = "lawyer", "lawyer"
    FAMILY = "family", "family"


class LapseBasis(models.TextChoices):
    CONTACT = "contact", "last contact"
    CUSTODY = "custody", "start of custody (no contact on record)"
    DENIAL = "denial", "first reported denial of contact"
    UNKNOWN = "unknown", "no contact data"


THRESHOLD_VALIDATORS = [MinValueValidator(1), MaxValueValidator(3650)]


def default_threshold(party):
    return settings.CONTACT_THRESHOLD_DAYS[party]


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
        return f"No {self.party} contact for {self.days} days (since {self.since})"


@dataclass(frozen=True)
class TimelineEntry:
    """One dated fact on a public case page: an incident, a contact or a custody change."""

    kind: str  # "incident", "contact" or "custody"
    record: models.Model
    date: ApproximateDate | None  # the start; None when unknown
    when: str  # the date (range) as written
    title: str
    description: str = ""
    facility: "Facility | None" = None
    sources: list = field(default_factory=list)  # public sources only
    verification: str = ""

    @property
    def anchor(self):
        return f"{self.kind}-{self.record.pk}"

    def sort_key(self):
        """Chronological by earliest, then latest day; unknown dates first, like custody periods."""
        rank = ("custody", "contact", "incident").index(self.kind)  # a last contact before the denial that follows
        if self.date is None:
            return (0, datetime.date.min, datetime.date.min, rank, self.record.pk)
        return (1, self.date.earliest, self.date.latest, rank, self.record.pk)

    @classmethod
    def of_incident(cls, incident):
        return cls(
            "incident",
            incident,
            incident.start_approx,
            incident.date_range,
            incident.get_kind_display(),
            incident.description,
            incident.facility,
            incident.public_sources,
            incident.get_verification_display(),
        )

    @classmethod
    def of_contact(cls, contact):
        title = f"{contact.get_party_display().capitalize()} contact"
        if contact.channel != "unspecified":
            title += f" ({contact.get_channel_display()})"
        return cls(
            "contact",
            contact,
            contact.date_approx,
            str(contact.date_approx),
            title,
            contact.description,
            sources=contact.public_sources,
        )

    @classmethod
    def of_custody(cls, period):
        # The custody note is not shown: it has no public/internal flag of its own.
        when, title = period.period, f"Held at {period.facility}"
        return cls("custody", period, period.start_approx, when, title, facility=period.facility)


@dataclass(frozen=True)
class PublicLawyer:
    name: str
    start: ApproximateDate | None
    end: ApproximateDate | None
    reprisals: list  # public disbarment incidents


def unique_slug(instance, text, max_length=80):
    """A permanent URL slug from any script: 'Калеснікава' -> 'kalesnikava'."""
    base = slugify(fold(text))[:max_length] or type(instance).__name__.lower()
    slug, n = base, 2
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class PrisonerQuerySet(models.QuerySet):
    def public(self):
        return self.filter(published=True)

    def search(self, query):
        """Match any name variant in any script or transliteration."""
        folded = fold(query)
        if not folded:
            return self
        return self.filter(Q(name_folded__contains=folded) | Q(name_variants__folded__contains=folded)).distinct()

    def with_contact_lapse(self, *, public=False, today=None):
        """Annotate `<party>_days`, `_threshold`, `_overdue`, `_basis` and `_since_*` per party.

        The lapse counts from the latest possible day of the last contact; with no
        contact on record, from the day detention began; with neither, from the start
        of the earliest reported denial of contact; otherwise it is unknown. All in
        one query. `public=True` counts only what the public site may show, so a
        shorter lapse never betrays an internal contact.
        """
        from events.models import Contact, Incident

        today = today or timezone.localdate()
        contacts = Contact.objects.public() if public else Contact.objects.all()
        incidents = Incident.objects.public() if public else Incident.objects.all()
        queryset = self.annotate(lapse_public=Value(public, output_field=models.BooleanField()))
        for party in Party.values:
            last_contact = contacts.filter(prisoner=OuterRef("pk"), party=party).order_by("-date_latest", "-date")
            first_denial = incidents.filter(prisoner=OuterRef("pk"), kind__in=Incident.denial_kinds(party)).order_by(
                "start", "start_latest"
            )
            contact = {col: Subquery(last_contact.values(col)[:1]) for col in ("date", "date_precision", "date_latest")}
            denial = {col: Subquery(first_denial.values(col)[:1]) for col in ("start", "start_precision", "start_latest")}
            has_contact = Q(**{f"_{party}_contact__isnull": False})
            has_denial = Q(**{f"_{party}_denial__isnull": False})

            def by_basis(on_contact, on_custody, on_denial, output_field, default=None):
                return Case(
                    When(has_contact, then=on_contact),
                    When(detained__isnull=False, then=on_custody),
                    When(has_denial, then=on_denial),
                    default=default,
                    output_field=output_field,
                )

            queryset = (
                queryset.annotate(**{f"_{party}_contact": contact["date_latest"], f"_{party}_denial": denial["start_latest"]})
                .annotate(
                    **{
                        f"{party}_basis": by_basis(
                            Value(LapseBasis.CONTACT),
                            Value(LapseBasis.CUSTODY),
                            Value(LapseBasis.DENIAL),
                            models.CharField(),
                            default=Value(LapseBasis.UNKNOWN),
                        ),
                        f"{party}_since_day": by_basis(contact["date"], F("detained"), denial["start"], models.DateField()),
                        f"{party}_since_precision": by_basis(
                            contact["date_precision"], F("detained_precision"), denial["start_precision"], models.CharField()
                        ),
                        f"{party}_since_latest": by_basis(
                            F(f"_{party}_contact"), F("detained_latest"), F(f"_{party}_denial"), models.DateField()
                        ),
                        f"{party}_threshold": Coalesce(
                            F(f"{party}_threshold_days"), Value(default_threshold(party)), output_field=models.IntegerField()
                        ),
                    }
                )
                .annotate(
                    **{
                        f"{party}_days": DaysBetween(
                            Value(today, output_field=models.DateField()), F(f"{party}_since_latest")
                        )
                    }
                )
                .annotate(
                    **{
                        f"{party}_overdue": Case(
                            When(Q(status=Status.DETAINED, **{f"{party}_days__gt": F(f"{party}_threshold")}), then=True),
                            default=False,
                            output_field=models.BooleanField(),
                        )
                    }
                )
            )
        return queryset

    def overdue(self, party=None, **lapse_options):
        """Prisoners in custody cut off from `party` (or from either) past the threshold."""
        parties = [party] if party else Party.values
        condition = Q()
        for each in parties:
            condition |= Q(**{f"{each}_overdue": True})
        return self.with_contact_lapse(**lapse_options).filter(condition)

    def held_at(self, facility=None, *, region=None):
        """Prisoners in custody whose open custody period is at `facility` (or in `region`) now."""
        periods = CustodyPeriod.objects.open().filter(prisoner=OuterRef("pk"))
        if facility is not None:
            periods = periods.filter(facility=facility)
        if region is not None:
            periods = periods.filter(facility__region=region)
        return self.filter(Exists(periods), status=Status.DETAINED)

    def with_public_last_updated(self):
        """Annotate `last_updated`: the newest change the public can see, to the record itself,
        a public incident or a public contact (an internal change never shows through)."""
        from events.models import Contact, Incident

        incident = Incident.objects.public().filter(prisoner=OuterRef("pk")).order_by("-updated").values("updated")
        contact = Contact.objects.public().filter(prisoner=OuterRef("pk")).order_by("-created").values("created")
        return self.annotate(
            last_updated=Greatest(
                F("updated"),
                Coalesce(Subquery(incident[:1]), F("updated")),
                Coalesce(Subquery(contact[:1]), F("updated")),
            )
        )

    def with_public_details(self):
        """Published prisoners with everything a public page or export shows of them: the lapse
        from public records only, last update, where they are held, names, charges, sentences and
        lawyers. A fixed number of queries however many prisoners."""
        return (
            self.public()
            .with_contact_lapse(public=True)
            .with_public_last_updated()
            .prefetch_related(
                "name_variants",
                "charges",
                "sentences",
                Prefetch(
                    "custody_periods",
                    queryset=CustodyPeriod.objects.open().select_related("facility"),
                    to_attr="open_custody_periods",
                ),
                Prefetch("representations", queryset=Representation.objects.select_related("lawyer")),
            )
        )


class Prisoner(approximate_date("detained", "date detained", required=False), models.Model):
    name = models.CharField("display name", max_length=200)
    name_folded = FoldedField(source="name")
    slug = models.SlugField(
        max_length=80, unique=True, blank=True, help_text="Permanent part of the public URL; filled in from the name."
    )
    bio = models.TextField("short public bio", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DETAINED)
    published = models.BooleanField(default=False, help_text="Shown on the public site. Only editors can change this.")
    lawyer_threshold_days = models.PositiveSmallIntegerField(
        "lawyer contact threshold (days)",
        null=True,
        blank=True,
        validators=THRESHOLD_VALIDATORS,
        help_text="Leave empty for the configured default.",
    )
    family_threshold_days = models.PositiveSmallIntegerField(
        "family contact threshold (days)",
        null=True,
        blank=True,
        validators=THRESHOLD_VALIDATORS,
        help_text="Leave empty for the configured default.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PrisonerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_prisoner", "Can publish or unpublish a prisoner")]
        constraints = [
            models.CheckConstraint(
                condition=Q(lawyer_threshold_days__isnull=True) | Q(lawyer_threshold_days__range=(1, 3650)),
                name="prisoner_lawyer_threshold_range",
                violation_error_message="The lawyer contact threshold must be between 1 and 3650 days.",
            ),
            models.CheckConstraint(
                condition=Q(family_threshold_days__isnull=True) | Q(family_threshold_days__range=(1, 3650)),
                name="prisoner_family_threshold_range",
                violation_error_message="The family contact threshold must be between 1 and 3650 days.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The permanent public case page (404 until the prisoner is published)."""
        return reverse("public:prisoner", args=[self.slug])

    def clean(self):
        errors = {}
        check_not_in_future(errors, "detained", self.detained_approx)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def check_not_before_detention(self, errors, field, value, what):
        """Nothing that happens in custody can precede the detention itself."""
        detained = self.detained_approx
        if value is not None and detained is not None and value.is_definitely_before(detained):
            errors.setdefault(field, []).append(
                ValidationError(f"{what} ({value}) is before the detention ({detained}).", code="before_detention")
            )

    def threshold(self, party):
        return getattr(self, f"{party}_threshold_days") or default_threshold(party)

    def lapse(self, party):
        """The lapse for `party`, from the annotations of `with_contact_lapse()`.

        Never computed behind the caller's back: whether it may count internal records
        (staff) or only public ones (public site) is the queryset's choice, made explicitly.
        """
        if not hasattr(self, f"{party}_basis"):
            raise ValueError("Annotate with Prisoner.objects.with_contact_lapse(public=…) to read lapses.")
        day = getattr(self, f"{party}_since_day")
        return Lapse(
            party=party,
            basis=getattr(self, f"{party}_basis"),
            since=None if day is None else ApproximateDate(day, getattr(self, f"{party}_since_precision")),
            days=getattr(self, f"{party}_days"),
            threshold=getattr(self, f"{party}_threshold"),
            overdue=bool(getattr(self, f"{party}_overdue")),
        )

    @property
    def in_custody(self):
        return self.status == Status.DETAINED

    @property
    def days_in_detention(self):
        """Counted from the latest day detention can have begun: never overstated."""
        if not self.in_custody or self.detained_approx is None:
            return None
        return (timezone.localdate() - self.detained_approx.latest).days

    @property
    def current_custody(self):
        """Where the prisoner is now: the open custody period, derived, never typed twice."""
        if not self.in_custody:
            return None
        if hasattr(self, "open_custody_periods"):  # prefetched by with_public_details()
            return next(iter(self.open_custody_periods), None)
        return self.custody_periods.open().select_related("facility").first()

    @property
    def current_facility(self):
        custody = self.current_custody
        return custody and custody.facility

    @property
    def current_sentence(self):
        if "sentences" in getattr(self, "_prefetched_objects_cache", {}):
            return max(self.sentences.all(), key=lambda sentence: (sentence.date, sentence.pk), default=None)
        return self.sentences.order_by("-date", "-pk").first()

    # What the public site shows of a prisoner: read only through the public querysets.

    @cached_property
    def public_incidents(self):
        """Public incidents, in date order, with their facility, lawyer and public sources."""
        from events.models import Incident

        incidents = Incident.objects.public().filter(prisoner=self)
        return list(incidents.select_related("facility", "lawyer").with_public_sources())

    def public_timeline(self):
        """Public incidents, public contacts and custody changes, in date order (unknown dates first)."""
        from events.models import Contact

        contacts = Contact.objects.public().filter(prisoner=self).with_public_sources()
        custody = CustodyPeriod.objects.public().filter(prisoner=self).select_related("facility")
        entries = [
            *(TimelineEntry.of_incident(incident) for incident in self.public_incidents),
            *(TimelineEntry.of_contact(contact) for contact in contacts),
            *(TimelineEntry.of_custody(period) for period in custody),
        ]
        return sorted(entries, key=TimelineEntry.sort_key)

    def public_lawyers(self):
        """Lawyers who represent(ed) the prisoner, each with the public reprisals against them."""
        from events.models import IncidentKind

        reprisals = {}
        for incident in self.public_incidents:
            if incident.kind == IncidentKind.DISBARMENT and incident.lawyer_id:
                reprisals.setdefault(incident.lawyer_id, []).append(incident)
        lawyers = [
            PublicLawyer(rep.lawyer.name, rep.start_approx, rep.end_approx, reprisals.pop(rep.lawyer_id, []))
            for rep in self.representations.all()
        ]
        for incidents in reprisals.values():  # reprisals against a lawyer not (or no longer) on record
            lawyers.append(PublicLawyer(incidents[0].lawyer.name, None, None, incidents))
        return lawyers


class NameVariantBase(models.Model):
    name = models.CharField(max_length=200)
    folded = FoldedField(source="name")
    note = models.CharField(max_length=100, blank=True, help_text="e.g. Belarusian Cyrillic, Russian transliteration")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class NameVariant(NameVariantBase):
    prisoner = models.ForeignKey(Prisoner, on_delete=models.CASCADE, related_name="name_variants")
    history = HistoricalRecords()

    class Meta(NameVariantBase.Meta):
        constraints = [
            models.UniqueConstraint(
                "prisoner",
                Lower("name"),
                name="unique_prisoner_name_variant",
                violation_error_message="This prisoner already has this name variant.",
            )
        ]


class FacilityKind(models.TextChoices):
    TEMPORARY_DETENTION = "temporary_detention", "temporary detention facility"
    PRE_TRIAL = "pre_trial", "pre-trial detention centre"
    PENAL_COLONY = "penal_colony", "penal colony"
    PRISON = "prison", "prison"
    HOSPITAL = "hospital", "hospital"
    OTHER = "other", "other"


class FacilityQuerySet(models.QuerySet):
    def public(self):
        """Facilities a public page may name: where a published prisoner is or was held,
        or where a public incident happened."""
        from events.models import Incident

        held = CustodyPeriod.objects.public().filter(facility=OuterRef("pk"))
        incidents = Incident.objects.public().filter(facility=OuterRef("pk"))
        return self.filter(Q(Exists(held)) | Q(Exists(incidents)))

    def with_public_held_count(self):
        """Annotate `held_count`: how many published prisoners are held there now."""
        held_now = Prisoner.objects.public().held_at()
        held = CustodyPeriod.objects.open().filter(facility=OuterRef("pk"), prisoner__in=held_now)
        count = held.order_by().values("facility").annotate(n=models.Count("pk")).values("n")
        return self.annotate(held_count=Coalesce(Subquery(count), 0))


class Facility(models.Model):
    name = models.CharField(max_length=200)
    name_folded = FoldedField(source="name")
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    kind = models.CharField(max_length=20, choices=FacilityKind.choices)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords()
    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "facilities"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.city}" if self.city else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, f"{self.name} {self.city}")
        super().save(*args, **kwargs)


class FacilityNameVariant(NameVariantBase):
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="name_variants")
    history = HistoricalRecords()

    class Meta(NameVariantBase.Meta):
        constraints = [
            models.UniqueConstraint(
                "facility",
                Lower("name"),
                name="unique_facility_name_variant",
                violation_error_message="This facility already has this name variant.",
            )
        ]


class CustodyPeriodQuerySet(models.QuerySet):
    def public(self):
        return self.filter(prisoner__published=True)

    def open(self):
        """Periods without an end: where someone is held now (if they are in custody)."""
        return self.filter(end__isnull=True)


class CustodyPeriod(
    approximate_date("start", "from", required=False),
    approximate_date("end", "until", required=False),
    models.Model,
):
    """A prisoner held at a facility. No end = held there now; no start = start unknown."""

    prisoner = models.ForeignKey(Prisoner, on_delete=models.CASCADE, related_name="custody_periods")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="custody_periods")
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()
    objects = CustodyPeriodQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "custody periods"
        ordering = [F("start").asc(nulls_first=True), "pk"]  # unknown start = earliest
        constraints = [ends_after_start_constraint()]
        # PostgreSQL also refuses overlapping periods (exclusion constraint, migration 0002).

    def __str__(self):
        return f"{self.facility}: {self.period}"

    @property
    def period(self):
        start = self.start_approx or "unknown date"
        return f"{start} – {self.end_approx or 'now'}"

    def _bounds(self):
        start = self.start_approx.earliest if self.start is not None else datetime.date.min
        end = self.end_approx.earliest if self.end is not None else datetime.date.max
        return start, max(start, end)

    def overlaps_with(self, other):
        """Periods share a day, judged like the database: half-open on earliest days,
        a missing start or end open-ended. A transfer day ends one period and starts the next."""
        (start, end), (other_start, other_end) = self._bounds(), other._bounds()
        return other_start < end and start < other_end

    @staticmethod
    def first_overlap_among(periods):
        for i, period in enumerate(periods):
            for other in periods[i + 1 :]:
                if period.overlaps_with(other):
                    return period, other
        return None

    def first_stored_overlap(self):
        """Another stored period of this prisoner that overlaps this one (a prisoner has few)."""
        others = CustodyPeriod.objects.filter(prisoner_id=self.prisoner_id).exclude(pk=self.pk)
        return next((other for other in others.select_related("facility") if self.overlaps_with(other)), None)

    def clean(self):
        errors = {}
        check_period(errors, self.start_approx, self.end_approx)
        if self.prisoner_id:
            self.prisoner.check_not_before_detention(errors, "start", self.start_approx, "The custody period")
            overlapping = None if getattr(self, "overlap_checked_elsewhere", False) else self.first_stored_overlap()
            if overlapping:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    ValidationError(f"This overlaps another custody period ({overlapping}).", code="overlap")
                )
        if errors:
            raise ValidationError(errors)


class Charge(models.Model):
    prisoner = models.ForeignKey(Prisoner, on_delete=models.CASCADE, related_name="charges")
    article = models.CharField("criminal-code article", max_length=100, blank=True)
    label = models.CharField("plain-language label", max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.label} ({self.article})" if self.article else self.label


class Regime(models.TextChoices):
    GENERAL = "general", "general regime"
    REINFORCED = "reinforced", "reinforced regime"
    STRICT = "strict", "strict regime"
    SPECIAL = "special", "special regime"
    PRISON = "prison", "prison"


class Sentence(approximate_date("date", "sentenced on"), models.Model):
    prisoner = models.ForeignKey(Prisoner, on_delete=models.CASCADE, related_name="sentences")
    court = models.CharField(max_length=200, blank=True)
    term_years = models.PositiveSmallIntegerField(default=0)
    term_months = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(11)])
    regime = models.CharField(max_length=12, choices=Regime.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_years__gt=0) | Q(term_months__gt=0),
                name="sentence_term_positive",
                violation_error_message="A sentence needs a term of at least one month.",
            )
        ]

    def __str__(self):
        return f"{self.term} ({self.date_approx})"

    @property
    def term(self):
        parts = []
        if self.term_years:
            parts.append(f"{self.term_years} year{'s' if self.term_years != 1 else ''}")
        if self.term_months:
            parts.append(f"{self.term_months} month{'s' if self.term_months != 1 else ''}")
        return " ".join(parts)

    @property
    def expected_release(self):
        """Term counted from detention (time in custody counts), else from sentencing."""
        start = self.prisoner.detained_approx or self.date_approx
        return start and start.plus(years=self.term_years, months=self.term_months)

    def clean(self):
        errors = {}
        check_not_in_future(errors, "date", self.date_approx)
        if errors:
            raise ValidationError(errors)


class Lawyer(models.Model):
    name = models.CharField(max_length=200)
    name_folded = FoldedField(source="name")
    note = models.TextField("internal notes", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Representation(
    approximate_date("start", "from", required=False),
    approximate_date("end", "until", required=False),
    models.Model,
):
    prisoner = models.ForeignKey(Prisoner, on_delete=models.CASCADE, related_name="representations")
    lawyer = models.ForeignKey(Lawyer, on_delete=models.PROTECT, related_name="representations")

    history = HistoricalRecords()

    class Meta:
        ordering = [F("start").asc(nulls_first=True), "pk"]
        constraints = [ends_after_start_constraint()]

    def __str__(self):
        return f"{self.lawyer} for {self.prisoner}"

    def clean(self):
        errors = {}
        check_period(errors, self.start_approx, self.end_approx)
        if errors:
            raise ValidationError(errors)
