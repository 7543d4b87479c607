from csp.decorators import csp_replace
from django.contrib.sitemaps.views import index, sitemap
from django.middleware.gzip import GZipMiddleware
from django.urls import path
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.http import require_safe

from casetracker.languages import neutral

from . import views
from .feeds import IncidentFeed, PrisonerIncidentFeed
from .filters import FacilityFilter, PrisonerFilter
from .page_cache import cached_page
from .sitemaps import SITEMAPS

app_name = "publicsite"

# Readers may be at risk: on public pages the browser may load nothing but this site's own
# stylesheet and icon, and no page may be framed or run a script, even if escaping ever failed.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'none'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'none'"],
    "connect-src": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
}


class TextCompression(GZipMiddleware):
    """gzip for what is text (pages, feeds, exports, the sitemap); a photo is compressed already. Only here, on public
    pages: the admin, whose pages hold confidential names beside what a user typed, is never compressed (BREACH)."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("image/"):
            return response
        return super().process_response(request, response)


compressed = decorator_from_middleware(TextCompression)


def public(view, params=()):
    """A public address: read-only (GET and HEAD), cached, under the strictest content security policy, compressed
    for clients that accept it. `params`: the query parameters the page reads; it never sees any other."""
    return compressed(require_safe(csp_replace(CONTENT_SECURITY_POLICY)(cached_page(view, params))))


def case(view, name):
    """A public address of one case, which a slug the case had before, if the public saw it, redirects to."""
    return public(views.former_slugs(view, name))


def data(view, params=()):
    """A public address in no language (an export, a photo, the sitemap): one address for all readers."""
    return neutral(public(view, params))


def _pages(*prefixes):
    return [f"{prefix}{side}" for prefix in prefixes for side in ("after", "before")]


PRISONER_FILTERS = list(PrisonerFilter.base_filters)


urlpatterns = [
    path("", public(views.home), name="home"),
    path("prisoners/", public(views.prisoner_list, [*PRISONER_FILTERS, *_pages("")]), name="prisoners"),
    path("prisoners.csv", data(views.prisoners_csv, PRISONER_FILTERS), name="prisoners_csv"),
    path("prisoners.json", data(views.prisoners_json, PRISONER_FILTERS), name="prisoners_json"),
    path("prisoners/<slug:slug>/", case(views.prisoner_detail, "prisoner"), name="prisoner"),
    path("prisoners/<slug:slug>.json", neutral(case(views.prisoner_json, "prisoner_json")), name="prisoner_json"),
    path("prisoners/<slug:slug>/photo", neutral(case(views.prisoner_photo, "prisoner_photo")), name="prisoner_photo"),
    path("prisoners/<slug:slug>/feed/", case(PrisonerIncidentFeed(), "prisoner_feed"), name="prisoner_feed"),
    path(
        "facilities/",
        public(views.facility_list, [*FacilityFilter.base_filters, *_pages("facilities_")]),
        name="facilities",
    ),
    path("facilities.csv", data(views.facilities_csv), name="facilities_csv"),
    path("facilities.json", data(views.facilities_json), name="facilities_json"),
    path("facilities/<slug:slug>/", public(views.facility_detail, _pages("held_", "incidents_")), name="facility"),
    path("map/", public(views.facility_map), name="facility_map"),
    path("data/", public(views.open_data), name="open_data"),
    path("statistics/", public(views.statistics), name="statistics"),
    path("statistics/<slug:slug>.csv", data(views.statistics_csv), name="statistics_csv"),
    path("feed/", public(IncidentFeed()), name="feed"),
    path(
        "sitemap.xml",
        data(index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "publicsite:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", data(sitemap, ["p"]), {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", data(views.robots_txt), name="robots"),
    # Staff only, never cached: a case's page as it would look published (views.preview).
    path("preview/<int:pk>/", require_safe(csp_replace(CONTENT_SECURITY_POLICY)(views.preview)), name="preview"),
]
