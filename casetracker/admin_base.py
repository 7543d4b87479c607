"""Admin behaviour shared by every case-data model: history, publishing rights, search, duplicate checks,
and lists that stay fast on tables of millions of rows."""

import copy
import json
import operator
from functools import cached_property, reduce

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten
from django.contrib.admin.views.main import ORDER_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

from casetracker.date_entry import ApproximateDateAdmin, ApproximateDateForm
from casetracker.held_changes import HoldPublicChanges
from casetracker.names import clean_query
from casetracker.stale_edits import StaleEditGuardForm, StaleEditGuardInlineForm, with_version_field
from casetracker.text import fold, in_words


def version_m2m(version):
    """A historical version's many-to-many values (the fields its history tracks): name -> ids."""
    return {
        field.name: list(getattr(version, field.name).values_list(f"{field.m2m_reverse_field_name()}_id", flat=True))
        for field in getattr(version, "_history_m2m_fields", [])
    }


class ReadableHistory(HistoricalRecordContextHelper):
    """A record's History page in words: dates as people read them, choices by their labels, related records by
    name, and long texts whole (django-simple-history cuts values at 100 characters and shows raw values)."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many or value in (None, ""):
            return super().prepare_delta_change_value(change, value) if value not in (None, "") else "—"
        if field.is_relation:
            related = field.related_model._base_manager.filter(pk=value).first()
            return str(related) if related is not None else _("#%(id)s (deleted)") % {"id": value}
        return in_words(value, field.flatchoices if field.choices else ())

    def get_obj_diff_display(self):
        return ObjDiffDisplay(max_length=1_000_000)  # whole values: a cut text hides the change


class RevertForm:
    """The history form starts from the version's many-to-many values: django-simple-history builds it on the
    version as a model instance, whose many-to-many managers read today's values, so a revert kept them."""

    version_m2m = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, ids in self.version_m2m.items():
            if name in self.fields:
                self.initial[name] = ids


