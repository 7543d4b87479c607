"""Keeping every prisoner's stored lapse start (ContactClock) equal to the lapse rule.

`refresh(ids)` recomputes the clocks of some prisoners from their records in three queries
and stores them; the signal receivers below call it in the same transaction as every write
that can move a lapse (a contact, a denial, the prisoner's own detention or monitoring).
Writes that bypass signals (`queryset.update()`, `bulk_create`, raw SQL, an import) must call
it themselves; `check()` recomputes everything in batches, reports what drifted and repairs
it, so a stored lapse is never trusted blindly (run by `manage.py check_lapses` and, a slice
at a time, by every alert scan).

After a refresh, `lapse_changed` is sent with the prisoners whose clocks changed (and with a
saved prisoner, whose status or thresholds may have changed what the lapse means), so the
alerts can resolve at once what a new contact or a release ended.
"""

import logging
import threading
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_init, post_save, pre_delete
from django.dispatch import Signal

from casetracker.dates import ApproximateDate
from casetracker.iterables import batched
from events.models import Contact, Incident, Party, Visibility

from . import lapse as lapse_rule
from .models import ContactClock, Prisoner

log = logging.getLogger(__name__)

BATCH = 2000
ANY_DENIAL = sorted({kind for kinds in lapse_rule.DENIAL_KINDS.values() for kind in kinds})

lapse_changed = Signal()  # sent with prisoner_ids whose stored lapse changed


def _approx(day, precision):
    return None if day is None else ApproximateDate.of(day, precision)


def _first_per_group(queryset, partition, order):
    """The first row of each group, by a window function (one query, on PostgreSQL and SQLite)."""
    ranked = queryset.annotate(rank=Window(RowNumber(), partition_by=[F(c) for c in partition], order_by=order))
    return ranked.filter(rank=1)


def _last_contacts(ids):
    """(prisoner, party, visibility) -> the contact date with the latest possible day."""
    contacts = _first_per_group(
        Contact.objects.filter(prisoner_id__in=ids),
        ["prisoner_id", "party", "visibility"],
        [F("date_latest").desc(), F("date").desc()],
    )
    return {
        (prisoner, party, visibility): _approx(day, precision)
        for prisoner, party, visibility, day, precision in contacts.values_list(
            "prisoner_id", "party", "visibility", "date", "date_precision"
        )
    }


def _first_denials(ids):
    """(prisoner, kind, visibility) -> the start of the earliest incident of a denial kind."""
    incidents = _first_per_group(
        Incident.objects.filter(prisoner_id__in=ids, kind__in=ANY_DENIAL),
        ["prisoner_id", "kind", "visibility"],
        [F("start").asc(), F("start_latest").asc()],
    )
    return {
        (prisoner, kind, visibility): _approx(day, precision)
        for prisoner, kind, visibility, day, precision in incidents.values_list(
            "prisoner_id", "kind", "visibility", "start", "start_precision"
        )
    }


def _latest(dates):
    dates = [date for date in dates if date is not None]
    return max(dates, key=lambda date: (date.latest, date.earliest), default=None)


def _earliest(dates):
    dates = [date for date in dates if date is not None]
    return min(dates, key=lambda date: (date.earliest, date.latest), default=None)


def compute(ids):
    """The clocks the lapse rule gives these prisoners now (unsaved ContactClock objects)."""
    contacts, denials = _last_contacts(ids), _first_denials(ids)
    visibilities = {False: Visibility.values, True: [Visibility.PUBLIC]}
    clocks = []
    prisoners = Prisoner.objects.filter(pk__in=ids).values_list(
        "pk", "monitored", "detained", "detained_precision", "monitored_from", "monitored_from_precision"
    )
    for pk, monitored, detained, detained_precision, monitored_from, monitored_from_precision in prisoners:
        clock = ContactClock(prisoner_id=pk)
        for public, seen in visibilities.items():
            for party in Party.values:
                since = lapse_rule.since(
                    monitored=monitored,
                    detained=_approx(detained, detained_precision),
                    monitored_from=_approx(monitored_from, monitored_from_precision),
                    last_contact=_latest(contacts.get((pk, party, v)) for v in seen),
                    first_denial=_earliest(
                        denials.get((pk, kind, v)) for kind in lapse_rule.DENIAL_KINDS[party] for v in seen
                    ),
                )
                _set(clock, party, public, since)
        clocks.append(clock)
    return clocks


def _set(clock, party, public, since):
    column = lapse_rule.clock_field
    date = since.date
    setattr(clock, column(party, "basis", public=public), since.basis)
    setattr(clock, column(party, "since", public=public), date and date.earliest)
    setattr(clock, column(party, "since_precision", public=public), date.precision if date else "")
    setattr(clock, column(party, "since_latest", public=public), date and date.latest)


STORED = [f.attname for f in ContactClock._meta.concrete_fields if f.attname != "prisoner_id"]


def _values(clock):
    return tuple(getattr(clock, name) for name in STORED)


def store(clocks):
    ContactClock.objects.bulk_create(
        clocks, update_conflicts=True, unique_fields=["prisoner"], update_fields=STORED, batch_size=BATCH
    )


