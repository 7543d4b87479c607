"""Resolve alerts the moment a contact is logged or a prisoner leaves custody."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from events.models import Contact
from prisoners.models import Prisoner

from .services import resolve_alerts_for


@receiver(post_save, sender=Contact, dispatch_uid="alerts-contact-saved")
@receiver(post_delete, sender=Contact, dispatch_uid="alerts-contact-deleted")
def contact_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        resolve_alerts_for([instance.prisoner_id])


@receiver(post_save, sender=Prisoner, dispatch_uid="alerts-prisoner-saved")
def prisoner_changed(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:
        resolve_alerts_for([instance.pk])
