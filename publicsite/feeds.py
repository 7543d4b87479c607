"""Atom feeds of public incidents: site-wide and per case."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prisoners.models import Prisoner

from .casefile import public_incidents

FEED_LENGTH = 50
NEVER = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)  # dates a feed with nothing public at all


class DatedAtomFeed(Atom1Feed):
    """A feed without entries is dated by the last public change it stands for (`empty_since`), not by the
    clock as Django's is: a date moving while nothing public does would tell a watcher nothing, or worse."""

    def latest_post_date(self):
        if not self.items:
            return self.feed["empty_since"]
        return super().latest_post_date()


class IncidentFeed(Feed):
    """New and changed public incidents, most recently changed first: changed in what the public sees
    (`public_changed`, which no internal edit moves; it also dates the feed and its Last-Modified)."""

    feed_type = DatedAtomFeed
    title = gettext_lazy("Casetracker: new incidents")
    subtitle = gettext_lazy("Dated incidents in the cases of political prisoners, as they are published.")
    author_name = "Casetracker"
    description_template = "publicsite/feed_incident.html"

    def link(self):
        return reverse("publicsite:home")

    def feed_extra_kwargs(self, obj):
        return {"empty_since": obj.public_changed if obj is not None else NEVER}

    def items(self):
        return public_incidents().order_by("-public_changed", "-pk")[:FEED_LENGTH]

    def item_title(self, incident):
        prisoner = incident.prisoner
        values = {"name": prisoner.display_name, "kind": incident.get_kind_display(), "date": incident.date_range}
        return _("%(name)s: %(kind)s, %(date)s") % values

    def item_link(self, incident):
        return incident.get_absolute_url()

    def item_pubdate(self, incident):
        # When the public could first see it: recorded earlier, it was internal (or its prisoner unpublished) till then.
        return incident.published_at or incident.public_changed

    def item_updateddate(self, incident):
        return incident.public_changed

    def item_categories(self, incident):
        return [incident.get_kind_display()]


class PrisonerIncidentFeed(IncidentFeed):
    """The public incidents of one case."""

    def get_object(self, request, slug):
        return get_object_or_404(Prisoner.objects.public(), slug=slug)

    def title(self, prisoner):
        return _("Casetracker: %(name)s") % {"name": prisoner.display_name}

    def subtitle(self, prisoner):
        return _("New incidents in the case of %(name)s.") % {"name": prisoner.display_name}

    def link(self, prisoner):
        return prisoner.get_absolute_url()

    def items(self, prisoner):
        return public_incidents().filter(prisoner=prisoner).order_by("-public_changed", "-pk")[:FEED_LENGTH]
