from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from casetracker.admin_base import CaseAdmin, CaseInline, DuplicateCheckMixin
from casetracker.translated import translation_fields
from events.models import Contact, Incident, Party

from . import lapse as lapse_rule
from .case_history import case_history
from .lapse import LapseBasis
from .models import (
    Charge,
    CustodyPeriod,
    Facility,
    FacilityNameVariant,
    Lawyer,
    NameVariant,
    PreviousSlug,
    Prisoner,
    Recognition,
    RegisterEntry,
    Representation,
    Sentence,
    Tag,
)


class NameVariantFormSet(BaseInlineFormSet):
    """A spelling the record already has (whatever its case, typed twice or stored) is refused next to its
    row: the database's constraint would otherwise make the save a 500 and lose everything typed."""

    def clean(self):
        super().clean()
        constraint, one_display = (c for c in self.model._meta.constraints if isinstance(c, UniqueConstraint))
        in_form = [form.instance.pk for form in self.forms if form.instance.pk]
        stored = (
            self.model.objects.filter(**{self.fk.name: self.instance})
            if self.instance.pk
            else self.model.objects.none()
        )
        others = stored.exclude(pk__in=in_form)
        seen = {name.casefold() for name in others.values_list("name", flat=True)}
        # One display name per language (a conditional constraint, which Django's formsets do not check).
        shown = set(others.filter(display=True).values_list("language", flat=True))
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE") or form.errors:
                continue
            name = form.cleaned_data["name"].casefold()
            if name in seen:
                form.add_error("name", constraint.violation_error_message)
            seen.add(name)
            if form.cleaned_data.get("display"):
                language = form.cleaned_data.get("language", "")
                if language in shown:
                    form.add_error("display", one_display.violation_error_message)
                shown.add(language)


class NameVariantInline(CaseInline):
    model = NameVariant
    formset = NameVariantFormSet
    fields = ["name", "language", "note", "public", "display"]
    show_change_link = False
    # Showing a name is publishing it: new variants stay internal until an editor decides.
    publish_field = "public"
    publish_permission = "prisoners.publish_prisoner"


