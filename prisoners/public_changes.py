"""Keeping the dates the public sees moved by public changes only.

A date on a public page that moved when nothing on it did would tell a watcher that something
unseen was recorded: an internal note, an internal incident or contact, work on an unpublished
case. So the public dates are stored, and moved here, only by writes that change what the public
sees:

- `Prisoner.public_changed`, the case's last public change (its page's "last updated", the
  sitemap's lastmod, the exports' `last_updated`): its own public fields, (un)publishing it, or a
  record its page shows (name variants, charges, sentences, custody, lawyers, recognitions,
  register IDs, case groups, public sources, public incidents and contacts) added, changed,
  withdrawn or deleted;
- `Incident.public_changed`, the incident's own (its feed entry's <updated>, the feeds' order),
  and `Incident.published_at`, when the public could first see it (<published>): when it was made
  public while its prisoner was published, or its prisoner was published.

A save compares the record's public fields (`PUBLIC_FIELDS`, next to each model) with the stored
row, so a form that saves everything, a history revert or a stale instance are judged by what
really changed. Writes that send no signals (`bulk_create`, an import) call `adding(records)`
before creating, or `touch(prisoner_ids)`. Edits to shared records (a facility's address, a
lawyer's or organisation's name, a source's title or confidentiality) are no change to any one
case and move no case's date.
"""

import threading

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from casetracker.public_record import public_change_seen, watching_public_changes
from casetracker.translated import translation_fields
from events.models import Contact, Incident, Organisation, Source, Visibility

from .models import (
    Charge,
    CustodyPeriod,
    Facility,
    FacilityNameVariant,
    Lawyer,
    NameVariant,
    Prisoner,
    Recognition,
    RegisterEntry,
    Representation,
    Sentence,
    Tag,
)

# Records shown on their prisoner's page (each has a `prisoner`), and the prisoner itself.
PARTS = [Incident, Contact, NameVariant, Charge, Sentence, CustodyPeriod, Representation, Recognition, RegisterEntry]
# Links shown on a page: case groups, organisations, and sources (only public ones).
LINKS = [Prisoner.tags, Prisoner.sources, Incident.sources, Contact.sources, Recognition.organisations]


def touch(prisoner_ids, now=None):
    """What the public sees of these cases changed now (nothing happens to unpublished ones)."""
    ids = {pk for pk in prisoner_ids if pk is not None}
    if ids:
        published = Prisoner._base_manager.filter(pk__in=ids, published=True)
        if watching_public_changes():
            public_change_seen(published.values_list("pk", flat=True))
        published.update(public_changed=now or timezone.now())


def _published(prisoner_id):
    return Prisoner._base_manager.filter(pk=prisoner_id, published=True).exists()


# The dates each model keeps of itself.
OWN_DATES = {Prisoner: ["public_changed"], Incident: ["public_changed", "published_at"]}


def _stored_row(model, instance):
    if instance._state.adding or instance.pk is None:
        return None
    columns = [*model.public_columns(), *OWN_DATES.get(model, [])]
    row = model._base_manager.filter(pk=instance.pk)
    if model in OWN_DATES and transaction.get_connection().in_atomic_block:
        # Held until the commit: a public change committed by another transaction between this read and this save
        # would otherwise have its date written back over (and an export row built before it kept as current).
        row = row.select_for_update()
    return row.values(*columns).first()


