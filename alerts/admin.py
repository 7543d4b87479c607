from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone

from casetracker.admin_base import NameSearchMixin
from prisoners.models import CustodyPeriod, Facility, Prisoner

from .models import Alert, Delivery, Digest, ScanRun


class AlertStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "open"), ("acknowledged", "acknowledged"), ("resolved", "resolved")]

    def queryset(self, request, queryset):
        match self.value():
            case "open":
                return queryset.open()
            case "acknowledged":
                return queryset.acknowledged()
            case "resolved":
                return queryset.resolved()
        return queryset


class CurrentFacilityFilter(admin.SimpleListFilter):
    title = "held now at"
    parameter_name = "facility"

    def lookups(self, request, model_admin):
        held = CustodyPeriod.objects.current().filter(prisoner__alerts__isnull=False).values("facility")
        return [(facility.pk, str(facility)) for facility in Facility.objects.filter(pk__in=held)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(prisoner__in=Prisoner.objects.held_at(self.value()))
        return queryset


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="What is being done, e.g. “lawyer is trying to visit on Monday”.",
    )


@admin.register(Alert)
class AlertAdmin(NameSearchMixin, admin.ModelAdmin):
    list_display = [
        "prisoner",
        "party",
        "since_display",
        "days_at_opening",
        "threshold_at_opening",
        "state",
        "opened_at",
        "acknowledged_by",
        "resolved_at",
    ]
    list_filter = [AlertStateFilter, "party", CurrentFacilityFilter]
    list_select_related = ["prisoner", "acknowledged_by"]
    search_fields = ["prisoner"]
    date_hierarchy = "opened_at"
    actions = ["acknowledge"]
    fields = [
        "prisoner",
        "party",
        "since_display",
        "basis",
        "days_at_opening",
        "threshold_at_opening",
        "opened_at",
        "notified_at",
        "reminders_sent",
        "acknowledged_at",
        "acknowledged_by",
        "acknowledgement_note",
        "resolved_at",
        "resolution",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # alerts are opened by the scan only

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who was cut off, and what staff did, is kept

    @admin.display(description="cut off since", ordering="since")
    def since_display(self, alert):
        return alert.since_approx or "no contact data"

    @admin.action(description="Acknowledge selected alerts (with a note)", permissions=["change"])
    def acknowledge(self, request, queryset):
        form = AcknowledgeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            now = timezone.now()
            done = sum(alert.acknowledge(request.user, form.cleaned_data["note"], now) for alert in queryset)
            self.message_user(request, f"Acknowledged {done} alert(s); no more reminders for them.", messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/alerts/alert/acknowledge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Acknowledge alerts",
                "opts": self.model._meta,
                "alerts": queryset.select_related("prisoner"),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["subject", "created_at"]
    fields = ["subject", "created_at", "body_text"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["digest", "email", "sent_at", "attempts", "next_attempt_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["digest"]


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "outcome", "error"]
    list_filter = [("finished_at", admin.EmptyFieldListFilter)]
    show_full_result_count = False  # a row an hour for years