class PreviousSlugInline(CaseInline):
    """The slugs a case had before (kept by Prisoner.save). Editors may delete one to retire it: its links then
    find nothing, even one the public saw (for a person who must no longer be linked to a name)."""

    model = PreviousSlug
    fields = ["slug", "was_public", "replaced"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


class CustodyPeriodFormSet(BaseInlineFormSet):
    """Checks overlaps across the whole submission, so a transfer (close one period,
    open the next) is judged on the new values, not on what the database still holds."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.overlap_checked_elsewhere = True
        return form

    def clean(self):
        super().clean()
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.errors
        ]
        clash = CustodyPeriod.first_overlap_among([form.instance for form in kept])
        if clash:  # said on the row that overlaps, in the model's words
            first, second = clash
            row = next(form for form in kept if form.instance is second)
            row.add_error("start", CustodyPeriod.overlap_message(first))


class CustodyPeriodInline(CaseInline):
    model = CustodyPeriod
    formset = CustodyPeriodFormSet
    fields = ["facility", "start", "start_precision", "end", "end_precision", "note"]
    autocomplete_fields = ["facility"]


class ChargeInline(CaseInline):
    model = Charge
    fields = ["article", "label"]
    show_change_link = False


class SentenceInline(CaseInline):
    model = Sentence
    fields = ["kind", "date", "date_precision", "court", "term_years", "term_months", "fine", "regime"]


class RecognitionInline(CaseInline):
    model = Recognition
    fields = ["date", "date_precision", "organisations", "statement_url"]
    autocomplete_fields = ["organisations"]
    show_change_link = False


class RegisterEntryInline(CaseInline):
    model = RegisterEntry
    fields = ["register", "identifier", "url"]
    show_change_link = False


class RepresentationInline(CaseInline):
    model = Representation
    fields = ["lawyer", "start", "start_precision", "end", "end_precision"]
    autocomplete_fields = ["lawyer"]


class ContactInline(CaseInline):
    """The latest contacts only (SHOWN): a case with hundreds keeps its page light; the rest
    are a click away in the contact list. Whole contacts: what happened and the sources too."""

    SHOWN = 20
    LATEST_FIRST = ["-date_latest", "-pk"]
    model = Contact
    fields = [
        "party", "date", "date_precision", "channel", "lawyer", "contact_person", "description", "sources", "visibility"
    ]  # fmt: skip
    autocomplete_fields = ["lawyer", "sources"]
    publish_field = "visibility"
    publish_permission = "events.publish_contact"
    ordering = LATEST_FIRST

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "description":
            field.widget.attrs.update(rows=2, cols=30)
        return field


class IncidentInline(CaseInline):
    """Incidents entered on the prisoner's page: the latest (SHOWN) newest first, and a new one below; the rest
    are in the incident list."""

    SHOWN = 10
    LATEST_FIRST = ["-start_latest", "-pk"]
    model = Incident
    template = "admin/edit_inline/stacked.html"
    # Translations are edited on the incident's own page (its "Translations" section): the case page stays light.
    fields = [
        "kind", ("start", "start_precision"), ("end", "end_precision"), "facility", "description", "internal_notes",
        "sources", ("verification", "visibility"),
    ]  # fmt: skip
    autocomplete_fields = ["facility", "sources"]
    publish_field = "visibility"
    publish_permission = "events.publish_incident"
    ordering = LATEST_FIRST


class ContactLapseFilter(admin.SimpleListFilter):
    party = None

    def lookups(self, request, model_admin):
        return [("overdue", _("overdue")), ("within", _("within threshold")), ("unknown", _("no contact data"))]

    def queryset(self, request, queryset):
        overdue = lapse_rule.overdue_condition(self.party)
        unknown = Q(**{lapse_rule.names(self.party).basis: LapseBasis.UNKNOWN})
        match self.value():
            case "overdue":
                return queryset.filter(overdue)
            case "within":
                return queryset.exclude(overdue).exclude(unknown)
            case "unknown":
                return queryset.filter(unknown)
        return queryset


class LawyerLapseFilter(ContactLapseFilter):
    title = gettext_lazy("lawyer contact")
    parameter_name = "lawyer_contact"
    party = Party.LAWYER


class FamilyLapseFilter(ContactLapseFilter):
    title = gettext_lazy("family contact")
    parameter_name = "family_contact"
    party = Party.FAMILY


def lapse_column(party):
    # "No contact data" sorts with the longest lapses: unknown is never silently fine.
    ordering = F(lapse_rule.names(party).since_latest).desc(nulls_last=True)  # shortest lapse first

    description = {
        Party.LAWYER: gettext_lazy("days since lawyer contact"),
        Party.FAMILY: gettext_lazy("days since family contact"),
    }[party]

    @admin.display(description=description, ordering=ordering)
    def column(self, prisoner):
        lapse = prisoner.lapse(party)
        if not lapse.known:
            return format_html('<span class="lapse lapse-unknown">{}</span>', _("no contact data"))
        css = "lapse lapse-overdue" if lapse.overdue else "lapse"
        label = _("%(days)s overdue") % {"days": lapse.days} if lapse.overdue else lapse.days
        # The English has always said "days", whatever the number.
        title = ngettext(
            "since %(since)s; threshold %(threshold)s days",
            "since %(since)s; threshold %(threshold)s days",
            lapse.threshold,
        ) % {"since": lapse.since, "threshold": lapse.threshold}
        return format_html('<span class="{}" title="{}">{}</span>', css, title, label)

    return column


@admin.register(Prisoner)
class PrisonerAdmin(DuplicateCheckMixin, CaseAdmin):
    list_display = ["name", "status", "detained_display", "lawyer_lapse", "family_lapse", "published"]
    list_filter = ["status", "published", "monitored", LawyerLapseFilter, FamilyLapseFilter, "tags"]
    search_fields = ["name", "=register_entries__identifier"]  # every name variant (casetracker.admin_base)
    name_variants_prefix = "name_variants"
    readonly_fields = ["incidents_link", "contacts_link", "lapse_summary", "created", "updated"]
    autocomplete_fields = ["tags", "sources"]
    inlines = [
        NameVariantInline,
        CustodyPeriodInline,
        ChargeInline,
        SentenceInline,
        RepresentationInline,
        ContactInline,
        IncidentInline,
        RecognitionInline,
        RegisterEntryInline,
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "bio", "status", ("detained", "detained_precision"), "published"]}),
        # Beside the original: a translation per language, shown on that language's pages (README, "Languages").
        (gettext_lazy("Translations"), {"fields": ["written_in", *translation_fields("bio")], "classes": ["collapse"]}),
        (
            gettext_lazy("Person"),
            {
                "fields": [
                    ("born", "born_precision"),
                    "gender",
                    ("home_town", "home_region"),
                    "occupation",
                    "tags",
                    ("photo", "photo_public"),
                ]
            },
        ),
        (
            gettext_lazy("Death"),
            {"fields": [("died", "died_precision"), "died_in_custody", "death_cause"], "classes": ["collapse"]},
        ),
        (
            pgettext_lazy("admin section", "Contact"),
            {
                "fields": [
                    "lapse_summary",
                    ("monitored", "monitored_from", "monitored_from_precision"),
                    ("lawyer_threshold_days", "family_threshold_days"),
                ]
            },
        ),
        (gettext_lazy("Sources of this record"), {"fields": ["sources"]}),
        (gettext_lazy("Incidents and contacts"), {"fields": ["incidents_link", "contacts_link"]}),
        (pgettext_lazy("admin section", "Record"), {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]
    publish_field = "published"
    # The slug is the public address: a researcher's new record gets one made from the display name.
    other_publish_fields = ["photo_public", "slug"]
    publish_permission = "prisoners.publish_prisoner"
    publish_values = (True, False)

    class Media:
        css = {"all": ["casetracker/admin.css"]}

    def save_model(self, request, obj, form, change):
        if "photo" in form.changed_data and not self.can_publish(request) and obj.photo_public:
            # A cleared photo replaced by someone who may not clear one: the new one waits for an editor.
            obj.photo_public = False
            self.message_user(request, _("The new photo is not shown publicly until an editor clears it."))
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return super().get_queryset(request).with_contact_lapse()

    def get_urls(self):
        return [
            path(
                "<int:pk>/case-history/",
                self.admin_site.admin_view(self.case_history_view),
                name="prisoners_prisoner_case_history",
            ),
            *super().get_urls(),
        ]

    def case_history_view(self, request, pk):
        prisoner = get_object_or_404(Prisoner._base_manager, pk=pk)
        if not self.has_view_permission(request, prisoner):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": prisoner,
            "title": _("Case history: %(prisoner)s") % {"prisoner": prisoner},
            "entries": case_history(prisoner),
        }
        return TemplateResponse(request, "admin/prisoners/prisoner/case_history.html", context)

    def view_on_site(self, prisoner):
        # An unpublished case has no public page yet: staff see how it would look.
        return prisoner.get_absolute_url() if prisoner.published else reverse("publicsite:preview", args=[prisoner.pk])

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [*inlines, PreviousSlugInline] if obj is not None and obj.previous_slugs.exists() else inlines

    lawyer_lapse = lapse_column(Party.LAWYER)
    family_lapse = lapse_column(Party.FAMILY)

    @admin.display(description=pgettext_lazy("admin column", "detained"), ordering="detained")
    def detained_display(self, prisoner):
        return prisoner.detained_approx or "—"

    @admin.display(description=gettext_lazy("contact lapses"))
    def lapse_summary(self, prisoner):
        if prisoner.pk is None:
            return "—"
        if not prisoner.monitored:
            return _("Contact is not monitored for this prisoner: no lapse is counted and no alert raised.")
        lines = []
        for party in Party.values:
            lapse = prisoner.lapse(party)
            verdict = _("overdue") if lapse.overdue else _("within threshold") if lapse.known else _("unknown")
            threshold = ngettext("(threshold %(days)s days)", "(threshold %(days)s days)", lapse.threshold) % {
                "days": lapse.threshold
            }
            lines.append((lapse, verdict, threshold))
        return format_html_join(mark_safe("<br>"), "{} — {} {}", lines)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if getattr(inline, "SHOWN", None) and obj is not None and obj.pk:
            rows = inline.model._base_manager.filter(prisoner=obj).order_by(*inline.LATEST_FIRST)
            shown = set(rows.values_list("pk", flat=True)[: inline.SHOWN])
            # A submitted form keeps the rows it was showing, even if newer ones came since: an edit to a row that
            # slipped out of the latest would otherwise be dropped without a word.
            shown |= {
                value for key, value in request.POST.items() if key.startswith(f"{prefix}-") and key.endswith("-id")
            }
            kwargs["queryset"] = kwargs["queryset"].filter(pk__in=[pk for pk in shown if str(pk).isdigit()])
        return kwargs

    @admin.display(description=gettext_lazy("contacts"))
    def contacts_link(self, prisoner):
        if prisoner.pk is None:
            return "—"
        count = prisoner.contacts.count()
        shown = (
            _("the latest %(shown)s are below") % {"shown": ContactInline.SHOWN} + "; "
            if count > ContactInline.SHOWN
            else ""
        )
        return format_html(
            '{}<a href="{}?prisoner__id__exact={}">{}</a>',
            shown,
            reverse("admin:events_contact_changelist"),
            prisoner.pk,
            ngettext("all %(count)s contacts", "all %(count)s contacts", count) % {"count": count},
        )

    @admin.display(description=gettext_lazy("incidents"))
    def incidents_link(self, prisoner):
        if prisoner.pk is None:
            return _("Save the prisoner first.")
        changelist = reverse("admin:events_incident_changelist")
        add = reverse("admin:events_incident_add")
        count = prisoner.incidents.count()
        return format_html(
            '<a href="{}?prisoner__id__exact={}">{}</a> · <a href="{}?prisoner={}">{}</a>',
            changelist,
            prisoner.pk,
            ngettext("%(count)s incidents", "%(count)s incidents", count) % {"count": count},
            add,
            prisoner.pk,
            _("add an incident"),
        )


class FacilityNameVariantInline(CaseInline):
    model = FacilityNameVariant
    formset = NameVariantFormSet
    fields = ["name", "language", "note", "display"]
    show_change_link = False


@admin.register(Facility)
class FacilityAdmin(DuplicateCheckMixin, CaseAdmin):
    list_display = ["name", "kind", "city", "region", "country"]
    list_filter = ["kind", "country", "region"]
    search_fields = ["name", "city"]
    name_variants_prefix = "name_variants"
    inlines = [FacilityNameVariantInline]
    fields = [
        "name",
        "slug",
        "kind",
        ("city", "region", "country"),
        "postal_address",
        ("latitude", "longitude"),
        "records_here",
    ]
    readonly_fields = ["records_here"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "slug"] if obj else fields

    @admin.display(description=gettext_lazy("records here"))
    def records_here(self, facility):
        if facility.pk is None:
            return "—"
        return format_html(
            '<a href="{}?facility__id__exact={}">{}</a> · <a href="{}?facility__id__exact={}">{}</a>',
            reverse("admin:events_incident_changelist"),
            facility.pk,
            _("incidents here"),
            reverse("admin:prisoners_custodyperiod_changelist"),
            facility.pk,
            _("custody periods here"),
        )


@admin.register(Tag)
class TagAdmin(CaseAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    folded_search_fields = ["name_folded"]


@admin.register(Lawyer)
class LawyerAdmin(DuplicateCheckMixin, CaseAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(NameVariant)
class NameVariantAdmin(CaseAdmin):
    list_display = ["name", "prisoner", "language", "note", "public"]
    list_filter = ["public"]
    search_fields = ["prisoner"]
    autocomplete_fields = ["prisoner"]
    publish_field = "public"
    publish_permission = "prisoners.publish_prisoner"
    publish_values = (True, False)


@admin.register(FacilityNameVariant)
class FacilityNameVariantAdmin(CaseAdmin):
    list_display = ["name", "facility", "language", "note"]
    search_fields = ["facility"]
    autocomplete_fields = ["facility"]


@admin.register(CustodyPeriod)
class CustodyPeriodAdmin(CaseAdmin):
    list_display = ["prisoner", "facility", "period"]
    list_filter = ["facility"]
    search_fields = ["prisoner", "facility"]
    autocomplete_fields = ["prisoner", "facility"]
    fields = ["prisoner", "facility", ("start", "start_precision"), ("end", "end_precision"), "note"]


@admin.register(Charge)
class ChargeAdmin(CaseAdmin):
    list_display = ["label", "article", "prisoner"]
    search_fields = ["label", "article", "prisoner"]
    autocomplete_fields = ["prisoner"]


@admin.register(Sentence)
class SentenceAdmin(CaseAdmin):
    list_display = ["prisoner", "date_display", "term", "court", "regime"]
    list_filter = ["regime"]
    search_fields = ["prisoner", "court"]
    autocomplete_fields = ["prisoner"]
    fields = ["prisoner", ("date", "date_precision"), "court", ("term_years", "term_months"), "regime"]

    @admin.display(description=gettext_lazy("sentenced on"), ordering="date")
    def date_display(self, sentence):
        return sentence.date_approx


@admin.register(Representation)
class RepresentationAdmin(CaseAdmin):
    list_display = ["lawyer", "prisoner", "start_approx", "end_approx"]
    search_fields = ["lawyer", "prisoner"]
    autocomplete_fields = ["prisoner", "lawyer"]
    fields = ["prisoner", "lawyer", ("start", "start_precision"), ("end", "end_precision")]