class NoSilentTruncation:
    """No `maxlength` on text inputs: a browser cuts a pasted text at it without a word (a 10,000-character
    name became 200), while the form's own check says what is too long and keeps what was typed."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.pop("maxlength", None)
        return field


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


class NameSearchMixin:
    """Admin search by any spelling of a name: any script or transliteration, any word order, small typos.

    In `search_fields`, "name" on a record searchable by name (a prisoner, facility or lawyer: its manager has
    `name_matches`) stands for all its names, searched through the name index, best match first; a relation to such
    a record ("prisoner", "facility", "lawyer") finds records by that record's names, resolved to ids through the
    index first, never by a LIKE over millions of incidents. Other entries work as Django's own (register IDs, charge
    labels); `folded_search_fields` (small tables only) contain the folded term. The term is cleaned first: no NUL
    byte reaches the database, and it is cut at MAX_QUERY_LENGTH characters.
    """

    folded_search_fields = ()

    def _named_by(self, field):
        """The record searchable by name that a `search_fields` entry stands for, or None."""
        if field == "name":
            model = self.model
        else:
            try:
                model = self.model._meta.get_field(field).related_model
            except FieldDoesNotExist:
                return None
        return model if model is not None and hasattr(model._default_manager, "name_matches") else None

    def _django_search(self, request, queryset, term, fields):
        # Django's own search reads the admin's search fields: give it a copy that lists only these.
        plain = copy.copy(self)
        plain.search_fields = fields
        return super(NameSearchMixin, plain).get_search_results(request, queryset, term)

    def get_search_results(self, request, queryset, search_term):
        term = clean_query(search_term)
        fields = self.get_search_fields(request)
        named = {field: model for field in fields if (model := self._named_by(field)) is not None}
        if not term or not (named or self.folded_search_fields):
            return super().get_search_results(request, queryset, term)
        conditions = []
        if plain := [field for field in fields if field not in named]:
            found, _ = self._django_search(request, queryset, term, plain)
            conditions.append(Q(pk__in=found.values("pk")))
        if folded := fold(term):
            conditions += [Q(**{f"{field}__contains": folded}) for field in self.folded_search_fields]
        for field, model in named.items():
            if field != "name":
                # Ids, not a subquery: an OR of id lists over several columns is one bitmap scan of their indexes,
                # where subqueries would make the database read every row of a table of millions.
                ids = list(model._default_manager.name_matches(term).values_list("pk", flat=True)[:MAX_NAMED])
                conditions.append(Q(**{f"{field}__in": ids}))
        also = reduce(operator.or_, conditions) if conditions else None
        if "name" in named:
            found = queryset.search(term, also=also)
            # A column the user sorted by keeps its order (the changelist orders before it searches).
            return (found.order_by(*queryset.query.order_by) if request.GET.get(ORDER_VAR) else found), False
        return (queryset.filter(also) if also is not None else queryset.none()), False


# The most records a name search in a list of related rows (incidents of prisoners named …) looks for.
MAX_NAMED = 1000

# The most name-variant rows a duplicate check reads from an add form (Django's own limit on a formset's forms).
MAX_VARIANT_FORMS = 1000


class DuplicateCheckForm:
    """An add form that refuses, once, to create a record whose names match or nearly match records on file: it
    lists them with links, and saves only when "save anyway" is ticked for exactly the records it listed."""

    name_variants_prefix = None  # the inline formset holding the new record's name variants, if any

    def clean(self):
        cleaned_data = super().clean()
        names = [cleaned_data.get("name") or "", *self._variant_names()]
        candidates = self._meta.model._default_manager.duplicate_candidates(names)
        listed = {str(candidate.record.pk) for candidate in candidates}
        seen = set((cleaned_data.get("duplicates_seen") or "").split(","))
        if candidates and not (cleaned_data.get("save_anyway") and listed <= seen):
            # The re-rendered form carries the list it showed, unticked: a tick counts for these records only.
            self.data = self.data.copy()
            self.data[self.add_prefix("duplicates_seen")] = ",".join(sorted(listed))
            self.data.pop(self.add_prefix("save_anyway"), None)
            raise ValidationError(self._possible_duplicates(candidates), code="possible_duplicate")
        return cleaned_data

    def _variant_names(self):
        """The names typed into the same submission's name-variant rows (not deleted)."""
        prefix = self.name_variants_prefix
        try:
            total = min(int(self.data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_VARIANT_FORMS) if prefix else 0
        except ValueError:
            return []
        rows = (f"{prefix}-{i}-" for i in range(total))
        return [self.data.get(f"{row}name", "") for row in rows if not self.data.get(f"{row}DELETE")]

    def _possible_duplicates(self, candidates):
        opts = self._meta.model._meta
        items = format_html_join(
            "",
            '<li><a href="{}" target="_blank" rel="noopener">{}</a>{}</li>',
            (
                (
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[candidate.record.pk]),
                    candidate.record,
                    " " + _("(matched: %(name)s)") % {"name": candidate.matched}
                    if candidate.matched != candidate.record.name
                    else "",
                )
                for candidate in candidates
            ),
        )
        tick = self["save_anyway"]
        return format_html(
            "{}<ul>{}</ul>{} {}{}",
            format_html(
                _("This {kind} may already be on file. Check these before adding a second record:"),
                kind=opts.verbose_name,
            ),
            items,
            tick.as_widget(),
            tick.label_tag(),
            self["duplicates_seen"].as_widget(),
        )


class DuplicateCheckMixin:
    """The add form checks the new record's names (and those in the `name_variants_prefix` inline) for records
    already on file (DuplicateCheckForm): a researcher never silently creates a second copy of a person."""

    name_variants_prefix = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Only the form that is submitted: Django also builds forms just to read their field names.
        if obj is None and kwargs.get("fields") is not None:
            kwargs["form"] = type(
                self.form.__name__,
                (DuplicateCheckForm, self.form),
                {
                    "name_variants_prefix": self.name_variants_prefix,
                    "save_anyway": forms.BooleanField(
                        required=False, label=gettext_lazy("Save anyway: the new record is none of these")
                    ),
                    "duplicates_seen": forms.CharField(required=False, widget=forms.HiddenInput),
                },
            )
        return super().get_form(request, obj, change=change, **kwargs)


