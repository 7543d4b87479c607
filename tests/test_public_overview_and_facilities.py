"""The overview, the facility pages, the open data page and the not-found page."""

import datetime
import re
import urllib.parse

import pytest

from events.models import IncidentKind, Visibility
from prisoners.status import Status
from tests.factories import (
    ContactFactory,
    CustodyPeriodFactory,
    FacilityFactory,
    FacilityNameVariantFactory,
    IncidentFactory,
    PrisonerFactory,
)
from tests.public_site import page_text

pytestmark = pytest.mark.django_db
D = datetime.date
COLONY = "/facilities/penal-colony-no-4-homiel/"


def test_overview_counts_who_is_held_and_cut_off_now(demo, client):
    PrisonerFactory(name="Freed", status=Status.RELEASED)
    PrisonerFactory(name="Hidden", published=False)
    page = page_text(client.get("/"))
    assert "6 held now" in page
    assert "6 cut off from their lawyer now" in page
    assert "6 cut off from their family now" in page


def test_overview_counts_from_public_contacts_only(today, client):
    in_touch = PrisonerFactory()
    ContactFactory(prisoner=in_touch, date=D(2024, 5, 30))
    ContactFactory(prisoner=PrisonerFactory(), date=D(2024, 5, 30), visibility=Visibility.INTERNAL)
    page = page_text(client.get("/"))
    assert "2 held now" in page and "1 cut off from their lawyer now" in page


def test_overview_links_to_the_filtered_list(demo, client):
    page = client.get("/").content.decode()
    assert 'href="/prisoners/?cut_off_lawyer=on"' in page and 'href="/prisoners/?status=detained"' in page


def test_overview_shows_the_newest_public_incidents(demo, client):
    page = page_text(client.get("/"))
    latest = page[page.index("Latest incidents") :]
    assert latest.index("May 2023 Maria Kalesnikava : deterioration of health") < latest.index(
        "late March 2023 Maria Kalesnikava : cell-type premises (PKT)"
    )
    assert "Source: Belarus: Stop mistreating opposition politician · Credible" in latest


def test_facilities_list_only_public_ones_with_who_is_held_there_now(demo, client):
    FacilityFactory(name="Only for unpublished")
    CustodyPeriodFactory(prisoner=PrisonerFactory(published=False), facility__name="Secret site")
    page = page_text(client.get("/facilities/"))
    assert (
        "Penal colony No. 4 Female penal colony N4 in Homiel · Gomel penal colony No. 4 · ИК-4, Гомель · ПК-4, Гомель "
        "penal colony Homiel, " in page
    )
    assert "Homiel emergency hospital" in page
    assert "Only for unpublished" not in page and "Secret site" not in page
    assert 'href="/prisoners/?facility=penal-colony-no-4-homiel">1</a>' in client.get("/facilities/").content.decode()


def test_a_facility_page_shows_who_is_held_there_now_and_incidents_there(demo, client):
    page = page_text(client.get(COLONY))
    assert "Penal colony No. 4 Also known as: Female penal colony N4 in Homiel · Gomel penal colony No. 4" in page
    assert "Kind Penal colony City Homiel Region Homiel Region Country Belarus" in page
    held = page[page.index("Held here now") : page.index("Incidents here")]
    assert "Maria Kalesnikava — detained September 2020." in held
    assert "No lawyer contact on record for at least 480 days (1 year 3 months), since 7 February 2023." in held
    incidents = page[page.index("Incidents here") :]
    assert "late March 2023 Maria Kalesnikava : cell-type premises (PKT)" in incidents
    assert "Maria Kalesnikava : hospitalisation" not in incidents  # that was at the hospital


def test_a_facility_no_longer_holding_anyone_says_so(demo, client):
    page = page_text(client.get("/facilities/homiel-emergency-hospital-homiel/"))
    assert "No one on public record is held here now." in page
    assert "28 November – early December 2022 Maria Kalesnikava : hospitalisation" in page


