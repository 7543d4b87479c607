from django import template
from django.utils import timezone

from casetracker import text
from casetracker.web_address import web_address as _web_address
from prisoners import search
from publicsite.casefile import public_lapse

register = template.Library()


@register.filter
def lapse(prisoner, party):
    """{{ prisoner|lapse:"lawyer" }}: the public lapse figure (see `public_lapse`)."""
    return public_lapse(prisoner, party)


@register.filter
def days(number):
    """{{ lapse.days|days }}: "1 day", "2,249 days"."""
    return text.days(number)


@register.filter
def machine_time(moment):
    """{{ prisoner.public_changed|machine_time }}: for <time datetime>, to the second ("2024-06-01T12:00:00+00:00").
    ISO 8601 with microseconds, as `date:"c"` writes them, is not a valid HTML date and time."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat() if moment else ""


@register.filter
def matched_spelling(record, query):
    """{{ prisoner|matched_spelling:query }}: the spelling a search found the record by, when not its display name."""
    return search.matched_spelling(record, query) if query else None


@register.filter
def web_address(url):
    """{{ source.url|web_address }}: the stored address if it may be a link, else "" (see `web_address`)."""
    return _web_address(url)
