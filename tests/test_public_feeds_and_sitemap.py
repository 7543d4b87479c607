"""Following a case: Atom feeds site-wide and per case, the sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from events.models import Visibility
from publicsite.sitemaps import PrisonerSitemap
from tests.factories import FacilityFactory, IncidentFactory, PrisonerFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def atom(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_site_feed_lists_public_incidents(demo, client):
    feed = atom(client.get("/feed/"))
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Casetracker: new incidents"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 24  # 19 of Maria's incidents + one for each of the five others
    titles = {entry.findtext(f"{ATOM}title") for entry in entries}
    assert "Maria Kalesnikava: family contact denied, mid-February 2023" in titles
    assert "Ihar Losik: held incommunicado (lawyer and family), 2023" in titles
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/prisoners/") and "#incident-" in link
    assert all(entry.findtext(f"{ATOM}updated") for entry in entries)


def test_case_feed_lists_only_that_cases_incidents(demo, client):
    feed = atom(client.get("/prisoners/maria-kalesnikava/feed/"))
    assert feed.findtext(f"{ATOM}title") == "Casetracker: Maria Kalesnikava"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 19
    assert all(entry.findtext(f"{ATOM}title").startswith("Maria Kalesnikava: ") for entry in entries)


def test_feed_summaries_are_escaped_html_of_plain_text(today, client):
    prisoner = PrisonerFactory(slug="p1")
    IncidentFactory(prisoner=prisoner, description="<script>alert(1)</script>\nnext", facility=FacilityFactory())
    (entry,) = atom(client.get("/prisoners/p1/feed/")).findall(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>next" in summary.text  # shown as text by a reader


def test_an_unknown_or_unpublished_case_has_no_feed(today, client):
    PrisonerFactory(slug="hidden", published=False)
    assert client.get("/prisoners/hidden/feed/").status_code == 404
    assert client.get("/prisoners/nobody/feed/").status_code == 404


def sitemap_urls(client):
    """Every URL the sitemap index leads to: loc -> lastmod."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    urls = {}
    for entry in ET.fromstring(index.content):
        address = urlsplit(entry.findtext(f"{SITEMAP}loc"))
        section = client.get(f"{address.path}?{address.query}")
        assert section.status_code == 200
        for url in ET.fromstring(section.content):
            urls[url.findtext(f"{SITEMAP}loc")] = url.findtext(f"{SITEMAP}lastmod")
    return urls


def test_sitemap_lists_public_pages_only(demo, client):
    PrisonerFactory(slug="hidden", published=False)
    IncidentFactory(prisoner=PrisonerFactory(published=False), facility=FacilityFactory(name="Secret site"))
    urls = sitemap_urls(client)
    base = "http://testserver"
    assert {
        f"{base}/",
        f"{base}/prisoners/",
        f"{base}/facilities/",
        f"{base}/data/",
        f"{base}/map/",
        f"{base}/statistics/",
        f"{base}/prisoners/maria-kalesnikava/",
        f"{base}/prisoners/maksim-znak/",
        f"{base}/facilities/penal-colony-no-4-homiel/",
        f"{base}/facilities/homiel-emergency-hospital-homiel/",
        f"{base}/be/prisoners/maria-kalesnikava/",
        f"{base}/ru/facilities/penal-colony-no-4-homiel/",
    } <= set(urls)
    assert len(urls) == 3 * (6 + 6 + 2)  # each page in English, Belarusian and Russian
    assert urls[f"{base}/prisoners/maria-kalesnikava/"].startswith("2024-06-01")


def test_the_sitemap_is_an_index_split_at_the_protocols_limit(today, client, settings, monkeypatch):
    monkeypatch.setattr(PrisonerSitemap, "limit", 2)  # 50,000 in production; 2 here to see the split
    for n in range(5):
        PrisonerFactory(slug=f"p{n}")
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = sorted(entry.findtext(f"{SITEMAP}loc") for entry in index)
    assert sections == [
        "http://testserver/sitemap-facilities.xml",
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-prisoners.xml",
        # Each prisoner in three languages: 15 addresses, two to a file.
        *(f"http://testserver/sitemap-prisoners.xml?p={page}" for page in range(2, 9)),
    ]
    assert len(sitemap_urls(client)) == 3 * (6 + 5)
    assert client.get("/sitemap-prisoners.xml?p=9").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(today, client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /language/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def test_an_incident_made_internal_leaves_the_feeds(demo, client):
    IncidentFactory(prisoner=PrisonerFactory(slug="p1"), description="Withdrawn", visibility=Visibility.INTERNAL)
    assert b"Withdrawn" not in client.get("/feed/").content
    assert atom(client.get("/prisoners/p1/feed/")).findall(f"{ATOM}entry") == []
