from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from prisoners.models import Facility, Prisoner


class PagesSitemap(Sitemap):
    def items(self):
        return ["public:home", "public:prisoners", "public:facilities", "public:open_data"]

    def location(self, name):
        return reverse(name)


class PrisonerSitemap(Sitemap):
    def items(self):
        return Prisoner.objects.public().with_public_last_updated().order_by("slug")

    def location(self, prisoner):
        return reverse("public:prisoner", args=[prisoner.slug])

    def lastmod(self, prisoner):
        return prisoner.last_updated


class FacilitySitemap(Sitemap):
    def items(self):
        return Facility.objects.public().order_by("slug")

    def location(self, facility):
        return reverse("public:facility", args=[facility.slug])


SITEMAPS = {"pages": PagesSitemap, "prisoners": PrisonerSitemap, "facilities": FacilitySitemap}