class LargeTablePaginator(Paginator):
    """Counts exactly up to EXACT_UP_TO rows and estimates beyond (PostgreSQL's planner), so a
    list of 5 million incidents never counts them all; pages stop at MAX_PAGES, because an
    OFFSET that deep costs a scan of everything before it: past that, narrow the list down."""

    EXACT_UP_TO = 10_000
    MAX_PAGES = 200

    @cached_property
    def count(self):
        exact = self.object_list.order_by()[: self.EXACT_UP_TO + 1].count()
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


def _one_history_row(obj, mark, user):
    """django-simple-history writes a row for a save and one more per many-to-many change (an incident's sources: a
    remove and an add). One save is one change: keep the last of `user`'s rows after `mark` (it holds the whole
    result), as an addition if the first was one. Another writer's row in between is theirs and stays."""
    rows = list(obj.history.filter(history_id__gt=mark, history_user=user).order_by("history_id"))
    if len(rows) < 2:
        return
    first, last = rows[0], rows[-1]
    last.history_type = first.history_type
    last.history_change_reason = last.history_change_reason or first.history_change_reason
    last.save(update_fields=["history_type", "history_change_reason"])
    obj.history.filter(history_id__in=[row.history_id for row in rows[:-1]]).delete()


class CaseForm(ApproximateDateForm, StaleEditGuardForm):
    pass


class PreloadedAutocomplete:
    """An autocomplete in an inline row that names the row's own related records (read with the rows, by
    CaseInline's select_related and prefetch) instead of querying them again: no query per row and field."""

    known = None  # str(pk) -> label, set by CaseInlineForm

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.known is None or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)  # something chosen on this submission: look it up
        options = (
            [] if self.is_required or self.allow_multiple_selected else [self.create_option(name, "", "", False, 0)]
        )
        for pk in sorted(selected, key=list(self.known).index):
            options.append(self.create_option(name, pk, self.known[pk], selected, len(options)))
        return [(None, options, 0)]


class PreloadedAutocompleteSelect(PreloadedAutocomplete, AutocompleteSelect):
    pass


class PreloadedAutocompleteSelectMultiple(PreloadedAutocomplete, AutocompleteSelectMultiple):
    pass


