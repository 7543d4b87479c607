from django import template

from publicsite.casefile import public_lapse

register = template.Library()


@register.filter
def lapse(prisoner, party):
    """{{ prisoner|lapse:"lawyer" }}: the public lapse figure (see `public_lapse`)."""
    return public_lapse(prisoner, party)
