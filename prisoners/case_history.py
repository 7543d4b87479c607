"""A case's whole history: every change to the prisoner and to everything attached (custody, charges,
sentences, contacts, incidents, names, …), newest first, each with who, when, why and what changed in words.

Read from django-simple-history's tables: per kind of record, the case's latest versions and the version
before each, compared field by field (many-to-many links included) in a fixed number of queries.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from casetracker.dates import ApproximateDate, ApproximateDayField
from casetracker.text import in_words

from .models import Prisoner
from .public_changes import PARTS

ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}  # the template words them in the reader's language
MOST_ENTRIES = 200


@dataclass
class Change:
    field: str
    was: str
    now: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    reason: str
    record: str
    kind: str
    action: str
    changes: list = field(default_factory=list)


def _history_fields(history_model):
    """The recorded fields of a historical model (what the record holds), with their names."""
    skip = {"history_id", "history_date", "history_user", "history_type", "history_change_reason",
            "history_relation", "id"}  # fmt: skip
    return [f for f in history_model._meta.concrete_fields if f.name not in skip and not f.name.endswith("_latest")]


def _m2m_fields(model):
    return getattr(model.history.model, "_history_m2m_fields", [])


def _links(model, versions):
    """history_id -> {field name: set of linked ids}, for the tracked many-to-many fields of these versions."""
    links = {version.history_id: {} for version in versions}
    for m2m in _m2m_fields(model):
        through = HistoricalRecords.m2m_models[m2m]
        column = f"{m2m.m2m_reverse_field_name()}_id"
        for history_id, linked in through.objects.filter(history_id__in=links).values_list("history_id", column):
            links[history_id].setdefault(m2m.name, set()).add(linked)
    return links


class _Related:
    """Related records (a facility, a lawyer, a source …), each kind read once."""

    def __init__(self):
        self.wanted, self.loaded = {}, {}

    def want(self, model, pk):
        if pk is not None:
            self.wanted.setdefault(model, set()).add(pk)

    def load(self):
        for model, ids in self.wanted.items():
            self.loaded[model] = model._base_manager.in_bulk(ids)

    def get(self, model, pk):
        return self.loaded.get(model, {}).get(pk)

    def of(self, model, pk):
        found = self.get(model, pk)
        return str(found) if found is not None else _("#%(id)s (deleted)") % {"id": pk}

    def instance(self, version, model):
        """The version as a record, its relations filled from what was read (naming it costs no query)."""
        # Not `version.instance`, which reads the fields the history leaves out from the live record, one query each.
        fields = model._meta.concrete_fields
        record = model(**{f.attname: getattr(version, f.attname) for f in fields if hasattr(version, f.attname)})
        for field_ in fields:
            if field_.is_relation and getattr(record, field_.attname) is not None:
                # A related record deleted since (a merged duplicate facility) names nothing, never a 500.
                field_.set_cached_value(record, self.get(field_.related_model, getattr(record, field_.attname)))
        return record


def _shown(field_, value, version, names):
    if value in (None, ""):
        return "—"
    if field_.is_relation:
        return names.of(field_.related_model, value)
    if isinstance(field_, ApproximateDayField):
        return str(ApproximateDate(value, getattr(version, field_.precision_field)))
    return in_words(value, field_.flatchoices if field_.choices else ())


def _model_field(model, history_field):
    name = history_field.name
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001  (a field only the history keeps)
        return history_field


def case_history(prisoner, limit=MOST_ENTRIES):
    """The case's latest `limit` changes, newest first (Entry)."""
    kinds = [Prisoner, *PARTS]
    latest = []
    for model in kinds:
        history = model.history.model.objects.filter(
            **({"id": prisoner.pk} if model is Prisoner else {"prisoner_id": prisoner.pk})
        )
        newest = history.select_related("history_user").order_by("-history_date", "-history_id")
        latest += [(model, version) for version in newest[:limit]]
    latest.sort(key=lambda item: (item[1].history_date, item[1].history_id), reverse=True)
    latest = latest[:limit]

    names, pairs = _Related(), []
    names.want(Prisoner, prisoner.pk)
    for model in kinds:
        versions = [version for kind, version in latest if kind is model]
        if not versions:
            continue
        # The version before each: the latest earlier one of the same record.
        earlier = model.history.model.objects.filter(
            id__in={v.id for v in versions}, history_date__lte=max(v.history_date for v in versions)
        ).order_by("id", "history_date", "history_id")
        by_record = {}
        for version in earlier:
            by_record.setdefault(version.id, []).append(version)
        before = {}
        for chain in by_record.values():
            for older, newer in zip(chain, chain[1:], strict=False):
                before[newer.history_id] = older
        links = _links(model, versions + list(before.values()))
        fields = [(f, _model_field(model, f)) for f in _history_fields(model.history.model)]
        for version in versions:
            old = before.get(version.history_id)
            for history_field, model_field in fields:
                if model_field.is_relation:
                    for each in (version, old):
                        if each is not None:
                            names.want(model_field.related_model, getattr(each, history_field.attname))
            for m2m in _m2m_fields(model):
                for each in (version, old):
                    for pk in links.get(getattr(each, "history_id", None), {}).get(m2m.name, ()):
                        names.want(m2m.related_model, pk)
            pairs.append((model, version, old, fields, links))
    names.load()

    entries = []
    for model, version, old, fields, links in pairs:
        changes = []
        for history_field, model_field in fields:
            if history_field.name.endswith("_precision"):
                continue  # shown with its date
            now, was = _value(version, history_field, model_field), _value(old, history_field, model_field)
            if now == was or (old is None and _empty(now)) or version.history_type == "-":
                continue
            changes.append(
                Change(
                    str(model_field.verbose_name),
                    _shown(model_field, was[0] if isinstance(was, tuple) else was, old, names) if old else "—",
                    _shown(model_field, now[0] if isinstance(now, tuple) else now, version, names),
                )
            )
        for m2m in _m2m_fields(model):
            now = links.get(version.history_id, {}).get(m2m.name, set())
            was = links.get(old.history_id, {}).get(m2m.name, set()) if old is not None else set()
            if now != was:
                changes.append(
                    Change(
                        str(m2m.verbose_name),
                        ", ".join(sorted(names.of(m2m.related_model, pk) for pk in was)) or "—",
                        ", ".join(sorted(names.of(m2m.related_model, pk) for pk in now)) or "—",
                    )
                )
        entries.append(
            Entry(
                when=version.history_date,
                who=str(version.history_user) if version.history_user_id else _("a command or import"),
                reason=version.history_change_reason or "",
                record=_named(names.instance(version, model), model),
                kind=str(model._meta.verbose_name),
                action=ACTIONS.get(version.history_type, version.history_type),
                changes=changes,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _named(record, model):
    try:
        return str(record)
    except (AttributeError, TypeError, ValueError):  # a relation its name needs was deleted since
        return f"{model._meta.verbose_name} #{record.pk}"


def _empty(value):
    return value in (None, "") or (isinstance(value, tuple) and value[0] is None)


def _value(version, history_field, model_field):
    """What a version holds in a field; an approximate date with its precision (a precision alone can change)."""
    if version is None:
        return None
    value = getattr(version, history_field.attname)
    if isinstance(model_field, ApproximateDayField):
        return (value, getattr(version, model_field.precision_field))
    return value
