from django import template

from review.models import HeldChange

register = template.Library()


@register.inclusion_tag("review/waiting.html", takes_context=True)
def held_changes_waiting(context):
    """The admin index: how many held changes wait for the editor reading it (and for a researcher, their own)."""
    user = context["request"].user
    if not user.has_perm("review.view_heldchange"):
        return {"visible": False}
    waiting = HeldChange.objects.pending().visible_to(user)
    return {"visible": True, "waiting": waiting.count(), "decides": user.has_perm("review.change_heldchange")}
