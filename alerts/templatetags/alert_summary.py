from django import template

from alerts import health
from alerts.models import Alert, Delivery
from alerts.services import unreachable_staff
from events.models import Party
from prisoners import lapse as lapse_rule
from prisoners.models import Prisoner

register = template.Library()

LONGEST = 10  # named on the index page; the filtered list holds the rest


@register.inclusion_tag("alerts/cut_off_now.html", takes_context=True)
def cut_off_now(context):
    """The admin index summary: how many are cut off right now (all records), the longest
    cut off by name, and alert health. Counts and a top ten: cheap at any register size."""
    user = context["request"].user
    if not user.has_perm("prisoners.view_prisoner"):
        return {"visible": False}
    parties = []
    for party in Party.values:
        overdue = Prisoner.objects.overdue(party)
        longest = overdue.order_by(lapse_rule.longest_first(party), "name", "pk")[:LONGEST]
        parties.append((party, overdue.count(), [(prisoner, prisoner.lapse(party)) for prisoner in longest]))
    return {
        "visible": True,
        "parties": parties,
        "can_see_alerts": user.has_perm("alerts.view_alert"),
        "open_alerts": Alert.objects.open().count(),
        "acknowledged_alerts": Alert.objects.acknowledged().count(),
        "unreachable_staff": list(unreachable_staff()),
        "failing_deliveries": Delivery.objects.by_mail().pending().filter(attempts__gt=0).count(),
        "machinery_problems": health.problems(),
    }
