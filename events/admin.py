from django.contrib import admin
from django.utils.translation import gettext_lazy, pgettext_lazy

from casetracker.admin_base import CaseAdmin
from casetracker.translated import translation_fields

from .models import Contact, Incident, Organisation, Source, Visibility


@admin.register(Incident)
class IncidentAdmin(CaseAdmin):
    list_display = ["kind", "prisoner", "date_range_display", "facility", "visibility", "verification"]
    list_filter = [
        "kind",
        ("start", admin.DateFieldListFilter),
        "visibility",
        "verification",
    ]
    list_select_related = ["prisoner", "facility"]
    # By the names of the prisoner, facility and lawyer, through the name index (never a LIKE over millions).
    search_fields = ["prisoner", "facility", "lawyer"]
    autocomplete_fields = ["prisoner", "facility", "lawyer", "sources"]
    # Newest first, through the chronological index. No date hierarchy and no "facilities used"
    # filter: both read every one of millions of rows to draw their links (the start-date filter
    # and the facility's own "incidents here" link cover them).
    ordering = ["-start", "-start_latest", "-id"]
    fieldsets = [
        (None, {"fields": ["prisoner", "kind", ("start", "start_precision"), ("end", "end_precision")]}),
        (gettext_lazy("Where and who"), {"fields": ["facility", "lawyer"]}),
        (gettext_lazy("What happened"), {"fields": ["description", "internal_notes", "sources"]}),
        (
            gettext_lazy("Translations"),
            {"fields": ["written_in", *translation_fields("description")], "classes": ["collapse"]},
        ),
        (gettext_lazy("Publication"), {"fields": ["verification", "visibility"]}),
    ]
    publish_field = "visibility"
    publish_permission = "events.publish_incident"
    publish_values = (Visibility.PUBLIC, Visibility.INTERNAL)

    @admin.display(description=gettext_lazy("date"), ordering="start")
    def date_range_display(self, incident):
        return incident.date_range


@admin.register(Contact)
class ContactAdmin(CaseAdmin):
    list_display = ["prisoner", "party", "date_display", "channel", "contact_person", "visibility"]
    list_filter = ["party", "channel", ("date", admin.DateFieldListFilter), "visibility"]
    list_select_related = ["prisoner"]
    search_fields = ["prisoner", "lawyer"]
    autocomplete_fields = ["prisoner", "lawyer", "sources"]
    ordering = ["-date", "-id"]  # newest first, through the chronological index
    fieldsets = [
        (None, {"fields": ["prisoner", "party", ("date", "date_precision"), "channel", "lawyer", "contact_person"]}),
        (gettext_lazy("Details"), {"fields": ["description", "internal_notes", "sources"]}),
        (
            gettext_lazy("Translations"),
            {"fields": ["written_in", *translation_fields("description")], "classes": ["collapse"]},
        ),
        (gettext_lazy("Publication"), {"fields": ["visibility"]}),
    ]
    publish_field = "visibility"
    publish_permission = "events.publish_contact"
    publish_values = (Visibility.PUBLIC, Visibility.INTERNAL)

    @admin.display(description=gettext_lazy("date"), ordering="date")
    def date_display(self, contact):
        return contact.date_approx


@admin.register(Source)
class SourceAdmin(CaseAdmin):
    list_display = ["title", "kind", "publisher", "published_display", "confidential"]
    list_filter = ["kind", "confidential"]
    list_select_related = ["publisher"]
    search_fields = ["title", "publisher__name", "signatories__name", "url"]
    autocomplete_fields = ["publisher", "signatories"]
    fieldsets = [
        (None, {"fields": ["title", "kind", ("published", "published_precision"), "url"]}),
        (
            gettext_lazy("Translations"),
            {"fields": ["written_in", *translation_fields("title")], "classes": ["collapse"]},
        ),
        (pgettext_lazy("people", "Who"), {"fields": ["publisher", "signatories"]}),
        (gettext_lazy("Confidentiality"), {"fields": ["confidential", "internal_notes"]}),
    ]
    publish_field = "confidential"
    publish_permission = "events.publish_source"
    publish_values = (False, True)

    @admin.display(description=gettext_lazy("date"), ordering="published")
    def published_display(self, source):
        return source.published_approx or "—"


@admin.register(Organisation)
class OrganisationAdmin(CaseAdmin):
    list_display = ["name", "url"]
    search_fields = ["name"]
    folded_search_fields = ["name_folded"]
