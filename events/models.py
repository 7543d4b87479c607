from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from casetracker.dates import (
    approximate_date,
    check_not_in_future,
    check_period,
    date_range,
    ends_after_start_constraint,
    from_earliest_constraints,
)
from casetracker.public_record import PublicFields, public_id_field
from casetracker.relations import related
from casetracker.text import FoldedField
from casetracker.translated import translatable, translation_fields, written_in
from casetracker.web_address import WebAddressField


class Party(models.TextChoices):
    """Who a prisoner must be able to reach: the two parties whose contact we watch."""

    LAWYER = "lawyer", pgettext_lazy("party", "lawyer")
    FAMILY = "family", pgettext_lazy("party", "family")


class Visibility(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("visibility", "public")
    INTERNAL = "internal", pgettext_lazy("visibility", "internal")


class Verification(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("verification", "reported")
    CREDIBLE = "credible", pgettext_lazy("verification", "credible")
    CONFIRMED = "confirmed", pgettext_lazy("verification", "confirmed")

    @classmethod
    def meanings(cls):
        """What each grade tells a reader (the case page's legend), weakest first."""
        return [
            (cls.REPORTED.label, _("published by the source named, not yet corroborated")),
            (
                cls.CREDIBLE.label,
                _("from a source with a record of accurate reporting, such as a human-rights group"),
            ),
            (cls.CONFIRMED.label, _("confirmed by independent sources, or by the person, their lawyer or family")),
        ]


class Organisation(models.Model):
    name = models.CharField(gettext_lazy("name"), max_length=200, unique=True)
    name_folded = FoldedField(gettext_lazy("name folded"), source="name")
    url = WebAddressField(gettext_lazy("url"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("organisation")
        verbose_name_plural = gettext_lazy("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SourceKind(models.TextChoices):
    STATEMENT = "statement", pgettext_lazy("source kind", "statement")
    NEWS = "news", pgettext_lazy("source kind", "news or report")
    COURT_DOCUMENT = "court_document", pgettext_lazy("source kind", "court document")
    PRIVATE = "private", pgettext_lazy("source kind", "private communication")


class SourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(confidential=False)


class Source(
    approximate_date("published", gettext_lazy("date"), required=False),
    translatable("title", text=False),
    models.Model,
):
    title = models.CharField(gettext_lazy("title"), max_length=300)
    written_in = written_in()
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=SourceKind.choices)
    publisher = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
        verbose_name=gettext_lazy("publisher"),
    )
    signatories = models.ManyToManyField(
        Organisation, blank=True, related_name="signed_sources", verbose_name=gettext_lazy("signatories")
    )
    url = WebAddressField(gettext_lazy("URL"), max_length=500, blank=True)
    confidential = models.BooleanField(
        gettext_lazy("confidential"),
        default=True,
        help_text=gettext_lazy(
            "Confidential sources never appear on the public site. Only editors can make a source public."
        ),
    )
    internal_notes = models.TextField(gettext_lazy("internal notes"), blank=True)

    history = HistoricalRecords(m2m_fields=[signatories])
    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("source")
        verbose_name_plural = gettext_lazy("sources")
        ordering = [models.F("published").desc(nulls_last=True), "title"]
        permissions = [("publish_source", "Can make a source public")]
        constraints = from_earliest_constraints("published")

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        check_not_in_future(errors, "published", self.published_approx)
        if errors:
            raise ValidationError(errors)


class WithPublicSourcesQuerySet(models.QuerySet):
    def with_public_sources(self):
        """Prefetch each record's public sources (publisher, signatories) for `public_sources`."""
        sources = Source.objects.public().select_related("publisher").prefetch_related("signatories")
        return self.prefetch_related(Prefetch("sources", queryset=sources, to_attr="_public_sources"))


class HasPublicSources:
    @property
    def public_sources(self):
        """The sources the public may see: never a confidential one."""
        if not hasattr(self, "_public_sources"):
            self._public_sources = list(self.sources.public().select_related("publisher"))
        return self._public_sources


class IncidentKind(models.TextChoices):
    ARREST = "arrest", pgettext_lazy("incident kind", "arrest")
    SENTENCING = "sentencing", pgettext_lazy("incident kind", "sentencing")
    TRANSFER = "transfer", pgettext_lazy("incident kind", "transfer")
    SHIZO = "shizo", pgettext_lazy("incident kind", "punishment isolation cell (ShIZO)")
    PKT = "pkt", pgettext_lazy("incident kind", "cell-type premises (PKT)")
    SOLITARY = "solitary", pgettext_lazy("incident kind", "solitary confinement")
    HOSPITALISATION = "hospitalisation", pgettext_lazy("incident kind", "hospitalisation")
    SURGERY = "surgery", pgettext_lazy("incident kind", "surgery")
    HEALTH_DETERIORATION = "health_deterioration", pgettext_lazy("incident kind", "deterioration of health")
    MEDICAL_CARE_DENIED = "medical_care_denied", pgettext_lazy("incident kind", "medical care denied")
    ILL_TREATMENT = "ill_treatment", pgettext_lazy("incident kind", "ill-treatment")
    FORCED_LABOUR = "forced_labour", pgettext_lazy("incident kind", "forced labour")
    LAWYER_ACCESS_DENIED = "lawyer_access_denied", pgettext_lazy("incident kind", "lawyer access denied")
    FAMILY_CONTACT_DENIED = "family_contact_denied", pgettext_lazy("incident kind", "family contact denied")
    INCOMMUNICADO = "incommunicado", pgettext_lazy("incident kind", "held incommunicado (lawyer and family)")
    NOT_INFORMED = "not_informed", pgettext_lazy("incident kind", "lawyer and family not informed")
    DISBARMENT = "disbarment", pgettext_lazy("incident kind", "disbarment of lawyer")
    RELEASE = "release", pgettext_lazy("incident kind", "release")
    DEATH_IN_CUSTODY = "death_in_custody", pgettext_lazy("incident kind", "death in custody")
    EXECUTION = "execution", pgettext_lazy("incident kind", "execution")
    OTHER = "other", pgettext_lazy("incident kind", "other")

    @classmethod
    def harm(cls, kind):
        """What a reader must not miss about an incident of `kind`: the harm it tells of ("punishment", "health",
        "ill-treatment", "cut off", "death"), or "" for the steps of a case (arrest, sentencing, transfer …)."""
        return next((harm for harm, kinds in HARMS.items() if kind in kinds), "")


# The harms a case page marks, in the order its summary lists them.
HARMS = {
    "punishment": [IncidentKind.SHIZO, IncidentKind.PKT, IncidentKind.SOLITARY],
    "ill-treatment": [IncidentKind.ILL_TREATMENT, IncidentKind.FORCED_LABOUR],
    "health": [
        IncidentKind.HOSPITALISATION,
        IncidentKind.SURGERY,
        IncidentKind.HEALTH_DETERIORATION,
        IncidentKind.MEDICAL_CARE_DENIED,
    ],
    "cut off": [
        IncidentKind.LAWYER_ACCESS_DENIED,
        IncidentKind.FAMILY_CONTACT_DENIED,
        IncidentKind.INCOMMUNICADO,
        IncidentKind.NOT_INFORMED,
    ],
    "death": [IncidentKind.DEATH_IN_CUSTODY, IncidentKind.EXECUTION],
}
# The harms as a page names them (the keys of HARMS stay as they are: codes).
HARM_LABELS = {
    "punishment": pgettext_lazy("harm", "punishment"),
    "ill-treatment": pgettext_lazy("harm", "ill-treatment"),
    "health": pgettext_lazy("harm", "health"),
    "cut off": pgettext_lazy("harm", "cut off"),
    "death": pgettext_lazy("harm", "death"),
}


class VisibleQuerySet(WithPublicSourcesQuerySet):
    def public(self):
        """Marked public, about a published prisoner."""
        return self.filter(visibility=Visibility.PUBLIC, prisoner__published=True)


class IncidentQuerySet(VisibleQuerySet):
    def most_recent_first(self):
        return self.order_by("-start", "-start_latest", "-pk")


class Incident(
    PublicFields,
    HasPublicSources,
    approximate_date("start", pgettext_lazy("period", "start")),
    approximate_date("end", pgettext_lazy("period", "end"), required=False),
    translatable("description"),
    models.Model,
):
    # What its public pages show (sources: the many-to-many, followed by prisoners.public_changes).
    PUBLIC_FIELDS = (
        "prisoner", "kind", "start", "start_precision", "end", "end_precision", "facility", "lawyer", "description",
        "verification", "written_in", *translation_fields("description"),
    )  # fmt: skip
    PUBLIC_IF = ("visibility", Visibility.PUBLIC)

    prisoner = models.ForeignKey(
        "prisoners.Prisoner", on_delete=models.CASCADE, related_name="incidents", verbose_name=gettext_lazy("prisoner")
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=30, choices=IncidentKind.choices)
    facility = models.ForeignKey(
        "prisoners.Facility",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=gettext_lazy("facility"),
    )
    lawyer = models.ForeignKey(
        "prisoners.Lawyer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        help_text=gettext_lazy("The lawyer concerned, e.g. the one disbarred."),
        verbose_name=gettext_lazy("lawyer"),
    )
    description = models.TextField(gettext_lazy("public description"))
    written_in = written_in()
    internal_notes = models.TextField(
        gettext_lazy("internal notes"), blank=True, help_text=gettext_lazy("Never shown publicly.")
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="incidents", verbose_name=gettext_lazy("sources"))
    visibility = models.CharField(
        gettext_lazy("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text=gettext_lazy("Only editors can make an incident public."),
    )
    verification = models.CharField(
        gettext_lazy("verification"), max_length=10, choices=Verification.choices, default=Verification.REPORTED
    )
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    updated = models.DateTimeField(gettext_lazy("updated"), auto_now=True)
    # Kept by prisoners.public_changes; the feeds' <updated> and <published>, never moved by an internal edit.
    public_changed = models.DateTimeField(
        gettext_lazy("last public change"),
        default=timezone.now,
        editable=False,
        help_text=gettext_lazy("When what the public sees last changed."),
    )
    published_at = models.DateTimeField(
        gettext_lazy("first published"),
        null=True,
        editable=False,
        help_text=gettext_lazy("When the public could first see it."),
    )
    public_id = public_id_field()

    # Bookkeeping of the public site, not facts anyone recorded.
    history = HistoricalRecords(m2m_fields=[sources], excluded_fields=["public_changed", "published_at", "public_id"])
    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("incident")
        verbose_name_plural = gettext_lazy("incidents")
        ordering = ["start", "start_latest", "pk"]
        permissions = [("publish_incident", "Can make an incident public")]
        constraints = [ends_after_start_constraint(), *from_earliest_constraints("start", "end")]
        indexes = [
            models.Index(fields=["prisoner", "kind", "start"]),
            # Newest first (the overview, facility pages, the admin) and most recently changed (feeds).
            models.Index(fields=["start", "start_latest", "id"], name="incident_chronological"),
            models.Index(fields=["public_changed", "id"], name="incident_public_changed"),
            models.Index(fields=["facility", "start", "start_latest", "id"], name="incident_at_facility"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.date_range} ({self.prisoner})"

    @property
    def anchor(self):
        return f"incident-{self.public_id}"

    def get_absolute_url(self):
        """The incident on its case page (public only when the incident and prisoner are)."""
        return f"{self.prisoner.get_absolute_url()}#{self.anchor}"

    @property
    def date_range(self):
        """'28 November – early December 2022', or the start alone."""
        return date_range(self.start_approx, self.end_approx, open_end=None)

    def clean(self):
        errors = {}
        check_period(errors, self.start_approx, self.end_approx)
        prisoner = related(self, "prisoner")
        if prisoner is not None and self.kind != IncidentKind.ARREST:
            prisoner.check_not_before_detention(errors, "start", self.start_approx, _("The incident"))
        if self.kind == IncidentKind.DISBARMENT and not self.lawyer_id:
            errors.setdefault("lawyer", []).append(ValidationError(_("Say which lawyer was disbarred.")))
        if errors:
            raise ValidationError(errors)


class Channel(models.TextChoices):
    VISIT = "visit", pgettext_lazy("contact channel", "visit")
    CALL = "call", pgettext_lazy("contact channel", "call")
    LETTER = "letter", pgettext_lazy("contact channel", "letter")
    UNSPECIFIED = "unspecified", pgettext_lazy("contact channel", "unspecified")


class Contact(
    PublicFields,
    HasPublicSources,
    approximate_date("date", gettext_lazy("date")),
    translatable("description"),
    models.Model,
):
    """A lawyer or family member actually reached the prisoner: this resets the lapse clock."""

    # What its public pages show (never the lawyer or person named: see the README); sources as for incidents.
    PUBLIC_FIELDS = (
        "prisoner", "party", "channel", "date", "date_precision", "description", "written_in",
        *translation_fields("description"),
    )  # fmt: skip
    PUBLIC_IF = ("visibility", Visibility.PUBLIC)

    prisoner = models.ForeignKey(
        "prisoners.Prisoner", on_delete=models.CASCADE, related_name="contacts", verbose_name=gettext_lazy("prisoner")
    )
    party = models.CharField(gettext_lazy("party"), max_length=10, choices=Party.choices)
    channel = models.CharField(
        gettext_lazy("channel"), max_length=12, choices=Channel.choices, default=Channel.UNSPECIFIED
    )
    lawyer = models.ForeignKey(
        "prisoners.Lawyer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=gettext_lazy("lawyer"),
    )
    contact_person = models.CharField(
        gettext_lazy("contact person"), max_length=200, blank=True, help_text=gettext_lazy("e.g. her father")
    )
    description = models.TextField(gettext_lazy("public description"), blank=True)
    written_in = written_in()
    internal_notes = models.TextField(
        gettext_lazy("internal notes"), blank=True, help_text=gettext_lazy("Never shown publicly.")
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="contacts", verbose_name=gettext_lazy("sources"))
    visibility = models.CharField(
        gettext_lazy("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text=gettext_lazy("Only editors can make a contact public. Alerts count every contact."),
    )
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    public_id = public_id_field()

    history = HistoricalRecords(m2m_fields=[sources], excluded_fields=["public_id"])
    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("contact")
        verbose_name_plural = gettext_lazy("contacts")
        ordering = ["date", "pk"]
        permissions = [("publish_contact", "Can make a contact public")]
        constraints = [
            models.CheckConstraint(
                condition=Q(lawyer__isnull=True) | Q(party=Party.LAWYER),
                name="contact_lawyer_only_for_lawyer_party",
                violation_error_message=gettext_lazy("Only a lawyer contact can name a lawyer."),
            ),
            *from_earliest_constraints("date"),
        ]
        indexes = [
            models.Index(fields=["prisoner", "party", "date_latest"]),
            models.Index(fields=["date", "id"], name="contact_chronological"),
        ]

    def __str__(self):
        values = {"party": self.get_party_display(), "date": self.date_approx, "prisoner": self.prisoner}
        if self.party == Party.LAWYER:
            return _("lawyer contact, %(date)s (%(prisoner)s)") % values
        if self.party == Party.FAMILY:
            return _("family contact, %(date)s (%(prisoner)s)") % values
        return _("%(party)s contact, %(date)s (%(prisoner)s)") % values

    @property
    def anchor(self):
        return f"contact-{self.public_id}"

    def clean(self):
        errors = {}
        check_not_in_future(errors, "date", self.date_approx)
        prisoner = related(self, "prisoner")
        if prisoner is not None:
            prisoner.check_not_before_detention(errors, "date", self.date_approx, _("The contact"))
        if self.lawyer_id and self.party != Party.LAWYER:  # the constraint's rule, said next to its field
            errors.setdefault("lawyer", []).append(
                ValidationError(_("Only a lawyer contact can name a lawyer."), code="lawyer_only_for_lawyer_party")
            )
        if errors:
            raise ValidationError(errors)
