"""Admin behaviour shared by every case-data model: history, publishing rights, search."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from casetracker.text import fold


class PublishGuardMixin:
    """Only users with `publish_permission` may change `publish_field` (and `other_publish_fields`).

    Everyone else sees them read-only, so new records keep the model's safe default
    (unpublished, internal, confidential) until an editor decides otherwise.
    """

    publish_field = None
    other_publish_fields = ()  # e.g. whether a prisoner's photo may be shown
    publish_permission = None

    def can_publish(self, request):
        return self.publish_permission is None or request.user.has_perm(self.publish_permission)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.publish_field and not self.can_publish(request):
            fields.extend([self.publish_field, *self.other_publish_fields])
        return fields


# Records about a prisoner are found by any of the prisoner's names.
PRISONER_FOLDED_SEARCH = ["prisoner__name_folded", "prisoner__name_variants__folded"]


class FoldedSearchMixin:
    """Search also matches folded names: any script, any case, any transliteration."""

    folded_search_fields = ()

    def get_search_results(self, request, queryset, search_term):
        matches, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if not folded or not self.folded_search_fields:
            return matches, may_have_duplicates
        condition = Q(pk__in=matches.values("pk"))
        for field in self.folded_search_fields:
            condition |= Q(**{f"{field}__contains": folded})
        return queryset.filter(condition), True


# A URL typed without a scheme is read as https (Django 6's default).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}


class CaseAdmin(PublishGuardMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    """Base admin for case data: history with diffs; revert only with the history change right."""

    publish_values = None  # (public value, internal value) of `publish_field`, for the bulk actions
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history hides the revert button but would still accept the POST.
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if not self.has_change_history_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not (self.publish_values and self.publish_field and self.can_publish(request)):
            actions.pop("make_public", None)
            actions.pop("make_internal", None)
        return actions

    def _set_publish_field(self, request, queryset, value, verb):
        # One save per record, so every change is in the history with its author.
        for obj in queryset:
            setattr(obj, self.publish_field, value)
            obj._change_reason = f"{verb} from the list"
            obj.save()
        self.message_user(request, f"{verb}: {queryset.count()}", messages.SUCCESS)

    @admin.action(description="Make selected public")
    def make_public(self, request, queryset):
        self._set_publish_field(request, queryset, self.publish_values[0], "Made public")

    @admin.action(description="Make selected internal")
    def make_internal(self, request, queryset):
        self._set_publish_field(request, queryset, self.publish_values[1], "Made internal")

    actions = ["make_public", "make_internal"]


class CaseInline(PublishGuardMixin, admin.TabularInline):
    extra = 0
    show_change_link = True
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