class CaseInlineForm(ApproximateDateForm, StaleEditGuardInlineForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's "+" wrapper
            if isinstance(widget, PreloadedAutocomplete):
                related = self.instance._meta.get_field(name)
                if related.many_to_many:
                    records = list(getattr(self.instance, name).all())
                else:
                    records = [getattr(self.instance, name)] if getattr(self.instance, related.attname) else []
                widget.known = {str(record.pk): field.label_from_instance(record) for record in records}


class CaseAdmin(
    HoldPublicChanges, ApproximateDateAdmin, NoSilentTruncation, PublishGuardMixin, NameSearchMixin, SimpleHistoryAdmin
):
    """Base admin for case data: history with diffs; revert only with the history change right; a save over
    someone else's change is refused (casetracker.stale_edits); a researcher's change to what the public sees is
    held for an editor (casetracker.held_changes)."""

    form = CaseForm
    publish_values = None  # (public value, internal value) of `publish_field`, for the bulk actions
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    paginator = LargeTablePaginator
    show_full_result_count = False  # "N results (M total)" would count the whole table

    def get_fieldsets(self, request, obj=None):
        return with_version_field(super().get_fieldsets(request, obj))

    def save_form(self, request, form, change):
        # Where each history table ends before this save: the rows after it are this save's (_one_history_row).
        inlines = self.get_inline_instances(request, form.instance if change else None)
        models = {self.model, *(inline.model for inline in inlines)}
        request.history_marks = {
            model: model.history.aggregate(last=Max("history_id"))["last"] or 0
            for model in models
            if getattr(model.history.model, "_history_m2m_fields", None)
        }
        return super().save_form(request, form, change)

    def save_model(self, request, obj, form, change):
        # Nothing typed differs: no save, so no empty "Changed" row in the history (inlines save apart). A revert's
        # form holds the old version as typed, so it always saves.
        if change and not form.has_changed() and getattr(request, "reverting_to", None) is None:
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        saved = [form.instance]
        for formset in formsets:
            saved += [*formset.new_objects, *(obj for obj, _ in formset.changed_objects)]
        marks = getattr(request, "history_marks", {})
        for obj in saved:
            if type(obj) in marks:
                _one_history_row(obj, marks[type(obj)], request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        reverting_to = getattr(request, "reverting_to", None)
        if reverting_to is not None:
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(base.__name__, (RevertForm, base), {"guarded": False, "version_m2m": reverting_to})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The form shows an old version on purpose (no stale-edit check), its many-to-many values included.
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        version = get_object_or_404(history, **{self.model._meta.pk.attname: object_id, "history_id": version_id})
        request.reverting_to = version_m2m(version)
        # django-simple-history hides the revert button but would still accept the POST.
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if not self.has_change_history_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_list_display(self, request):
        return [*super().get_list_display(request), "created_column", "changed_column"]

    def get_changelist_instance(self, request):
        # Who made and last changed each row of the page, from its history: one query for the page.
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        versions = self.model.history.model.objects.filter(id__in=[row.pk for row in rows])
        made, changed = {}, {}
        for pk, *when_by in versions.order_by("history_date", "history_id").values_list(
            "id", "history_date", "history_user__username"
        ):
            made.setdefault(pk, when_by)
            changed[pk] = when_by
        for row in rows:
            row.created_at, row.created_by = made.get(row.pk, (None, None))
            row.changed_at, row.changed_by = changed.get(row.pk, (None, None))
        return changelist

    @staticmethod
    def _when_by(when, by):
        if when is None:
            return "—"
        return f"{date_format(timezone.localtime(when), 'j M Y, H:i')}, {by or _('a command or import')}"

    @admin.display(description=gettext_lazy("created"))
    def created_column(self, obj):
        return self._when_by(getattr(obj, "created_at", None), getattr(obj, "created_by", None))

    @admin.display(description=gettext_lazy("last changed"))
    def changed_column(self, obj):
        return self._when_by(getattr(obj, "changed_at", None), getattr(obj, "changed_by", None))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not (self.publish_values and self.publish_field and self.can_publish(request)):
            actions.pop("make_public", None)
            actions.pop("make_internal", None)
        return actions

    def _set_publish_field(self, request, queryset, value, verb, done_message):
        # One save per record, so every change is in the history with its author (the reason in English: stored).
        done = 0
        for obj in queryset:
            setattr(obj, self.publish_field, value)
            obj._change_reason = f"{verb} from the list"
            try:
                obj.save()
            except ValidationError as refused:  # a record the model will not save so (a prisoner's slug)
                self.message_user(
                    request,
                    _("Not changed: %(record)s. %(reasons)s") % {"record": obj, "reasons": " ".join(refused.messages)},
                    messages.ERROR,
                )
            else:
                done += 1
        self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Make selected public"))
    def make_public(self, request, queryset):
        self._set_publish_field(request, queryset, self.publish_values[0], "Made public", _("Made public: %(count)s"))

    @admin.action(description=gettext_lazy("Make selected internal"))
    def make_internal(self, request, queryset):
        self._set_publish_field(
            request, queryset, self.publish_values[1], "Made internal", _("Made internal: %(count)s")
        )

    actions = ["make_public", "make_internal"]


class CaseInline(ApproximateDateAdmin, NoSilentTruncation, PublishGuardMixin, admin.TabularInline):
    form = CaseInlineForm
    extra = 0
    show_change_link = True
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(getattr(field, "widget", None), "widget", None)
        for plain, preloaded in (
            (AutocompleteSelectMultiple, PreloadedAutocompleteSelectMultiple),
            (AutocompleteSelect, PreloadedAutocompleteSelect),
        ):
            if type(widget) is plain:
                widget.__class__ = preloaded
        return field

    def get_fieldsets(self, request, obj=None):
        return with_version_field(super().get_fieldsets(request, obj))

    def get_queryset(self, request):
        # Each row names its prisoner, facility or lawyer: fetch them with the rows, not one by one.
        related = [field.name for field in self.model._meta.concrete_fields if field.is_relation]
        # And the many-to-many links a row shows (an incident's sources), all rows at once.
        links = [field.name for field in self.model._meta.many_to_many if field.name in flatten(self.fields or ())]
        return super().get_queryset(request).select_related(*related).prefetch_related(*links)
