from django import template

from alerts.models import Alert, Delivery
from alerts.services import alert_staff_without_email
from events.models import Party
from prisoners.models import Prisoner

register = template.Library()


@register.inclusion_tag("alerts/cut_off_now.html", takes_context=True)
def cut_off_now(context):
    """The admin index summary: who is cut off right now (all records), and alert health."""
    user = context["request"].user
    if not user.has_perm("prisoners.view_prisoner"):
        return {"visible": False}
    cut_off = list(Prisoner.objects.overdue())
    return {
        "visible": True,
        "parties": [(party, [p for p in cut_off if p.lapse(party).overdue]) for party in Party.values],
        "can_see_alerts": user.has_perm("alerts.view_alert"),
        "open_alerts": Alert.objects.open().count(),
        "acknowledged_alerts": Alert.objects.acknowledged().count(),
        "staff_without_email": list(alert_staff_without_email()),
        "failing_deliveries": Delivery.objects.pending().filter(attempts__gt=0).count(),
    }