def test_a_facility_known_only_from_unpublished_records_is_not_found(today, client):
    hidden = PrisonerFactory(published=False)
    site = FacilityFactory(name="Secret site")
    FacilityNameVariantFactory(facility=site)
    CustodyPeriodFactory(prisoner=hidden, facility=site)
    IncidentFactory(prisoner=PrisonerFactory(), facility=FacilityFactory(name="Internal only"), visibility="internal")
    assert client.get(f"/facilities/{site.slug}/").status_code == 404
    assert client.get("/facilities/internal-only-homiel/").status_code == 404
    assert client.get("/facilities/no-such-place/").status_code == 404


def test_a_public_incident_makes_its_facility_public(today, client):
    IncidentFactory(kind=IncidentKind.ILL_TREATMENT, facility=FacilityFactory(name="Holding cell"))
    assert "Holding cell" in page_text(client.get("/facilities/holding-cell-homiel/"))


def test_open_data_page_lists_the_addresses(today, client):
    page = page_text(client.get("/data/"))
    for address in ["/prisoners.csv", "/prisoners.json", "/prisoners/<slug>.json", "/feed/"]:
        assert address in page


def test_not_found_page_is_friendly_and_echoes_nothing(today, client):
    response = client.get("/prisoners/some-name-typed/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no public page at this address." in page and "some-name-typed" not in page


@pytest.mark.parametrize("url", ["/", "/prisoners/", "/facilities/", COLONY, "/data/", "/prisoners/maria-kalesnikava/"])
def test_every_page_has_a_skip_link_navigation_and_the_site_feed(demo, client, url):
    response = client.get(url)
    page = response.content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page
    assert '<main id="main"' in page and '<html lang="en">' in page
    assert '<link rel="alternate" type="application/atom+xml" title="Casetracker: new incidents" href="/feed/">' in page
    assert 'aria-current="page"' in page
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", "/prisoners/", "/prisoners.csv", "/feed/"])
def test_public_pages_only_answer_reads(demo, client, url):
    assert client.post(url).status_code == 405


def test_a_large_facility_pages_who_is_held_there_and_its_incidents(today, client):
    colony = FacilityFactory(name="Big colony")
    for n in range(60):
        prisoner = PrisonerFactory(name=f"Held {n:02}")
        CustodyPeriodFactory(prisoner=prisoner, facility=colony)
        IncidentFactory(prisoner=prisoner, facility=colony, start=D(2023, 1, 1) + datetime.timedelta(days=n))
    page = client.get(f"/facilities/{colony.slug}/")
    text = page_text(page)
    held = text[text.index("Held here now") : text.index("Incidents here")]
    assert "Held here now (60)" in held and "Held 49" in held and "Held 50" not in held
    assert text.count(": punishment isolation cell (ShIZO)") == 20
    assert "1 March 2023" in text  # newest first
    html = page.content.decode()
    more = re.search(r'href="\?held_after=([^"]+)" rel="next">More people held here', html).group(1)
    rest = page_text(client.get(f"/facilities/{colony.slug}/", {"held_after": urllib.parse.unquote(more)}))
    rest = rest[rest.index("Held here now") : rest.index("Incidents here")]
    assert "Held 50" in rest and "Held 59" in rest and "Held 49" not in rest
    assert client.get(f"/facilities/{colony.slug}/", {"incidents_after": "broken"}).status_code == 404


def test_the_facility_list_comes_a_hundred_at_a_time(today, client):
    for n in range(105):
        CustodyPeriodFactory(facility=FacilityFactory(name=f"Colony {n:03}"))
    page = client.get("/facilities/")
    text = page_text(page)
    assert "105 facilities, 100 on this page." in text and "Colony 099" in text and "Colony 100" not in text
    more = re.search(r'href="\?facilities_after=([^"]+)" rel="next"', page.content.decode()).group(1)
    rest = page_text(client.get("/facilities/", {"facilities_after": urllib.parse.unquote(more)}))
    assert "Colony 100" in rest and "Colony 104" in rest and "Colony 099" not in rest
