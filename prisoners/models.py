import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from casetracker.dates import (
    approximate_date,
    check_ends_after_start,
    check_not_in_future,
    check_period,
    date_range,
    ends_after_start_constraint,
    from_earliest_constraints,
)
from casetracker.public_record import PublicFields, public_id_field
from casetracker.relations import related
from casetracker.text import FoldedField, beside_days, fold
from casetracker.translated import translatable, translation_fields, written_in
from casetracker.web_address import WebAddressField
from events.models import Incident, Organisation, Party, Source
from prisoners.display_names import current as current_display_names
from prisoners.display_names import name_in_language

from . import addresses
from . import lapse as lapse_rule
from .search import SearchableQuerySet
from .status import IN_CUSTODY, Status, in_custody_condition


def _slug_base(model, text, max_length=80):
    return slugify(fold(text))[: max_length - 6] or model.__name__.lower()


def unique_slug(instance, text):
    """A permanent URL slug from any script: 'Калеснікава' -> 'kalesnikava' (facilities; prisoners: `new_slugs`)."""
    return unique_slugs(type(instance), [text], exclude=instance.pk)[0]


def unique_slugs(model, texts, exclude=None):
    """Slugs for several new facilities at once (one query): unique among themselves and on record."""
    bases = [_slug_base(model, text) for text in texts]
    similar = Q()
    for base in set(bases):
        similar |= Q(slug=base) | Q(slug__startswith=f"{base}-")
    taken = set(model._default_manager.filter(similar).exclude(pk=exclude).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug = base
        while slug in taken:
            # A random code, not a counter: "-2" would tell that a facility of that name is on record, maybe
            # one known only from internal records.
            slug = f"{base}-{addresses.code()}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def new_slugs(names):
    """Slugs for prisoners shown as `names` (see prisoners.addresses), free among themselves, among every
    prisoner's slug and every slug a prisoner had before: a few queries however many."""
    slugs = [addresses.new_slug(name) for name in names]
    while True:
        taken = set(Prisoner.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        taken |= set(PreviousSlug.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        seen, clashes = set(), []
        for i, slug in enumerate(slugs):
            if slug in taken or slug in seen:
                clashes.append(i)
            seen.add(slug)
        if not clashes:
            return slugs
        for i in clashes:  # another random code: the odds of a second clash are tiny
            slugs[i] = addresses.new_slug(names[i])


class PrisonerQuerySet(SearchableQuerySet):
    def public(self):
        return self.public_names().filter(published=True)

    def with_contact_lapse(self, *, public=False, today=None):
        """Annotate every party's contact lapse (see prisoners.lapse), all in one query."""
        return lapse_rule.annotate(self, public=public, today=today)

    def overdue(self, party=None, **lapse_options):
        """Prisoners in custody cut off from `party` (or from either) past the threshold."""
        today = lapse_options.get("today")
        return self.with_contact_lapse(**lapse_options).filter(lapse_rule.overdue_condition(party, today=today))

    def overdue_counts(self, **lapse_options):
        """{party: how many are cut off from it past the threshold}, in one pass over those cut off from either."""
        today = lapse_options.get("today")
        counts = {party: Count("pk", filter=lapse_rule.overdue_condition(party, today=today)) for party in Party.values}
        return self.overdue(**lapse_options).aggregate(**counts)

    def in_custody(self):
        return self.filter(in_custody_condition())

    def held_at(self, facility=None, *, region=None):
        """Prisoners in custody whose open custody period is at `facility` (or in `region`) now."""
        periods = CustodyPeriod.objects.current().filter(prisoner=OuterRef("pk"))
        if facility is not None:
            periods = periods.filter(facility=facility)
        if region is not None:
            periods = periods.filter(facility__region=region)
        return self.filter(Exists(periods))


class Tag(models.Model):
    """A case group or theme shared by several prisoners ("Viasna case", "Belsat journalists")."""

    name = models.CharField(gettext_lazy("name"), max_length=100, unique=True)
    name_folded = FoldedField(gettext_lazy("name folded"), source="name")

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("tag")
        verbose_name_plural = gettext_lazy("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    FEMALE = "female", pgettext_lazy("gender", "female")
    MALE = "male", pgettext_lazy("gender", "male")
    OTHER = "other", pgettext_lazy("gender", "other")


class Prisoner(
    PublicFields,
    approximate_date("detained", gettext_lazy("date detained"), required=False),
    approximate_date(
        "born",
        pgettext_lazy("date of birth", "born"),
        required=False,
        help_text=gettext_lazy("Often only the year is known."),
    ),
    approximate_date("died", gettext_lazy("date of death"), required=False),
    translatable("bio"),
    approximate_date(
        "monitored_from",
        gettext_lazy("contact monitored from"),
        required=False,
        help_text=gettext_lazy("When we began following this prisoner's contact; empty: since the detention."),
    ),
    models.Model,
):
    # What the public site shows of the record itself (prisoners.public_changes compares these on every save;
    # monitoring and thresholds decide the public lapse). Its related records list their own.
    PUBLIC_FIELDS = (
        "name", "slug", "bio", "status", "gender", "home_town", "home_region", "occupation", "photo", "photo_public",
        "death_cause", "died_in_custody", "monitored", "lawyer_threshold_days", "family_threshold_days",
        "detained", "detained_precision", "born", "born_precision", "died", "died_precision",
        "monitored_from", "monitored_from_precision", "written_in", *translation_fields("bio"),
    )  # fmt: skip
    PUBLIC_IF = ("published", True)

    name = models.CharField(gettext_lazy("display name"), max_length=200)
    name_folded = FoldedField(gettext_lazy("name folded"), source="name")
    slug = models.SlugField(
        gettext_lazy("slug"),
        max_length=addresses.MAX_LENGTH,
        unique=True,
        blank=True,
        validators=[addresses.validate_format],
        error_messages={"unique": gettext_lazy("Another prisoner has this slug.")},
        help_text=format_lazy(
            gettext_lazy(
                "The case page's address: /prisoners/<slug>/. Only editors change it; leave it empty to make one from "
                "the display name. {rule} An address the public has seen redirects to the new one."
            ),
            rule=addresses.RULE,
        ),
    )
    bio = models.TextField(gettext_lazy("short public bio"), blank=True)
    written_in = written_in()
    status = models.CharField(gettext_lazy("status"), max_length=20, choices=Status.choices, default=Status.DETAINED)
    published = models.BooleanField(
        gettext_lazy("published"),
        default=False,
        help_text=gettext_lazy("Shown on the public site. Only editors can change this."),
    )
    gender = models.CharField(gettext_lazy("gender"), max_length=10, choices=Gender.choices, blank=True)
    home_town = models.CharField(gettext_lazy("home town"), max_length=100, blank=True)
    home_region = models.CharField(gettext_lazy("home region"), max_length=100, blank=True)
    occupation = models.CharField(gettext_lazy("occupation"), max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="prisoners", verbose_name=gettext_lazy("case groups"))
    photo = models.ImageField(gettext_lazy("photo"), upload_to="photos/", blank=True)
    photo_public = models.BooleanField(
        gettext_lazy("photo may be shown publicly"),
        default=False,
        help_text=gettext_lazy("Only editors can make a photo public."),
    )
    death_cause = models.CharField(gettext_lazy("cause of death"), max_length=300, blank=True)
    died_in_custody = models.BooleanField(
        gettext_lazy("died in custody"), null=True, blank=True, help_text=gettext_lazy("Empty when not known.")
    )
    monitored = models.BooleanField(
        gettext_lazy("contact monitored"),
        default=True,
        help_text=gettext_lazy(
            "Whether we follow this prisoner's lawyer and family contact. Unmonitored prisoners show "
            "“no contact data” and raise no alerts (imported records without contact data start unmonitored)."
        ),
    )
    lawyer_threshold_days = lapse_rule.threshold_field(Party.LAWYER)
    family_threshold_days = lapse_rule.threshold_field(Party.FAMILY)
    sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="prisoners",
        help_text=gettext_lazy("Where the facts of this record come from."),
        verbose_name=gettext_lazy("sources"),
    )
    created = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    updated = models.DateTimeField(gettext_lazy("updated"), auto_now=True)
    # Kept by prisoners.public_changes: the case's "last updated", sitemap lastmod and exported `last_updated`.
    public_changed = models.DateTimeField(
        gettext_lazy("last public change"),
        default=timezone.now,
        editable=False,
        help_text=gettext_lazy(
            "When what the public sees of the case (the record, or a public record on its page) last changed."
        ),
    )

    # language -> name, from the variants marked as display names (prisoners.display_names): derived, not history.
    display_names = models.JSONField(gettext_lazy("display names"), default=dict, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[tags, sources], excluded_fields=["public_changed", "display_names"])
    objects = PrisonerQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("prisoner")
        verbose_name_plural = gettext_lazy("prisoners")
        ordering = ["name"]
        permissions = [("publish_prisoner", "Can publish or unpublish a prisoner")]
        constraints = [
            *(lapse_rule.threshold_constraint(party) for party in Party.values),
            *from_earliest_constraints("detained", "born", "died", "monitored_from"),
        ]
        # The public list's sorts and filters, and the admin's, at 100,000 prisoners.
        indexes = [
            models.Index(fields=["published", "name", "id"], name="prisoner_by_name"),
            models.Index(
                fields=["published", "detained", "detained_latest", "name", "id"], name="prisoner_by_detention"
            ),
            models.Index(fields=["status", "published"], name="prisoner_by_status"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        """The name in the active language, as its speakers write it (prisoners.display_names), else `name`."""
        return name_in_language(self, self.name)

    shown_name = display_name  # how a public page names any record (Facility.shown_name)

    @property
    def other_spellings(self):
        """The spellings a page lists under its name, as (name, language): the record's own name when the page
        shows another, and its variants (as fetched: public pages fetch only public ones) but the one it shows."""
        shown = self.display_name
        others = [(variant.name, variant.language) for variant in self.name_variants.all() if variant.name != shown]
        if self.name != shown:
            others.insert(0, (self.name, ""))
        return others

    def get_absolute_url(self):
        """The public case page (404 until the prisoner is published)."""
        return reverse("publicsite:prisoner", args=[self.slug])

    @classmethod
    def public_state(cls, row):
        # A photo not cleared for the public is not shown: replacing it changes nothing public.
        if row is not None and not row["photo_public"]:
            row = {**row, "photo": ""}
        return super().public_state(row)

    # The slug, display name and published flag as stored, to tell what a save changes.
    ADDRESS_FIELDS = ("slug", "name", "published")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_stored()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_stored()

    def _remember_stored(self):
        self._stored = {name: self.__dict__[name] for name in self.ADDRESS_FIELDS if name in self.__dict__}

    def _address_at_stake(self):
        """Whether this save publishes the prisoner, or renames or re-addresses a published one: when the
        address rule applies (a published slug from before the rule blocks no unrelated edit)."""
        stored = getattr(self, "_stored", {})
        return self.published and any(stored.get(name) != getattr(self, name) for name in self.ADDRESS_FIELDS)

    def address_problem(self, where="slug"):
        """Why this prisoner cannot be saved with its slug (see prisoners.addresses), or None. `where`: the
        field the message stands next to; on the name (for researchers) it says who can fix it."""
        if not self.slug or not self._address_at_stake():
            return None  # an empty slug is made from the display name: always fine
        outside = addresses.words_not_in_name(self.slug, self.name)
        if not outside:
            return None
        fix = (
            _("Clear the slug to make one from the display name.")
            if where == "slug"
            else _("Only an editor can change the slug.")
        )
        return ValidationError(
            _("The slug “%(slug)s” holds words that are not in the display name “%(name)s”: %(words)s.")
            + " "
            + str(addresses.RULE)
            + " "
            + fix,
            code="address_not_from_display_name",
            params={"slug": self.slug, "name": self.name, "words": ", ".join(outside)},
        )

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "slug" not in errors:
            # Next to the field that can fix it: the slug for editors; the name for researchers, who cannot
            # change the slug.
            where = next((name for name in ("slug", "name") if name not in exclude), NON_FIELD_ERRORS)
            if problem := self.address_problem(where):
                errors.setdefault(where, []).append(problem)
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None):
        errors = {}
        try:
            super().validate_unique(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.slug and "slug" not in (exclude or ()) and "slug" not in errors and self._slug_was_someone_elses():
            errors["slug"] = [
                ValidationError(
                    _("Another prisoner had this slug before; old links may still lead there."), code="previous_slug"
                )
            ]
        if errors:
            raise ValidationError(errors)

    def _slug_was_someone_elses(self):
        return PreviousSlug.objects.filter(slug=self.slug).exclude(prisoner_id=self.pk).exists()

    def clean(self):
        errors = {}
        for field in ("detained", "born", "died", "monitored_from"):
            check_not_in_future(errors, field, getattr(self, f"{field}_approx"))
        born = self.born_approx
        check_ends_after_start(
            errors, born, self.died_approx, "died", _("The death ({end}) is before the birth ({start}).")
        )
        check_ends_after_start(
            errors, born, self.detained_approx, "detained", _("The detention ({end}) is before the birth ({start}).")
        )
        if self.died is not None and self.status != Status.DECEASED:
            errors.setdefault("status", []).append(
                ValidationError(_("A prisoner with a date of death is deceased."), code="died_not_deceased")
            )
        if self.died_in_custody and self.status != Status.DECEASED:
            errors.setdefault("status", []).append(
                ValidationError(_("A prisoner who died in custody is deceased."), code="died_not_deceased")
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.display_names = current_display_names(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not set(self.ADDRESS_FIELDS) & set(update_fields):
            super().save(*args, **kwargs)
            return
        if not self.slug:
            (self.slug,) = new_slugs([self.name])
        # The last guard, for saves that skip validation (the shell, a script, a list action).
        if problem := self.address_problem():
            raise ValidationError({"slug": [problem]})
        with transaction.atomic(using=kwargs.get("using")):
            self._keep_previous_slug()
            super().save(*args, **kwargs)
        self._remember_stored()

    def _keep_previous_slug(self):
        """When the slug changes, keep the old one: no other prisoner may take it, and if the public saw it (the
        prisoner was published while it had it) it redirects to the new one."""
        stored_slug = getattr(self, "_stored", {}).get("slug")
        if self.pk is not None and stored_slug == self.slug:
            return  # unchanged since it was read
        row = None if self.pk is None else Prisoner.objects.filter(pk=self.pk).values("slug", "published").first()
        if row is not None and row["slug"] == self.slug:
            return
        if self._slug_was_someone_elses():  # validation says so in the admin; this guards the shell and scripts
            raise ValidationError({"slug": [_("Another prisoner had this slug before.")]})
        if row is None:
            return
        old = row["slug"]
        was_public = row["published"] or self.history.filter(slug=old, published=True).exists()
        previous, created = PreviousSlug.objects.get_or_create(
            slug=old, defaults={"prisoner": self, "was_public": was_public}
        )
        if not created and was_public and not previous.was_public:
            previous.was_public = True
            previous.save()
        PreviousSlug.objects.filter(prisoner=self, slug=self.slug).delete()  # its own slug again

    def check_not_before_detention(self, errors, field, value, what):
        """Nothing that happens in custody can precede the detention itself."""
        detained = self.detained_approx
        if value is not None and detained is not None and value.is_definitely_before(detained):
            errors.setdefault(field, []).append(
                ValidationError(
                    _("%(what)s (%(date)s) is before the detention (%(detained)s).")
                    % {"what": what, "date": value, "detained": detained},
                    code="before_detention",
                )
            )

    def lapse(self, party):
        """The lapse for `party`, from the annotations of `with_contact_lapse()`."""
        return lapse_rule.read(self, party)

    @property
    def in_custody(self):
        return self.status in IN_CUSTODY

    @property
    def days_in_detention(self):
        return self.days_in_detention_on(timezone.localdate())

    def days_in_detention_on(self, today):
        """Counted from the latest day detention can have begun: never overstated."""
        if not self.in_custody or self.detained_approx is None:
            return None
        return (today - self.detained_approx.latest).days

    @property
    def time_in_detention(self):
        """`days_in_detention` as a reader grasps it: "6 years 1 month" ("" under a month: the count says it)."""
        days = self.days_in_detention
        return beside_days(self.detained_approx.latest, days) if days else ""

    @property
    def current_custody(self):
        """Where the prisoner is now: the open custody period, derived, never typed twice."""
        if not self.in_custody:
            return None
        if hasattr(self, "open_custody_periods"):  # prefetched for lists (publicsite.casefile)
            return next(iter(self.open_custody_periods), None)
        return self.custody_periods.open().select_related("facility").first()

    @property
    def current_facility(self):
        custody = self.current_custody
        return custody and custody.facility

    @property
    def current_sentence(self):
        if "sentences" in getattr(self, "_prefetched_objects_cache", {}):
            return max(self.sentences.all(), key=lambda s: (s.date or datetime.date.min, s.pk), default=None)
        return self.sentences.order_by(F("date").desc(nulls_last=True), "-pk").first()

    @property
    def death(self):
        """The death, said plainly: "Died in custody on 3 March 2023. Cause of death: …" (or "")."""
        if self.status != Status.DECEASED:
            return ""
        died = self.died_approx
        if died is None:
            text = _("Died in custody.") if self.died_in_custody else _("Died.")
        elif died.precision == "day":
            text = _("Died in custody on %(date)s.") if self.died_in_custody else _("Died on %(date)s.")
        else:  # "in March 2023", "in mid-March 2023", "in 2023"
            text = _("Died in custody in %(date)s.") if self.died_in_custody else _("Died in %(date)s.")
        text = text % {"date": died} if died is not None else text
        if self.death_cause:
            return _("%(death)s Cause of death: %(cause)s.") % {"death": text, "cause": self.death_cause}
        return text


class PreviousSlugQuerySet(models.QuerySet):
    def public(self):
        """Former slugs the public saw, of prisoners published now: the ones that redirect."""
        return self.filter(was_public=True, prisoner__published=True)


class PreviousSlug(models.Model):
    """A slug a prisoner had before it was changed (Prisoner.save keeps it). No other prisoner may take it, so an
    old link never leads to someone else; it redirects to the case's address now only if the public saw it,
    while a slug the public never saw (a real name changed before publication) is unknown to them (404).
    Deleting one retires it: its links then find nothing."""

    prisoner = models.ForeignKey(
        Prisoner, on_delete=models.CASCADE, related_name="previous_slugs", verbose_name=gettext_lazy("prisoner")
    )
    slug = models.SlugField(gettext_lazy("slug"), max_length=addresses.MAX_LENGTH, unique=True)
    was_public = models.BooleanField(
        gettext_lazy("the public saw it"),
        default=False,
        help_text=gettext_lazy(
            "The prisoner was published while it had this slug: links to it redirect to the case now."
        ),
    )
    replaced = models.DateTimeField(gettext_lazy("replaced"), auto_now_add=True)

    history = HistoricalRecords()
    objects = PreviousSlugQuerySet.as_manager()

    class Meta:
        verbose_name_plural = gettext_lazy("former slugs")
        ordering = ["-replaced", "pk"]
        verbose_name = gettext_lazy("former slug")

    def __str__(self):
        return self.slug


def _clock_fields(party, public=False):
    """A party's stored lapse start (basis, day, precision, latest day), for all records or public ones."""
    scope = "public records only" if public else "all records"
    return (
        models.CharField(f"{party} lapse counted from ({scope})", max_length=10, choices=lapse_rule.LapseBasis.choices),
        models.DateField(null=True),
        models.CharField(max_length=5, blank=True),
        models.DateField(null=True, db_index=True),
    )


class ContactClock(models.Model):
    """Where each of a prisoner's lapses counts from, stored so that 100,000 lapses are read,
    sorted and filtered through indexes instead of recomputed (as healthchecks stores a check's
    deadline). Derived data: prisoners.clocks keeps it current on every write, in the same
    transaction, and `check_lapses` finds and repairs any drift. Not historied."""

    prisoner = models.OneToOneField(
        Prisoner,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="clock",
        verbose_name=gettext_lazy("prisoner"),
    )
    # Column names as lapse.clock_field(party, part, public=…) gives them.
    lawyer_basis, lawyer_since, lawyer_since_precision, lawyer_since_latest = _clock_fields(Party.LAWYER)
    family_basis, family_since, family_since_precision, family_since_latest = _clock_fields(Party.FAMILY)
    (
        public_lawyer_basis,
        public_lawyer_since,
        public_lawyer_since_precision,
        public_lawyer_since_latest,
    ) = _clock_fields(Party.LAWYER, public=True)
    (
        public_family_basis,
        public_family_since,
        public_family_since_precision,
        public_family_since_latest,
    ) = _clock_fields(Party.FAMILY, public=True)

    class Meta:
        verbose_name = gettext_lazy("contact clock")
        verbose_name_plural = gettext_lazy("contact clocks")

    def __str__(self):
        return f"Contact clock of {self.prisoner_id}"


class Language(models.TextChoices):
    """The language a name is written in (BCP 47), so screen readers pronounce it right."""

    BELARUSIAN = "be", gettext_lazy("Belarusian")
    BELARUSIAN_LATIN = "be-Latn", gettext_lazy("Belarusian in Łacinka")
    RUSSIAN = "ru", gettext_lazy("Russian")
    UKRAINIAN = "uk", gettext_lazy("Ukrainian")
    CRIMEAN_TATAR = "crh", gettext_lazy("Crimean Tatar")
    ENGLISH = "en", gettext_lazy("English (or another language's Latin transliteration)")
    POLISH = "pl", gettext_lazy("Polish")
    GERMAN = "de", gettext_lazy("German")
    LITHUANIAN = "lt", gettext_lazy("Lithuanian")


class NameVariantBase(models.Model):
    name = models.CharField(gettext_lazy("name"), max_length=200)
    language = models.CharField(
        gettext_lazy("language"),
        max_length=10,
        choices=Language.choices,
        blank=True,
        help_text=gettext_lazy(
            "The language of this spelling, so screen readers pronounce it right (Калеснікава: Belarusian)."
        ),
    )
    note = models.CharField(
        gettext_lazy("note"),
        max_length=100,
        blank=True,
        help_text=gettext_lazy("e.g. Belarusian Cyrillic, Russian transliteration"),
    )
    display = models.BooleanField(
        gettext_lazy("display name in its language"),
        default=False,
        help_text=gettext_lazy(
            "The name pages in this spelling's language show (Марыя Калеснікава on Belarusian pages): one "
            "per language, and only a public spelling."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class NameVariantQuerySet(models.QuerySet):
    def public(self):
        """Variants a public page may show: marked public, of published prisoners."""
        return self.filter(public=True, prisoner__published=True)


class NameVariant(PublicFields, NameVariantBase):
    PUBLIC_FIELDS = ("prisoner", "name", "language", "display")  # the note is for researchers
    PUBLIC_IF = ("public", True)  # an internal variant is on no public page

    prisoner = models.ForeignKey(
        Prisoner, on_delete=models.CASCADE, related_name="name_variants", verbose_name=gettext_lazy("prisoner")
    )
    # Internal by default: a legal name behind a pseudonym, a name a family asked us not to print. Variants from
    # before this flag were all shown, so migration 0012 marked them public.
    public = models.BooleanField(
        gettext_lazy("shown publicly"),
        default=False,
        help_text=gettext_lazy(
            "Shown on the public site and found by its search. Internal variants are found only in the "
            "admin and by duplicate checks. Only editors can make a variant public."
        ),
    )
    history = HistoricalRecords()
    objects = NameVariantQuerySet.as_manager()

    def clean(self):
        super().clean()
        if self.display and not self.public:
            raise ValidationError({"display": _("Only a public spelling can be a display name.")})

    class Meta(NameVariantBase.Meta):
        verbose_name = gettext_lazy("name variant")
        verbose_name_plural = gettext_lazy("name variants")
        constraints = [
            models.UniqueConstraint(
                "prisoner",
                Lower("name"),
                name="unique_prisoner_name_variant",
                violation_error_message=gettext_lazy("This prisoner already has this name variant."),
            ),
            models.UniqueConstraint(
                "prisoner",
                "language",
                condition=Q(display=True),
                name="one_prisoner_display_name_per_language",
                violation_error_message=gettext_lazy("This prisoner already has a display name in this language."),
            ),
        ]


class Recognition(PublicFields, approximate_date("date", gettext_lazy("recognised on"), required=False), models.Model):
    """Recognition as a political prisoner by one or more organisations (often a joint statement)."""

    PUBLIC_FIELDS = ("prisoner", "date", "date_precision", "statement_url")  # and the organisations

    prisoner = models.ForeignKey(
        Prisoner, on_delete=models.CASCADE, related_name="recognitions", verbose_name=gettext_lazy("prisoner")
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="recognitions", verbose_name=gettext_lazy("organisations")
    )
    statement_url = WebAddressField(gettext_lazy("statement URL"), max_length=500, blank=True)

    history = HistoricalRecords(m2m_fields=[organisations])

    class Meta:
        verbose_name = gettext_lazy("recognition")
        verbose_name_plural = gettext_lazy("recognitions")
        ordering = [F("date").asc(nulls_last=True), "pk"]
        constraints = from_earliest_constraints("date")

    def __str__(self):
        if self.date_approx:
            return _("Recognised %(date)s") % {"date": self.date_approx}
        return _("Recognised (date unknown)")

    def clean(self):
        errors = {}
        check_not_in_future(errors, "date", self.date_approx)
        if errors:
            raise ValidationError(errors)


class RegisterEntry(PublicFields, models.Model):
    """The prisoner's entry in another register (Viasna's list, AAPP, Memorial): its ID and page.

    An import matches people by it, so a register ID belongs to one prisoner only."""

    PUBLIC_FIELDS = ("prisoner", "register", "identifier", "url")

    prisoner = models.ForeignKey(
        Prisoner, on_delete=models.CASCADE, related_name="register_entries", verbose_name=gettext_lazy("prisoner")
    )
    register = models.CharField(gettext_lazy("register"), max_length=100, help_text=gettext_lazy("e.g. Viasna"))
    identifier = models.CharField(gettext_lazy("ID in that register"), max_length=100)
    url = WebAddressField(gettext_lazy("URL"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("register entry")
        verbose_name_plural = gettext_lazy("register entries")
        ordering = ["register", "identifier"]
        constraints = [
            models.UniqueConstraint(
                Lower("register"),
                Lower("identifier"),
                name="unique_register_identifier",
                violation_error_message=gettext_lazy("Another prisoner already has this ID in this register."),
            )
        ]

    def __str__(self):
        return f"{self.register} {self.identifier}"


class FacilityKind(models.TextChoices):
    TEMPORARY_DETENTION = "temporary_detention", pgettext_lazy("facility kind", "temporary detention facility")
    PRE_TRIAL = "pre_trial", pgettext_lazy("facility kind", "pre-trial detention centre")
    PENAL_COLONY = "penal_colony", pgettext_lazy("facility kind", "penal colony")
    SETTLEMENT_COLONY = "settlement_colony", pgettext_lazy("facility kind", "settlement colony")
    JUVENILE_COLONY = "juvenile_colony", pgettext_lazy("facility kind", "juvenile colony")
    PRISON = "prison", pgettext_lazy("facility kind", "prison")
    OPEN_TYPE = "open_type", pgettext_lazy("facility kind", "open-type correctional facility (restricted freedom)")
    FORCED_LABOUR_CAMP = "forced_labour_camp", pgettext_lazy("facility kind", "forced-labour camp")
    MEDICAL_LABOUR = "medical_labour", pgettext_lazy("facility kind", "medical-labour dispensary (LTP)")
    HOSPITAL = "hospital", pgettext_lazy("facility kind", "hospital")
    PSYCHIATRIC = "psychiatric", pgettext_lazy("facility kind", "psychiatric hospital")
    OTHER = "other", pgettext_lazy("facility kind", "other")


def named_publicly():
    """The rule for which facilities a public page may name: where a published prisoner is or was held, or
    where a public incident happened. Stored as `Facility.named_publicly` (prisoners.facility_names keeps it
    current): evaluated for every facility, this reads every public incident of a register of millions."""
    held = CustodyPeriod.objects.public().filter(facility=OuterRef("pk"))
    incidents = Incident.objects.public().filter(facility=OuterRef("pk"))
    return Q(Exists(held)) | Q(Exists(incidents))


class FacilityQuerySet(SearchableQuerySet):
    def public(self):
        """Facilities a public page may name (`named_publicly`, stored)."""
        return self.public_names().filter(named_publicly=True)

    def holding_now(self):
        """These facilities where published prisoners are held now, each with `held_count`, most held first: a grouped
        count, then the facilities (two queries, where a count per facility would be a subquery per row)."""
        held = CustodyPeriod.objects.current().public().count_by_facility()
        facilities = sorted(self.filter(pk__in=held), key=lambda facility: (-held[facility.pk], str(facility)))
        for facility in facilities:
            facility.held_count = held[facility.pk]
        return facilities

    def with_public_held_count(self):
        """Annotate `held_count`: how many published prisoners are held there now."""
        held = CustodyPeriod.objects.current().public().filter(facility=OuterRef("pk"))
        count = held.order_by().values("facility").annotate(n=models.Count("pk")).values("n")
        return self.annotate(held_count=Coalesce(Subquery(count), 0))


class Facility(models.Model):
    name = models.CharField(gettext_lazy("name"), max_length=200)
    name_folded = FoldedField(gettext_lazy("name folded"), source="name")
    slug = models.SlugField(gettext_lazy("slug"), max_length=80, unique=True, blank=True)
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=FacilityKind.choices)
    city = models.CharField(gettext_lazy("city"), max_length=100, blank=True)
    region = models.CharField(gettext_lazy("region"), max_length=100, blank=True)
    country = models.CharField(gettext_lazy("country"), max_length=100, blank=True)
    postal_address = models.TextField(
        gettext_lazy("postal address"), blank=True, help_text=gettext_lazy("Where letters to prisoners held here go.")
    )
    named_publicly = models.BooleanField(
        gettext_lazy("named publicly"),
        default=False,
        editable=False,
        db_index=True,
        help_text=gettext_lazy(
            "Derived: a published prisoner is or was held here, or a public incident happened here."
        ),
    )
    latitude = models.DecimalField(
        gettext_lazy("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        gettext_lazy("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    display_names = models.JSONField(
        gettext_lazy("display names"), default=dict, blank=True, editable=False
    )  # as on Prisoner
    history = HistoricalRecords(excluded_fields=["named_publicly", "display_names"])  # derived, not facts recorded
    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("facility")
        verbose_name_plural = gettext_lazy("facilities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                # Spelled out in full: a CHECK that evaluates to NULL (one coordinate missing) passes.
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__range=(-90, 90),
                    longitude__range=(-180, 180),
                ),
                name="facility_coordinates_both_or_neither",
                violation_error_message=gettext_lazy(
                    "Give both coordinates (latitude −90 to 90, longitude −180 to 180) or neither."
                ),
            )
        ]

    def __str__(self):
        return self.label(self.name, self.city)  # the same in every language: exports, the admin, stored texts

    @property
    def shown_name(self):
        """How a public page names it: its display name in the page's language ("ИК-4, Гомель"), else its own."""
        return name_in_language(self, str(self))

    @property
    def display_name(self):
        """The name a page heads the facility with: its display name in the active language, else its own name."""
        return name_in_language(self, self.name)

    @staticmethod
    def label(name, city):
        """How a facility is named in lists: "Penal Colony No. 4, Homiel"."""
        return f"{name}, {city}" if city else name

    def get_absolute_url(self):
        """The facility's public page (404 unless a public record names it)."""
        return reverse("publicsite:facility", args=[self.slug])

    @property
    def coordinates(self):
        return None if self.latitude is None else (self.latitude, self.longitude)

    @property
    def postal_address_line(self):
        """The postal address on one line, where a line of its own per part would not fit (a case's key facts)."""
        return ", ".join(line.strip().rstrip(",") for line in self.postal_address.splitlines() if line.strip())

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({missing: _("Give both coordinates or neither.")})

    def save(self, *args, **kwargs):
        self.display_names = current_display_names(self)
        if not self.slug:
            self.slug = unique_slug(self, f"{self.name} {self.city}")
        super().save(*args, **kwargs)


class FacilityNameVariant(NameVariantBase):
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="name_variants", verbose_name=gettext_lazy("facility")
    )
    history = HistoricalRecords()

    class Meta(NameVariantBase.Meta):
        verbose_name = gettext_lazy("facility name variant")
        verbose_name_plural = gettext_lazy("facility name variants")
        constraints = [
            models.UniqueConstraint(
                "facility",
                Lower("name"),
                name="unique_facility_name_variant",
                violation_error_message=gettext_lazy("This facility already has this name variant."),
            ),
            models.UniqueConstraint(
                "facility",
                "language",
                condition=Q(display=True),
                name="one_facility_display_name_per_language",
                violation_error_message=gettext_lazy("This facility already has a display name in this language."),
            ),
        ]


class CustodyPeriodQuerySet(models.QuerySet):
    def public(self):
        return self.filter(prisoner__published=True)

    def open(self):
        """Periods without an end: where someone is held now (if they are in custody)."""
        return self.filter(end__isnull=True)

    def current(self):
        """Open periods of prisoners in custody: who is held where now."""
        return self.open().filter(in_custody_condition("prisoner__"))

    def count_by_facility(self):
        """{facility pk: how many of these periods are there}, in one grouped query."""
        return dict(self.values("facility").annotate(n=models.Count("pk")).values_list("facility", "n"))


class CustodyPeriod(
    PublicFields,
    approximate_date("start", pgettext_lazy("period", "from"), required=False),
    approximate_date("end", pgettext_lazy("period", "until"), required=False),
    models.Model,
):
    """A prisoner held at a facility. No end = held there now; no start = start unknown."""

    PUBLIC_FIELDS = ("prisoner", "facility", "start", "start_precision", "end", "end_precision")  # never the note

    prisoner = models.ForeignKey(
        Prisoner, on_delete=models.CASCADE, related_name="custody_periods", verbose_name=gettext_lazy("prisoner")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="custody_periods", verbose_name=gettext_lazy("facility")
    )
    note = models.CharField(gettext_lazy("note"), max_length=300, blank=True)
    public_id = public_id_field()

    history = HistoricalRecords(excluded_fields=["public_id"])
    objects = CustodyPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("custody period")
        verbose_name_plural = gettext_lazy("custody periods")
        ordering = [F("start").asc(nulls_first=True), "pk"]  # unknown start = earliest
        constraints = [ends_after_start_constraint(), *from_earliest_constraints("start", "end")]
        # Who is held where now: open periods only, by facility and by prisoner.
        indexes = [
            models.Index(
                fields=["facility", "prisoner"], condition=Q(end__isnull=True), name="custody_open_at_facility"
            ),
            models.Index(fields=["prisoner"], condition=Q(end__isnull=True), name="custody_open_of_prisoner"),
        ]
        # PostgreSQL also refuses overlapping periods (exclusion constraint, migration 0002).

    def __str__(self):
        return f"{self.facility}: {self.period}"

    @property
    def anchor(self):
        return f"custody-{self.public_id}"

    @property
    def period(self):
        return date_range(self.start_approx, self.end_approx)

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

    @staticmethod
    def overlap_message(other):
        return _("This overlaps another custody period (%(other)s).") % {"other": other}

    def first_stored_overlap(self):
        """Another stored period of this prisoner that overlaps this one (a prisoner has few)."""
        others = CustodyPeriod.objects.filter(prisoner_id=self.prisoner_id).exclude(pk=self.pk)
        return next((other for other in others.select_related("facility") if self.overlaps_with(other)), None)

    def clean(self):
        errors = {}
        check_period(errors, self.start_approx, self.end_approx)
        prisoner = related(self, "prisoner")
        if prisoner is not None:
            prisoner.check_not_before_detention(errors, "start", self.start_approx, _("The custody period"))
        if prisoner is not None and prisoner.pk is not None:
            overlapping = None if getattr(self, "overlap_checked_elsewhere", False) else self.first_stored_overlap()
            if overlapping:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    ValidationError(self.overlap_message(overlapping), code="overlap")
                )
        if errors:
            raise ValidationError(errors)


class Charge(PublicFields, models.Model):
    PUBLIC_FIELDS = ("prisoner", "article", "label")

    prisoner = models.ForeignKey(
        Prisoner, on_delete=models.CASCADE, related_name="charges", verbose_name=gettext_lazy("prisoner")
    )
    article = models.CharField(gettext_lazy("criminal-code article"), max_length=200, blank=True)
    label = models.TextField(
        gettext_lazy("plain-language label"),
        blank=True,
        help_text=gettext_lazy("As long as the law's own wording needs."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("charge")
        verbose_name_plural = gettext_lazy("charges")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(article="", label=""),
                name="charge_article_or_label",
                violation_error_message=gettext_lazy("Give the article, the label or both."),
            )
        ]

    def __str__(self):
        return self.as_written(self.article, self.label)

    @staticmethod
    def as_written(article, label):
        """ "extremism (Art. 361-1)", or whichever of the two is known."""
        return f"{label} ({article})" if article and label else label or article


class Regime(models.TextChoices):
    GENERAL = "general", pgettext_lazy("regime", "general regime")
    REINFORCED = "reinforced", pgettext_lazy("regime", "reinforced regime")
    STRICT = "strict", pgettext_lazy("regime", "strict regime")
    SPECIAL = "special", pgettext_lazy("regime", "special regime")
    PRISON = "prison", pgettext_lazy("regime", "prison")


class SentenceKind(models.TextChoices):
    IMPRISONMENT = "imprisonment", pgettext_lazy("sentence kind", "imprisonment")
    LIFE = "life", pgettext_lazy("sentence kind", "life imprisonment")
    DEATH = "death", pgettext_lazy("sentence kind", "death penalty")
    RESTRICTED_FREEDOM = "restricted_freedom", pgettext_lazy("sentence kind", "restricted freedom")
    CORRECTIONAL_LABOUR = "correctional_labour", pgettext_lazy("sentence kind", "correctional labour")
    SUSPENDED = "suspended", pgettext_lazy("sentence kind", "suspended sentence")
    FINE = "fine", pgettext_lazy("sentence kind", "fine")


# Kinds measured by a term of years and months; the others have none.
TERM_KINDS = [
    SentenceKind.IMPRISONMENT,
    SentenceKind.RESTRICTED_FREEDOM,
    SentenceKind.CORRECTIONAL_LABOUR,
    SentenceKind.SUSPENDED,
]


MAX_TERM_YEARS = 9999  # consecutive terms of thousands of years are handed down (8,658 years in one case)


class Sentence(PublicFields, approximate_date("date", gettext_lazy("sentenced on"), required=False), models.Model):
    PUBLIC_FIELDS = (
        "prisoner", "kind", "court", "term_years", "term_months", "fine", "regime", "date", "date_precision",
    )  # fmt: skip

    prisoner = models.ForeignKey(
        Prisoner, on_delete=models.CASCADE, related_name="sentences", verbose_name=gettext_lazy("prisoner")
    )
    kind = models.CharField(
        gettext_lazy("kind"), max_length=20, choices=SentenceKind.choices, default=SentenceKind.IMPRISONMENT
    )
    court = models.CharField(gettext_lazy("court"), max_length=200, blank=True)
    term_years = models.PositiveSmallIntegerField(
        gettext_lazy("term years"), default=0, validators=[MaxValueValidator(MAX_TERM_YEARS)]
    )
    term_months = models.PositiveSmallIntegerField(
        gettext_lazy("term months"), default=0, validators=[MaxValueValidator(11)]
    )
    fine = models.CharField(
        gettext_lazy("fine amount"),
        max_length=100,
        blank=True,
        help_text=gettext_lazy("As written, e.g. 100 base units."),
    )
    regime = models.CharField(gettext_lazy("regime"), max_length=12, choices=Regime.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("sentence")
        verbose_name_plural = gettext_lazy("sentences")
        ordering = [F("date").asc(nulls_first=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind__in=TERM_KINDS) & (Q(term_years__gt=0) | Q(term_months__gt=0)))
                | (~Q(kind__in=TERM_KINDS) & Q(term_years=0, term_months=0)),
                name="sentence_term_matches_kind",
                violation_error_message=gettext_lazy(
                    "Imprisonment, restricted freedom, correctional labour and suspended "
                    "sentences need a term of at least one month; life, death and fines have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(term_years__lte=MAX_TERM_YEARS, term_months__lte=11),
                name="sentence_term_in_range",
                violation_error_message=format_lazy(
                    gettext_lazy("A term is at most {years} years and 11 months."), years=MAX_TERM_YEARS
                ),
            ),
            *from_earliest_constraints("date"),
        ]

    def __str__(self):
        return _("%(term)s (%(date)s)") % {"term": self.term, "date": self.date_approx or _("date unknown")}

    @property
    def duration(self):
        parts = []
        if self.term_years:
            parts.append(ngettext("%(count)s year", "%(count)s years", self.term_years) % {"count": self.term_years})
        if self.term_months:
            parts.append(
                ngettext("%(count)s month", "%(count)s months", self.term_months) % {"count": self.term_months}
            )
        return " ".join(parts)

    @property
    def term(self):
        """The sentence as people say it: "11 years", "life imprisonment", "fine (100 base units)"."""
        match self.kind:
            case SentenceKind.IMPRISONMENT:
                return self.duration
            case SentenceKind.FINE:
                if self.fine:
                    return pgettext("sentence", "fine (%(amount)s)") % {"amount": self.fine}
                return pgettext("sentence kind", "fine")
            case SentenceKind.LIFE | SentenceKind.DEATH:
                return self.get_kind_display()
            # A term and its kind: "3 years restricted freedom" (in Belarusian and Russian the kind in the genitive).
            case SentenceKind.RESTRICTED_FREEDOM:
                term = pgettext("sentence term", "%(duration)s restricted freedom")
            case SentenceKind.CORRECTIONAL_LABOUR:
                term = pgettext("sentence term", "%(duration)s correctional labour")
            case SentenceKind.SUSPENDED:
                term = pgettext("sentence term", "%(duration)s suspended sentence")
            case _:
                term = pgettext("sentence term", "%(duration)s %(kind)s")
        return term % {"duration": self.duration, "kind": self.get_kind_display()}

    @property
    def expected_release(self):
        """A prison term counted from detention (time in custody counts), else from sentencing;
        None when neither date is known or the sentence has no release (life, death, non-custodial)."""
        if self.kind != SentenceKind.IMPRISONMENT:
            return None
        start = self.prisoner.detained_approx or self.date_approx
        if not start:
            return None
        try:
            return start.plus(years=self.term_years, months=self.term_months)
        except ValueError:  # thousands of years (such sentences exist) end past the calendar's last year
            return None

    @property
    def release_unknown_because(self):
        """Why a prison term has no expected release, said plainly on the case page."""
        if self.kind == SentenceKind.IMPRISONMENT and self.expected_release is None:
            if self.prisoner.detained_approx or self.date_approx:
                return _("a term of %(duration)s ends after the year 9999") % {"duration": self.duration}
            return _("neither the detention nor the sentence date is known")
        return ""

    def clean(self):
        errors = {}
        check_not_in_future(errors, "date", self.date_approx)
        prisoner = related(self, "prisoner")
        if prisoner is not None:  # a sentence follows a detention; one dated before it is a typo
            prisoner.check_not_before_detention(errors, "date", self.date_approx, _("The sentence"))
        has_term = bool(self.term_years or self.term_months)
        if self.kind in TERM_KINDS and not has_term:
            errors.setdefault("term_years", []).append(
                ValidationError(
                    _("A sentence of %(kind)s needs a term.") % {"kind": self.get_kind_display()}, code="term_missing"
                )
            )
        if self.kind not in TERM_KINDS and has_term:
            errors.setdefault("term_years", []).append(
                ValidationError(
                    _("A sentence of %(kind)s has no term.") % {"kind": self.get_kind_display()},
                    code="term_not_allowed",
                )
            )
        if self.kind != SentenceKind.FINE and self.fine:
            errors.setdefault("fine", []).append(
                ValidationError(_("Only a fine has an amount."), code="fine_not_allowed")
            )
        if errors:
            raise ValidationError(errors)


class Lawyer(models.Model):
    name = models.CharField(gettext_lazy("name"), max_length=200)
    name_folded = FoldedField(gettext_lazy("name folded"), source="name")
    note = models.TextField(gettext_lazy("internal notes"), blank=True)

    history = HistoricalRecords()
    objects = SearchableQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("lawyer")
        verbose_name_plural = gettext_lazy("lawyers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Representation(
    PublicFields,
    approximate_date("start", pgettext_lazy("period", "from"), required=False),
    approximate_date("end", pgettext_lazy("period", "until"), required=False),
    models.Model,
):
    PUBLIC_FIELDS = ("prisoner", "lawyer", "start", "start_precision", "end", "end_precision")

    prisoner = models.ForeignKey(
        Prisoner, on_delete=models.CASCADE, related_name="representations", verbose_name=gettext_lazy("prisoner")
    )
    lawyer = models.ForeignKey(
        Lawyer, on_delete=models.PROTECT, related_name="representations", verbose_name=gettext_lazy("lawyer")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("representation")
        verbose_name_plural = gettext_lazy("representations")
        ordering = [F("start").asc(nulls_first=True), "pk"]
        constraints = [ends_after_start_constraint(), *from_earliest_constraints("start", "end")]

    def __str__(self):
        return _("%(lawyer)s for %(prisoner)s") % {"lawyer": self.lawyer, "prisoner": self.prisoner}

    def clean(self):
        errors = {}
        check_period(errors, self.start_approx, self.end_approx)
        if errors:
            raise ValidationError(errors)