def _before_save(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures: stored as given
        return
    stored = _stored_row(sender, instance)
    changed = sender.public_state(stored) != sender.public_state(instance.public_row())
    instance._public_change = (stored, changed)
    if sender not in OWN_DATES:
        return
    now = timezone.now()
    if changed:
        instance.public_changed = now
    elif stored is not None:
        instance.public_changed = stored["public_changed"]  # whatever the instance carried (a revert, a stale copy)
    if sender is Incident:
        if stored is not None:
            instance.published_at = stored["published_at"]  # the first publication stays the first
        if (
            instance.published_at is None
            and instance.visibility == Visibility.PUBLIC
            and _published(instance.prisoner_id)
        ):
            instance.published_at = now


def _after_save(sender, instance, raw=False, update_fields=None, **kwargs):
    stored, changed = getattr(instance, "_public_change", (None, False))
    instance._public_change = (None, False)
    if raw or not changed:
        return
    if update_fields is not None and (unsaved := set(OWN_DATES.get(sender, [])) - set(update_fields)):
        # A save of some fields only (or of a record read with some deferred) left the dates out.
        sender._base_manager.filter(pk=instance.pk).update(**{name: getattr(instance, name) for name in unsaved})
    if sender is Prisoner:
        public_change_seen([instance.pk])
        if instance.published and not (stored and stored["published"]):
            _incidents_shown(instance.pk, instance.public_changed)
        return
    # The prisoner shows the record; a record moved to another prisoner changed both pages.
    touch([instance.prisoner_id, stored and stored["prisoner_id"]], now=getattr(instance, "public_changed", None))


def _incidents_shown(prisoner_id, now):
    """A prisoner published: their public incidents are new to the public (and to the feeds) now."""
    incidents = Incident._base_manager.filter(prisoner_id=prisoner_id, visibility=Visibility.PUBLIC)
    incidents.update(public_changed=now)
    incidents.filter(published_at__isnull=True).update(published_at=now)


_deleting = threading.local()  # prisoners being deleted: their records go with them, no page is left to date


def _deleted(sender, instance, **kwargs):
    if instance.prisoner_id in getattr(_deleting, "ids", set()):
        return
    if sender.public_state(instance.public_row()) is not None:
        touch([instance.prisoner_id])


def _prisoner_deleting(sender, instance, **kwargs):
    _deleting.ids = getattr(_deleting, "ids", set()) | {instance.pk}


def _prisoner_deleted(sender, instance, **kwargs):
    _deleting.ids = getattr(_deleting, "ids", set()) - {instance.pk}


def adding(records):
    """Before `bulk_create` (which sends no signals): date what these new records change in public."""
    shown = [record for record in records if type(record) in PARTS and type(record).public_state(record.public_row())]
    if not shown:
        return
    now = timezone.now()
    published = set(
        Prisoner._base_manager.filter(pk__in={record.prisoner_id for record in shown}, published=True).values_list(
            "pk", flat=True
        )
    )
    for record in shown:
        if isinstance(record, Incident) and record.prisoner_id in published:
            record.public_changed = record.published_at = now
    touch(published, now=now)


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    field = next(link.field for link in LINKS if link.through is sender)
    owner_column, linked_column = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    rows = sender._base_manager
    if reverse:  # e.g. source.incidents.add(…): the instance is the linked record
        linked, owners = {instance.pk}, pk_set
        if owners is None:  # cleared: every link it had
            owners = set(rows.filter(**{linked_column: instance.pk}).values_list(owner_column, flat=True))
    else:
        owners, linked = {instance.pk}, pk_set
        if linked is None:
            linked = set(rows.filter(**{owner_column: instance.pk}).values_list(linked_column, flat=True))
    if field.related_model is Source and not Source.objects.public().filter(pk__in=linked).exists():
        return  # a confidential source is never shown
    owner_model = field.model
    shown = owner_model._base_manager.filter(pk__in=owners)
    if owner_model.PUBLIC_IF and owner_model is not Prisoner:
        shown = shown.filter(**{owner_model.PUBLIC_IF[0]: owner_model.PUBLIC_IF[1]})
    now = timezone.now()
    if owner_model is Prisoner:
        touch(owners, now=now)
        return
    if owner_model is Incident:
        shown.update(public_changed=now)  # its feed entry lists its sources
    touch(shown.values_list("prisoner_id", flat=True), now=now)


# Shared records the public sees, on pages of their own or of published cases: the fields shown, and whether this
# one is shown. Their edits move no case's date, but a researcher's edit of one is held for an editor all the same
# (casetracker.held_changes); only watched saves are judged, so nothing else pays for it.
SHARED = {
    Facility: (
        ["name", "slug", "kind", "city", "region", "country", "postal_address", "latitude", "longitude"],
        lambda pk: Q(pk=pk, named_publicly=True),
    ),
    Source: (
        [
            "title",
            "kind",
            "publisher",
            "url",
            "published",
            "published_precision",
            "written_in",
            *translation_fields("title"),
        ],  # fmt: skip
        lambda pk: Q(pk=pk, confidential=False),
    ),
    Lawyer: (
        ["name"],
        lambda pk: (
            Q(pk=pk)
            & (
                Q(representations__prisoner__published=True)
                | Q(incidents__visibility=Visibility.PUBLIC, incidents__prisoner__published=True)
            )
        ),
    ),
    Organisation: (
        ["name", "url"],
        lambda pk: (
            Q(pk=pk)
            & (
                Q(published_sources__confidential=False)
                | Q(signed_sources__confidential=False)
                | Q(recognitions__prisoner__published=True)
            )
        ),
    ),
    Tag: (["name"], lambda pk: Q(pk=pk, prisoners__published=True)),
}


def _shared_before_save(sender, instance, raw=False, **kwargs):
    if raw or not watching_public_changes() or instance.pk is None:
        return
    fields, shown = SHARED[sender]
    columns = [sender._meta.get_field(name).attname for name in fields]
    stored = sender._base_manager.filter(pk=instance.pk).values(*columns).first()
    if stored is None or all(stored[column] == getattr(instance, column) for column in columns):
        return
    if sender._base_manager.filter(shown(instance.pk)).exists():
        public_change_seen(shared=instance)


def _facility_variant_saved(sender, instance, raw=False, **kwargs):
    """Every name of a facility named publicly is on its public page and finds it in the public search."""
    if raw or not watching_public_changes():
        return
    shown = ("facility_id", "name", "language", "display")
    stored = sender._base_manager.filter(pk=instance.pk).values(*shown).first()
    if stored == {field: getattr(instance, field) for field in shown}:
        return
    facilities = {instance.facility_id, stored and stored["facility_id"]} - {None}
    if Facility._base_manager.filter(pk__in=facilities, named_publicly=True).exists():
        public_change_seen(shared=instance)


def _facility_variant_deleted(sender, instance, **kwargs):
    """A name gone from a facility named publicly is gone from its public page."""
    if (
        watching_public_changes()
        and Facility._base_manager.filter(pk=instance.facility_id, named_publicly=True).exists()
    ):
        public_change_seen(shared=instance)


def _signatories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear") or not watching_public_changes():
        return
    sources = pk_set if reverse else {instance.pk}
    if reverse and pk_set is None:
        sources = set(sender._base_manager.filter(organisation_id=instance.pk).values_list("source_id", flat=True))
    if Source._base_manager.filter(pk__in=sources or (), confidential=False).exists():
        public_change_seen(shared=instance)


def connect():
    for model in [Prisoner, *PARTS]:
        label = model._meta.label
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"public-changes-before-{label}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"public-changes-after-{label}")
    for model in PARTS:
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"public-changes-deleted-{model._meta.label}")
    pre_delete.connect(_prisoner_deleting, sender=Prisoner, dispatch_uid="public-changes-prisoner-deleting")
    post_delete.connect(_prisoner_deleted, sender=Prisoner, dispatch_uid="public-changes-prisoner-deleted")
    for model in SHARED:
        pre_save.connect(_shared_before_save, sender=model, dispatch_uid=f"public-changes-shared-{model._meta.label}")
    pre_save.connect(_facility_variant_saved, sender=FacilityNameVariant, dispatch_uid="public-changes-facility-names")
    pre_delete.connect(
        _facility_variant_deleted, sender=FacilityNameVariant, dispatch_uid="public-changes-facility-names-deleted"
    )
    m2m_changed.connect(
        _signatories_changed, sender=Source.signatories.through, dispatch_uid="public-changes-signatories"
    )
    for link in LINKS:
        through = link.through
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"public-changes-links-{through._meta.label}")
