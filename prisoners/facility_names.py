"""Keeping `Facility.named_publicly` equal to its rule (`models.named_publicly`).

Which facilities a public page may name changes only when a custody period or an incident is
written or a prisoner is (un)published; recomputing it for every facility on every public request
would read every public incident. So it is stored, refreshed in the same transaction as those
writes (the receivers below), and `check()` recomputes all of it, reports and repairs drift
(`manage.py check_facilities`, the nightly check, `migrate`). Writes that bypass signals (an
import, `bulk_create`) call `refresh(ids)` themselves.
"""

import logging

from django.db import connections
from django.db.models import Case, F, When
from django.db.models.signals import post_delete, post_init, post_save

from events.models import Incident

from .models import CustodyPeriod, Facility, Prisoner, named_publicly
from .signals import derived_data_changed

log = logging.getLogger(__name__)

RULE = Case(When(named_publicly(), then=True), default=False)


def refresh(ids):
    ids = {pk for pk in ids if pk is not None}
    if ids:
        Facility.objects.filter(pk__in=ids).update(named_publicly=RULE)


def check(*, repair=True):
    """Facilities whose stored flag disagrees with the rule (repaired unless repair=False)."""
    wrong = list(Facility.objects.annotate(rule=RULE).exclude(named_publicly=F("rule")).values_list("pk", flat=True))
    if wrong:
        log.warning(
            "%s facilities named publicly disagreed with the rule%s (e.g. %s).",
            len(wrong),
            " (repaired)" if repair else "",
            wrong[:10],
        )
        if repair:
            refresh(wrong)
            derived_data_changed.send(sender=Facility)
    return wrong


def fill(using="default", **kwargs):
    """After `migrate`: set the flag on every facility (an upgrade starts with none set)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        columns = {
            column.name for column in connection.introspection.get_table_description(cursor, "prisoners_facility")
        }
    if "named_publicly" in columns:  # not when migrated back to before it
        check()


def _remember(sender, instance, **kwargs):
    # A record moved to another facility changes what both facilities may be named for.
    instance._facility_loaded = instance.__dict__.get("facility_id")


def _record_changed(sender, instance, raw=False, **kwargs):
    loaded = getattr(instance, "_facility_loaded", None)
    instance._facility_loaded = instance.facility_id
    if not raw:
        refresh([instance.facility_id, loaded])


def _prisoner_saved(sender, instance, raw=False, **kwargs):
    # (Un)publishing names (or stops naming) every facility the prisoner's records mention.
    if raw or instance.published == getattr(instance, "_published_loaded", instance.published):
        return
    instance._published_loaded = instance.published
    custody = CustodyPeriod.objects.filter(prisoner=instance).values_list("facility_id", flat=True)
    incidents = Incident.objects.filter(prisoner=instance, facility__isnull=False).values_list("facility_id", flat=True)
    refresh({*custody, *incidents.distinct()})


def _remember_published(sender, instance, **kwargs):
    instance._published_loaded = instance.__dict__.get("published")


def connect():
    for model in (CustodyPeriod, Incident):
        label = model._meta.label
        post_init.connect(_remember, sender=model, dispatch_uid=f"facility-names-init-{label}")
        post_save.connect(_record_changed, sender=model, dispatch_uid=f"facility-names-save-{label}")
        post_delete.connect(_record_changed, sender=model, dispatch_uid=f"facility-names-delete-{label}")
    post_init.connect(_remember_published, sender=Prisoner, dispatch_uid="facility-names-prisoner-init")
    post_save.connect(_prisoner_saved, sender=Prisoner, dispatch_uid="facility-names-prisoner-saved")
