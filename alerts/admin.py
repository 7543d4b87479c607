from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from casetracker.admin_base import NameSearchMixin
from prisoners.models import CustodyPeriod, Facility, Prisoner

from . import services
from .models import Alert, AlertEvent, Channel, Delivery, Digest, ScanRun, StaffPreferences

# An alert's state (Alert.state) as staff read it.
STATES = {
    "open": pgettext_lazy("alert state", "open"),
    "acknowledged": pgettext_lazy("alert state", "acknowledged"),
    "resolved": pgettext_lazy("alert state", "resolved"),
}

# Alert.next_step as staff read it: what happens, on which day.
NEXT_STEPS = {
    "due again": gettext_lazy("due again %(date)s"),
    "escalates": gettext_lazy("escalates %(date)s"),
    "reminder": gettext_lazy("reminder %(date)s"),
}


class AlertStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(STATES.items())

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
    title = gettext_lazy("held now at")
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
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("What is being done, e.g. “lawyer is trying to visit on Monday”."),
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=services.alert_handlers(), label=gettext_lazy("Assign to"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.TextInput(attrs={"size": 60}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, auto_id="assign_%s", **kwargs)  # beside the acknowledge form's "note"
        if user is not None and not self.is_bound:
            self.fields["assignee"].initial = user.pk


class AlertEventInline(admin.TabularInline):
    model = AlertEvent
    verbose_name_plural = gettext_lazy("history")
    fields = ["at", "kind", "user", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(NameSearchMixin, admin.ModelAdmin):
    list_display = [
        "prisoner",
        "party",
        "days_now",
        "threshold_at_opening",
        "facility_now",
        "state",
        "assigned_to",
        "next_step_display",
        "opened_at",
    ]
    list_filter = [AlertStateFilter, "party", CurrentFacilityFilter, ("assigned_to", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["prisoner", "assigned_to", "acknowledged_by"]
    search_fields = ["prisoner"]
    date_hierarchy = "opened_at"
    actions = ["acknowledge", "assign"]
    inlines = [AlertEventInline]
    fields = [
        "prisoner_link",
        "party",
        "since_display",
        "basis",
        "days_now",
        "days_at_opening",
        "threshold_at_opening",
        "facility_now",
        "state",
        "next_step_display",
        "assigned_to",
        "assigned_at",
        "acknowledged_at",
        "acknowledged_by",
        "acknowledgement_note",
        "opened_at",
        "notified_at",
        "reminders_sent",
        "escalated_at",
        "resolved_at",
        "resolution",
    ]
    readonly_fields = fields
    change_form_template = "admin/alerts/alert/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_days_now().with_facility_now()

    def has_add_permission(self, request):
        return False  # alerts are opened by the scan only

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who was cut off, and what staff did, is kept

    @admin.display(description=gettext_lazy("cut off since"), ordering="since")
    def since_display(self, alert):
        return alert.since_approx or _("no contact data")

    @admin.display(description=gettext_lazy("days cut off (today)"), ordering="days_now")
    def days_now(self, alert):
        return alert.days_now

    @admin.display(description=gettext_lazy("held at now"))
    def facility_now(self, alert):
        return alert.facility_now or "—"

    @admin.display(description=gettext_lazy("state"))
    def state(self, alert):
        return STATES[alert.state]

    @admin.display(description=gettext_lazy("next, if nobody acts"))
    def next_step_display(self, alert):
        step = alert.next_step
        return NEXT_STEPS[step[0]] % {"date": date_format(timezone.localtime(step[1]), "j M Y")} if step else "—"

    @admin.display(description=gettext_lazy("prisoner"))
    def prisoner_link(self, alert):
        url = reverse("admin:prisoners_prisoner_change", args=[alert.prisoner_id])
        return format_html('<a href="{}">{}</a>', url, alert.prisoner)

    def get_urls(self):
        return [
            path(
                "<int:pk>/acknowledge/",
                self.admin_site.admin_view(self.acknowledge_view),
                name="alerts_alert_acknowledge",
            ),
            path("<int:pk>/assign/", self.admin_site.admin_view(self.assign_view), name="alerts_alert_assign"),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":  # nothing here is edited through the form: the buttons post elsewhere
            raise PermissionDenied
        alert = self.get_object(request, object_id) if object_id else None
        can_act = alert is not None and alert.resolved_at is None and self.has_change_permission(request, alert)
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "can_acknowledge": can_act and alert.acknowledged_at is None,
            "can_assign": can_act,
            "acknowledge_form": AcknowledgeForm(),
            "acknowledgement_days": settings.ALERT_ACKNOWLEDGEMENT_DAYS,
            "assign_form": AssignForm(user=request.user),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _act(self, request, pk, form_class, act):
        """Run one of the alert page's buttons (POST only), then back to the alert page."""
        alert = self.get_object(request, str(pk))
        if alert is None:
            raise Http404
        if request.method != "POST" or not self.has_change_permission(request, alert):
            raise PermissionDenied
        form = form_class(request.POST)
        if form.is_valid():
            done, message = act(alert, form.cleaned_data)
            self.message_user(request, message, messages.SUCCESS if done else messages.WARNING)
        else:
            errors = "; ".join(f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items())
            self.message_user(request, _("Nothing done. %(errors)s") % {"errors": errors}, messages.ERROR)
        return redirect("admin:alerts_alert_change", alert.pk)

    def acknowledge_view(self, request, pk):
        def act(alert, data):
            if alert.acknowledge(request.user, data["note"]):
                days = settings.ALERT_ACKNOWLEDGEMENT_DAYS
                said = ngettext(
                    "Acknowledged; no reminders for %(days)d days.",
                    "Acknowledged; no reminders for %(days)d days.",
                    days,
                )
                return True, said % {"days": days}
            return False, _("Not acknowledged: it is resolved or already acknowledged.")

        return self._act(request, pk, AcknowledgeForm, act)

    def assign_view(self, request, pk):
        def act(alert, data):
            if alert.assign(data["assignee"], request.user, data["note"]):
                return True, _("Assigned to %(user)s; they get its notices from now on.") % {
                    "user": data["assignee"].get_username()
                }
            return False, _("Not assigned: it is resolved or already theirs.")

        return self._act(request, pk, AssignForm, act)

    def _confirm(self, request, queryset, action, form, title, explanation):
        return TemplateResponse(
            request,
            "admin/alerts/alert/confirm_action.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "explanation": explanation,
                "action": action,
                "opts": self.model._meta,
                "alerts": queryset.select_related("prisoner"),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=gettext_lazy("Acknowledge selected alerts (with a note)"), permissions=["change"])
    def acknowledge(self, request, queryset):
        form = AcknowledgeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            now = timezone.now()
            done = sum(alert.acknowledge(request.user, form.cleaned_data["note"], now) for alert in queryset)
            days = settings.ALERT_ACKNOWLEDGEMENT_DAYS
            # Both forms alike in English (as it always read); be/ru decline "days" by the count.
            said = ngettext(
                "Acknowledged %(count)d alert(s); no reminders for them for %(days)d days.",
                "Acknowledged %(count)d alert(s); no reminders for them for %(days)d days.",
                days,
            )
            self.message_user(request, said % {"count": done, "days": days}, messages.SUCCESS)
            return None
        days = settings.ALERT_ACKNOWLEDGEMENT_DAYS
        explanation = ngettext(
            "Acknowledging tells the other staff that someone is acting on these alerts: no reminders for "
            "%(days)d days, then each is due again if it has not resolved. "
            "They resolve by themselves when contact resumes.",
            "Acknowledging tells the other staff that someone is acting on these alerts: no reminders for "
            "%(days)d days, then each is due again if it has not resolved. "
            "They resolve by themselves when contact resumes.",
            days,
        ) % {"days": days}
        return self._confirm(request, queryset, "acknowledge", form, _("Acknowledge alerts"), explanation)

    @admin.action(description=gettext_lazy("Assign selected alerts to a staff member"), permissions=["change"])
    def assign(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None, user=request.user)
        if form.is_valid():
            now, assignee = timezone.now(), form.cleaned_data["assignee"]
            done = sum(alert.assign(assignee, request.user, form.cleaned_data["note"], now) for alert in queryset)
            said = ngettext(
                "Assigned %(count)d alert(s) to %(user)s.", "Assigned %(count)d alert(s) to %(user)s.", done
            )
            self.message_user(request, said % {"count": done, "user": assignee.get_username()}, messages.SUCCESS)
            return None
        explanation = _(
            "The assignee gets these alerts' notices and reminders from now on, instead of all alert staff."
        )
        return self._confirm(request, queryset, "assign", form, _("Assign alerts"), explanation)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["subject", "audience", "created_at"]
    list_filter = ["audience"]
    fields = ["subject", "audience", "created_at", "body_text"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["digest", "recipient", "sent_at", "attempts", "next_attempt_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), ("channel", admin.EmptyFieldListFilter)]
    list_select_related = ["digest", "channel"]
    fields = ["digest", "user", "recipient", "created_at", "attempts", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = fields


class ChannelForm(forms.ModelForm):
    """The address is write-only: typed once, never shown back; left empty on change, it is kept."""

    url = forms.CharField(
        label=gettext_lazy("Address"),
        widget=forms.PasswordInput(render_value=False, attrs={"size": 80, "autocomplete": "off"}),
        help_text=Channel._meta.get_field("url").help_text,
    )

    class Meta:
        model = Channel
        fields = ["user", "label", "url", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["url"].required = False
            self.fields["url"].help_text = _(
                "Now %(address)s. Leave empty to keep it; type a new address to replace it."
            ) % {"address": self.instance.masked_url}

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        return url or self.instance.url


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Each staff member keeps their own channels; superusers see everyone's."""

    form = ChannelForm
    list_display = ["label", "user", "masked_url", "enabled", "failing"]
    list_filter = ["enabled"]

    def get_queryset(self, request):
        channels = super().get_queryset(request).select_related("user")
        channels = channels.annotate(
            refused=Count("deliveries", filter=Q(deliveries__sent_at__isnull=True, deliveries__attempts__gt=0))
        )
        return channels if request.user.is_superuser else channels.filter(user=request.user)

    def get_fields(self, request, obj=None):
        fields = ["user", "label", "url", "enabled"]
        return fields if request.user.is_superuser else fields[1:]

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.user = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("address"))
    def masked_url(self, channel):
        return channel.masked_url

    @admin.display(description=gettext_lazy("failing"), ordering="refused")
    def failing(self, channel):
        if not channel.refused:
            return "—"
        url = reverse("admin:alerts_delivery_changelist") + f"?channel__id__exact={channel.pk}&sent_at__isempty=1"
        said = ngettext(
            "%(count)d notice(s) refused, retrying", "%(count)d notice(s) refused, retrying", channel.refused
        ) % {"count": channel.refused}
        return format_html('<a href="{}">{}</a>', url, said)


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "outcome", "error"]
    list_filter = [("finished_at", admin.EmptyFieldListFilter)]
    show_full_result_count = False  # a row an hour for years


@admin.register(StaffPreferences)
class StaffPreferencesAdmin(admin.ModelAdmin):
    """Each staff member sets their own language (the admin's and their alert notices'); superusers anyone's."""

    list_display = ["user", "language"]

    def get_queryset(self, request):
        preferences = super().get_queryset(request).select_related("user")
        return preferences if request.user.is_superuser else preferences.filter(user=request.user)

    def get_fields(self, request, obj=None):
        return ["user", "language"] if request.user.is_superuser else ["language"]

    def has_add_permission(self, request):
        return request.user.is_superuser or not StaffPreferences.objects.filter(user=request.user).exists()

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    has_change_permission = has_view_permission

    def has_module_permission(self, request):
        return request.user.is_staff

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.user = request.user
        super().save_model(request, obj, form, change)
