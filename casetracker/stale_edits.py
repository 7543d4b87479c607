"""No lost updates in the admin: every case form (and every inline row) carries the version of the
record it was read at; a save over a record someone else changed in between is refused, naming
who changed what, with everything the user typed kept on the form.

The version is a digest of the record's stored values (and its many-to-many links, for the main
form) plus when the form was read; no column is needed, and any change counts, whoever made it.
"""

import hashlib
import json
from functools import cached_property

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext as _

VERSION = "record_version"


def _digest(instance, links):
    """What the record holds: its concrete fields, and (`links`) the ids of its many-to-many links."""
    values = {field.attname: field.value_to_string(instance) for field in instance._meta.concrete_fields}
    if links:
        for field in instance._meta.many_to_many:
            values[field.name] = sorted(str(pk) for pk in getattr(instance, field.name).values_list("pk", flat=True))
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


def version_of(instance, links=False, read_at=None):
    return f"{_digest(instance, links)}@{(read_at or timezone.now()).isoformat()}"


def _stored(instance):
    return type(instance)._base_manager.filter(pk=instance.pk).first()


def _changes_since(stored, moment):
    """Who changed the record after `moment` and which fields, from its history."""
    history = getattr(stored, "history", None)
    if history is None or moment is None:
        return [], []
    since = list(history.filter(history_date__gt=moment).order_by("history_date"))
    before = history.filter(history_date__lte=moment).order_by("history_date").last()
    who = sorted({str(record.history_user) for record in since if record.history_user})
    fields = []
    if since and before is not None:
        fields = [stored._meta.get_field(name).verbose_name for name in since[-1].diff_against(before).changed_fields]
    return who, fields


class StaleEditGuardForm(forms.ModelForm):
    record_version = forms.CharField(required=False, widget=forms.HiddenInput)
    guards_links = True  # the main form's digest includes many-to-many links; inline rows' need no extra queries
    guarded = True  # off for a history revert, whose form holds an old version on purpose

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Also when bound: an unchanged row then compares equal and is not saved again.
            self.initial[VERSION] = version_of(self.instance, self.guards_links)

    def clean(self):
        cleaned_data = super().clean()
        seen = self.data.get(self.add_prefix(VERSION)) or ""
        if not self.guarded or self.instance.pk is None or "@" not in seen:
            return cleaned_data  # a new record, or a form from before versions: nothing to compare
        digest, _at, read_at = seen.partition("@")
        stored = _stored(self.instance)
        if stored is None:
            raise ValidationError(_("Someone deleted this record while you were editing it."), code="deleted")
        if _digest(stored, self.guards_links) != digest:
            # The next save, after the user has looked, goes through: the form now carries the new version.
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION)] = version_of(stored, self.guards_links)
            raise ValidationError(self._conflict(stored, parse_datetime(read_at)), code="stale")
        return cleaned_data

    @cached_property
    def changed_data(self):
        # The version is read anew with every form: it is no change of the user's (nor of the history's).
        return [name for name in super().changed_data if name != VERSION]

    def _conflict(self, stored, read_at):
        who, fields = _changes_since(stored, read_at)
        # Who changed it, which fields, and when you opened it, as far as the history tells: one sentence each way.
        changed = {
            (True, True, True): _("“{record}” was changed by {who} ({fields}) after you opened it at {time}."),
            (True, True, False): _("“{record}” was changed by {who} ({fields})."),
            (True, False, True): _("“{record}” was changed by {who} after you opened it at {time}."),
            (True, False, False): _("“{record}” was changed by {who}."),
            (False, True, True): _("“{record}” was changed ({fields}) after you opened it at {time}."),
            (False, True, False): _("“{record}” was changed ({fields})."),
            (False, False, True): _("“{record}” was changed after you opened it at {time}."),
            (False, False, False): _("“{record}” was changed."),
        }[bool(who), bool(fields), bool(read_at)]
        nothing_saved = _(
            "Nothing was saved: your changes are still on this form. "
            "Compare them with the record (open it in another tab), then save again to keep yours."
        )
        return format_html(
            f"{changed} {nothing_saved}",
            record=stored,
            who=", ".join(who),
            fields=", ".join(str(field) for field in fields),
            time=f"{timezone.localtime(read_at):%H:%M}" if read_at else "",
        )


class StaleEditGuardInlineForm(StaleEditGuardForm):
    guards_links = False


def with_version_field(fieldsets):
    """The fieldsets with the hidden version added to the first (the admin renders only what they list)."""
    if not fieldsets or VERSION in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], VERSION]}), *rest]