def refresh(ids):
    """Recompute and store these prisoners' clocks; tell the alerts which changed."""
    ids = sorted({pk for pk in ids if pk is not None})
    if not ids:
        return []
    stored = {clock.prisoner_id: _values(clock) for clock in ContactClock.objects.filter(prisoner_id__in=ids)}
    clocks = compute(ids)
    changed = [clock for clock in clocks if stored.get(clock.prisoner_id) != _values(clock)]
    if changed:
        store(changed)
        lapse_changed.send(sender=ContactClock, prisoner_ids=[clock.prisoner_id for clock in changed])
    return changed


@dataclass
class CheckResult:
    checked: int = 0
    missing: list = field(default_factory=list)  # prisoner ids without a clock
    drifted: list = field(default_factory=list)  # prisoner ids whose clock disagreed with the rule

    def __str__(self):
        found = len(self.missing) + len(self.drifted)
        if not found:
            return f"{self.checked} stored lapses checked: all agree with the rule."
        return (
            f"{self.checked} stored lapses checked: {len(self.missing)} missing, {len(self.drifted)} drifted "
            f"(e.g. prisoners {', '.join(map(str, (self.missing + self.drifted)[:10]))})."
        )


def check(*, repair=True, ids=None):
    """Recompute the clocks of every prisoner (or of `ids`) in batches; report and repair drift."""
    result = CheckResult()
    all_ids = Prisoner.objects.order_by("pk").values_list("pk", flat=True)
    if ids is not None:
        all_ids = all_ids.filter(pk__in=ids)
    for batch in batched(all_ids.iterator(chunk_size=BATCH), BATCH):
        _check_batch(batch, result, repair)
    if result.missing or result.drifted:
        log.warning("Stored contact lapses disagreed with the rule%s: %s", " (repaired)" if repair else "", result)
    return result


def _check_batch(ids, result, repair):
    stored = {clock.prisoner_id: _values(clock) for clock in ContactClock.objects.filter(prisoner_id__in=ids)}
    wrong = []
    for clock in compute(ids):
        if clock.prisoner_id not in stored:
            result.missing.append(clock.prisoner_id)
            wrong.append(clock)
        elif stored[clock.prisoner_id] != _values(clock):
            result.drifted.append(clock.prisoner_id)
            wrong.append(clock)
    result.checked += len(ids)
    if repair and wrong:
        store(wrong)
        lapse_changed.send(sender=ContactClock, prisoner_ids=[clock.prisoner_id for clock in wrong])


def fill_missing(using="default", **kwargs):
    """After `migrate`: prisoners stored before clocks existed (an upgrade) get theirs."""
    if ContactClock._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the clocks
    check(ids=Prisoner.objects.using(using).filter(clock__isnull=True).values("pk"))


# Keeping clocks current on every write that can move a lapse.

_deleting = threading.local()  # prisoners whose deletion is under way: their records go with them


def _moves_a_lapse(instance, loaded):
    """A contact always may; an incident only when it is (or was) a denial of contact."""
    return isinstance(instance, Contact) or instance.kind in ANY_DENIAL or loaded[1] in ANY_DENIAL


def _remember(sender, instance, **kwargs):
    # A record moved to another prisoner, or no longer a denial, changes what it counted for.
    instance._clock_loaded = (instance.__dict__.get("prisoner_id"), instance.__dict__.get("kind"))


def _record_changed(sender, instance, raw=False, **kwargs):
    loaded = getattr(instance, "_clock_loaded", (None, None))
    instance._clock_loaded = (instance.prisoner_id, getattr(instance, "kind", None))
    if raw or not _moves_a_lapse(instance, loaded):
        return
    gone = getattr(_deleting, "ids", set())
    refresh([pk for pk in (instance.prisoner_id, loaded[0]) if pk not in gone])


def _prisoner_saved(sender, instance, raw=False, **kwargs):
    if not raw and not refresh([instance.pk]):
        # Status and thresholds are not stored in the clock but decide whether a lapse is overdue.
        lapse_changed.send(sender=ContactClock, prisoner_ids=[instance.pk])


def _prisoner_deleting(sender, instance, **kwargs):
    # Sent before the cascade deletes their contacts: those deletions must not re-create a clock.
    _deleting.ids = getattr(_deleting, "ids", set()) | {instance.pk}


def _prisoner_deleted(sender, instance, **kwargs):
    _deleting.ids = getattr(_deleting, "ids", set()) - {instance.pk}


def connect():
    for model in (Contact, Incident):
        label = model._meta.label
        post_init.connect(_remember, sender=model, dispatch_uid=f"clock-init-{label}")
        post_save.connect(_record_changed, sender=model, dispatch_uid=f"clock-save-{label}")
        post_delete.connect(_record_changed, sender=model, dispatch_uid=f"clock-delete-{label}")
    post_save.connect(_prisoner_saved, sender=Prisoner, dispatch_uid="clock-prisoner-saved")
    pre_delete.connect(_prisoner_deleting, sender=Prisoner, dispatch_uid="clock-prisoner-deleting")
    post_delete.connect(_prisoner_deleted, sender=Prisoner, dispatch_uid="clock-prisoner-deleted")
