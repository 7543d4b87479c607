"""Resolve alerts the moment a contact is logged or a prisoner leaves custody."""

from django.dispatch import receiver

from prisoners.clocks import lapse_changed

from .services import resolve_alerts_for


@receiver(lapse_changed, dispatch_uid="alerts-lapse-changed")
def lapse_moved(sender, prisoner_ids, **kwargs):
    resolve_alerts_for(prisoner_ids)
