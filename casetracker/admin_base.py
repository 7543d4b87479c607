"""Admin behaviour shared by every case-data model: history, publishing rights, search, and
lists that stay fast on tables of millions of rows."""

import json
from functools import cached_property

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections, models
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


class LargeTablePaginator(Paginator):
    """Counts exactly up to EXACT_UP_TO rows and estimates beyond (PostgreSQL's planner), so a
    list of 5 million incidents never counts them all; pages stop at MAX_PAGES, because an
    OFFSET that deep costs a scan of everything before it: past that, narrow the list down."""

    EXACT_UP_TO = 10_000
    MAX_PAGES = 200

    @cached_property
    def count(self):
        exact = self.object_list[: self.EXACT_UP_TO + 1].count()
        if exact <= self.EXACT_UP_TO:
            return exact
        return max(self.EXACT_UP_TO + 1, self._estimate())

    def _estimate(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return queryset.count()  # the embedded database holds small registers
        sql, params = queryset.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])

    @property
    def num_pages(self):
        return min(super().num_pages, self.MAX_PAGES)


# A URL typed without a scheme is read as https (Django 6's default).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}


class CaseAdmin(PublishGuardMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    """Base admin for case data: history with diffs; revert only with the history change right."""

    publish_values = None  # (public value, internal value) of `publish_field`, for the bulk actions
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    paginator = LargeTablePaginator
    show_full_result_count = False  # "N results (M total)" would count the whole table

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

    def get_queryset(self, request):
        # Each row names its prisoner, facility or lawyer: fetch them with the rows, not one by one.
        related = [field.name for field in self.model._meta.concrete_fields if field.is_relation]
        return super().get_queryset(request).select_related(*related)
