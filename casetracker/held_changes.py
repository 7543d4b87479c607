"""Researchers' edits to what the public sees wait for an editor (the review app's `HeldChange`).

A save in a case admin by someone who may not approve public changes runs as usual inside a
transaction while prisoners.public_changes, the one judge of what the public sees, reports the
published cases it changes. If it changes any, the transaction is rolled back and the submitted form
is kept as a held change instead: nothing the public (or anyone) sees moves until an editor approves
it. Approving replays the same form through the same admin view as its author, so every check runs
again (a record changed since the researcher read it is refused by the stale-edit guard) and the
history names the author, with "approved by <editor>" as the change reason.

The review app sits above the case apps; this shared module reaches its model through the app
registry by name, as the case apps refer to each other's models.
"""

import contextvars
import copy
import hashlib
import uuid

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.messages.storage.base import BaseStorage
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.http import HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .date_entry import ApproximateDateEntry
from .dates import ApproximateDate, Precision
from .public_record import noticing_public_changes
from .stale_edits import VERSION
from .text import in_words

APPROVE_PERMISSION = "review.change_heldchange"
# Form fields that are bookkeeping, not the user's change.
NOT_CHANGES = {VERSION, "id", "DELETE", "save_anyway", "duplicates_seen"}

# Uploaded files (a new photo) are kept in storage under HELD_FILES and named in the form data under FILES; the
# author's rights when the change was held, under RIGHTS.
FILES, HELD_FILES, RIGHTS = "__files__", "held", "__rights__"

_approving = contextvars.ContextVar("approving_held_change", default=None)


def held_change_model():
    return apps.get_model("review", "HeldChange")


def approves_public_changes(user):
    return user.has_perm(APPROVE_PERMISSION)


def shown(field, value):
    """A form value as a person reads it: names, labels and dates, never ids or ISO strings."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        ids = [getattr(item, "pk", item) for item in value]
        return ", ".join(str(item) for item in field.queryset.model._base_manager.filter(pk__in=ids)) or "—"
    if isinstance(field, forms.ModelChoiceField):
        if not hasattr(value, "pk"):
            value = field.queryset.model._base_manager.filter(pk=value).first()
        return str(value) if value is not None else "—"
    if hasattr(value, "name") and isinstance(field, forms.FileField):
        return value.name
    choices = {}
    for key, label in getattr(field, "choices", None) or ():  # grouped choices flattened
        choices.update(dict(label) if isinstance(label, (list, tuple)) else {key: label})
    return in_words(value, choices.items())


def _form_changes(form, record, added):
    changes = []
    for name in form.changed_data:
        if name in NOT_CHANGES or name not in form.fields:
            continue
        field = form.fields[name]
        was = "—" if added else shown(field, form[name].initial)
        now = form.cleaned_data.get(name)
        if isinstance(field, ApproximateDateEntry) and now is not None:  # cleaned to its earliest day: as written
            now = ApproximateDate(now, form.cleaned_data.get(field.precision_field) or Precision.DAY)
        changes.append({"record": record, "field": str(field.label or name), "was": was, "now": shown(field, now)})
    return changes


def form_changes(form, formsets, add):
    """What a submitted admin form and its inline rows change, field by field, in words."""
    changes = _form_changes(form, str(form.instance), add)
    for formset in formsets:
        label = str(formset.model._meta.verbose_name)
        for row in formset.forms:
            if not row.has_changed() or not hasattr(row, "cleaned_data"):
                continue
            if row in formset.deleted_forms:
                changes.append(
                    {
                        "record": f"{label}: {row.instance}",
                        "field": "",
                        "was": pgettext("held change", "on record"),
                        "now": pgettext("held change", "removed"),
                    }
                )
                continue
            added = row.instance in formset.new_objects
            record = f"{label}: {row.instance}"
            changes.extend(_form_changes(row, _("%(record)s (new)") % {"record": record} if added else record, added))
    return changes


def _read_uploads(files):
    uploads = {}
    for key, each in files.lists():
        for upload in each:
            upload.seek(0)
            uploads.setdefault(key, []).append((upload.name, upload.content_type, upload.read()))
            upload.seek(0)
    return uploads


def _keep_files(uploads):
    kept = {}
    for key, each in uploads.items():
        for name, content_type, content in each:
            path = default_storage.save(f"{HELD_FILES}/{uuid.uuid4().hex}/{name}", ContentFile(content))
            kept.setdefault(key, []).append([path, name, content_type])
    return kept


def discard_files(held):
    """A decided held change keeps no copy of what was uploaded with it (an approval stored its own)."""
    for uploads in held.form_data.get(FILES, {}).values():
        for path, _name, _type in uploads:
            default_storage.delete(path)


def _file_names(record):
    return {
        name
        for field in record._meta.concrete_fields
        if isinstance(field, models.FileField) and (name := getattr(record, field.attname).name)
    }


def rights_of(user):
    """A digest of what the user may do: a held form is replayed only by the same rights it was made with (more
    rights would show fields it lacks, and unpublish a case; fewer would drop rows it has)."""
    return hashlib.sha256(" ".join(sorted(user.get_all_permissions())).encode()).hexdigest()[:16]


def _kept_files(kept):
    files = MultiValueDict()
    for key, uploads in kept.items():
        for path, name, content_type in uploads:
            with default_storage.open(path, "rb") as stored:
                files.appendlist(key, SimpleUploadedFile(name, stored.read(), content_type))
    return files


class _Discarded(BaseStorage):
    """Messages of a save that was rolled back or replayed: the user is told what really happened instead."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


