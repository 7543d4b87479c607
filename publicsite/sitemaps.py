"""The sitemap: an index (/sitemap.xml) of one file per section, each split at the protocol's
50,000 URLs (?p=2 …), so every public page is listed however large the register."""

from django.contrib import sitemaps
from django.urls import reverse

from prisoners.models import Facility, Prisoner


class Sitemap(sitemaps.Sitemap):
    """Every page in each language, each with its alternates (hreflang) and English as x-default. Django counts
    each language's address against the file's limit, so a file still holds at most the protocol's 50,000."""

    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(Sitemap):
    def items(self):
        return [
            "publicsite:home",
            "publicsite:prisoners",
            "publicsite:facilities",
            "publicsite:facility_map",
            "publicsite:statistics",
            "publicsite:open_data",
        ]

    def location(self, name):
        return reverse(name)


class PrisonerSitemap(Sitemap):
    def items(self):
        return Prisoner.objects.public().only("slug", "public_changed").order_by("slug")

    def lastmod(self, prisoner):
        return prisoner.public_changed  # moved by public changes only (prisoners.public_changes)

    def get_latest_lastmod(self):
        return None  # the index would otherwise read every case's last update to name one date


class FacilitySitemap(Sitemap):
    def items(self):
        return Facility.objects.public().order_by("slug")


SITEMAPS = {"pages": PagesSitemap, "prisoners": PrisonerSitemap, "facilities": FacilitySitemap}