class HoldPublicChanges:
    """For CaseAdmin: a save that would change a published case's public page, by someone who may not approve
    public changes, is held for an editor instead of saved."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            self._say_what_is_held(request, object_id)
        if request.method != "POST" or approves_public_changes(request.user) or _approving.get() is not None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        told, held = request._messages, False
        uploads = _read_uploads(request.FILES)  # before the save, which may move a large upload's temporary file
        with transaction.atomic(), noticing_public_changes() as seen:
            request._messages = _Discarded(request)
            response = super().changeform_view(request, object_id, form_url, extra_context)
            saved = getattr(request, "_case_forms", None)  # set only once the form was saved
            if saved is not None and seen:
                form, formsets, add = saved
                changes = form_changes(form, formsets, add)
                record = (
                    _("new %(model)s: %(record)s") % {"model": self.model._meta.verbose_name, "record": form.instance}
                    if add
                    else str(form.instance)
                )
                stored_files = _file_names(form.instance)
                transaction.set_rollback(True)
                held = True
        queued, request._messages = request._messages._queued_messages, told
        if not held:
            for message in queued:  # what the view said stands: it was only put aside
                told.add(message.level, message.message, message.extra_tags)
            return response
        on_record = self.model._base_manager.filter(pk=object_id).first() if not add else None
        # Files the rolled-back save put in storage belong to no record now: nothing may keep them.
        for name in stored_files - (_file_names(on_record) if on_record is not None else set()):
            default_storage.delete(name)
        if on_record is not None:  # named as it is on record (the form's instance carries the held values)
            record = str(on_record)
        return self._hold(request, object_id, record, changes, seen.cases, uploads)

    def _hold(self, request, object_id, record, changes, cases, uploads):
        model = held_change_model()
        with transaction.atomic():
            held = model.objects.create(
                content_type=apps.get_model("contenttypes", "ContentType").objects.get_for_model(self.model),
                object_id=object_id or "",
                record=record[:300],
                author=request.user,
                form_data={
                    **{key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"},
                    FILES: _keep_files(uploads),
                    RIGHTS: rights_of(request.user),
                },
                changes=changes,
            )
            held.cases.set(cases)
        messages.warning(
            request,
            _(
                "Held for an editor's review: this change would alter what the public sees of a published case. "
                "Nothing is changed until an editor approves it (held change %(number)s)."
            )
            % {"number": held.pk},
        )
        opts = self.model._meta
        if object_id:
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def _say_what_is_held(self, request, object_id):
        pending = held_change_model().objects.pending().of_record(self.model, object_id).select_related("author")
        for held in pending:
            messages.info(
                request,
                _(
                    "A change by %(author)s of %(made)s is waiting for an editor's review (held change %(number)s); "
                    "this form shows the record as it is now."
                )
                % {"author": held.author, "made": date_format(held.made_at, "j E Y, H:i"), "number": held.pk},
            )

    def construct_change_message(self, request, form, formsets, add=False):
        request._case_forms = (form, formsets, add)  # what a held change records of itself
        return super().construct_change_message(request, form, formsets, add)


def replay(held, request, editor):
    """Apply a held change: its form submitted again through its admin view, as its author. Returns the errors
    that stopped it (nothing is saved then), or [] when it was saved."""
    model_admin = admin.site._registry[held.model]
    again = copy.copy(request)
    again.method = "POST"
    again._post = QueryDict(mutable=True)
    if held.form_data.get(RIGHTS) != rights_of(held.author):
        return [
            _("%(author)s's permissions changed since this change was held, so it cannot be applied as made.")
            % {"author": held.author}
        ]
    for key, values in held.form_data.items():
        if key not in (FILES, RIGHTS):
            again._post.setlist(key, values)
    again._files = _kept_files(held.form_data.get(FILES, {}))
    again.user = held.author
    again._messages = _Discarded(again)
    again._case_forms = None
    saved_request = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = again  # the history names the author
    token = _approving.set(f"approved by {editor}")
    try:
        response = model_admin.changeform_view(again, held.object_id or None)
    except PermissionDenied:
        return [_("%(author)s may no longer make this change (their permissions changed).") % {"author": held.author}]
    finally:
        _approving.reset(token)
        HistoricalRecords.context.request = saved_request
    if again._case_forms is not None:
        return []
    context = getattr(response, "context_data", None) or {}
    errors = [
        str(error)
        for errors in context.get("errors", [])
        for error in (errors if isinstance(errors, list) else [errors])  # a formset's own errors are strings
    ]
    return errors or [" ".join(str(message) for message in again._messages._queued_messages) or _("It was not saved.")]


def _approval_reason(sender, history_instance, **kwargs):
    reason = _approving.get()
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason


def connect():
    pre_create_historical_record.connect(_approval_reason, dispatch_uid="held-change-approval-reason")
