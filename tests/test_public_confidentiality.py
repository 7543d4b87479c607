"""Nothing internal or confidential reaches any public address: a canary string planted in every
internal field never appears in any page, feed, export, sitemap, robots.txt or search result; nor in
a slug: not that of a case renamed before publication, nor one that betrays an unpublished namesake."""

import datetime
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import resolve

from events.models import IncidentKind, Source, Visibility
from prisoners.models import Lawyer, Prisoner, Recognition, RegisterEntry
from publicsite.statistics import CHARTS
from publicsite.urls import urlpatterns
from tests.admin_forms import admin_form_data
from tests.factories import (
    ChargeFactory,
    ContactFactory,
    CustodyPeriodFactory,
    FacilityFactory,
    IncidentFactory,
    LawyerFactory,
    NameVariantFactory,
    OrganisationFactory,
    PrisonerFactory,
    RecognitionFactory,
    RegisterEntryFactory,
    RepresentationFactory,
    SentenceFactory,
    SourceFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
CANARY = "ZQXCANARY"
SEARCH = CANARY.lower()  # what a visitor types; the page echoes it in this case, the records carry CANARY
INTERNAL = Visibility.INTERNAL


def publish_renamed(editor, prisoner, name):
    """What an editor does for a case entered under a real name: show it as `name`, clear the slug (made again
    from the display name) and publish, in the admin."""
    admin = Client()
    admin.force_login(editor)
    url = f"/admin/prisoners/prisoner/{prisoner.pk}/change/"
    data = {**admin_form_data(admin.get(url)), "name": name, "slug": "", "published": "on"}
    assert admin.post(url, data).status_code == 302
    prisoner.refresh_from_db()
    return prisoner


@pytest.fixture
def seeded(demo, settings, tmp_path, editor):
    """The demo, plus a published and an unpublished prisoner with a canary in every internal place, a case
    entered under a canary name and published as "Name withheld", and an unpublished record's published namesake."""
    settings.MEDIA_ROOT = tmp_path
    secret_site = FacilityFactory(name=f"{CANARY} secret site")
    confidential = SourceFactory(
        title=f"{CANARY} private channel",
        url=f"https://{SEARCH}.example.org/tip",
        confidential=True,
        internal_notes=f"{CANARY} who told us",
        publisher=OrganisationFactory(name=f"{CANARY} informant group"),
    )
    confidential.signatories.set([OrganisationFactory(name=f"{CANARY} co-signer")])
    public_source = SourceFactory(title="Public report", internal_notes=f"{CANARY} source notes")

    visible = PrisonerFactory(name="Visible Person", slug="visible-person", detained=D(2020, 9, 1))
    visible.photo.save("visible.png", ContentFile(f"{CANARY} photo not cleared for the public".encode()))
    visible.sources.set([public_source, confidential])
    NameVariantFactory(prisoner=visible, name=f"{CANARY} Internalvariant", public=False)
    RecognitionFactory(prisoner=visible, organisations=[OrganisationFactory(name="Viasna")])
    colony = FacilityFactory(name="Colony", region="Homiel Region")
    CustodyPeriodFactory(prisoner=visible, facility=colony, note=f"{CANARY} custody note")
    lawyer = LawyerFactory(name="Public Lawyer", note=f"{CANARY} lawyer notes")
    RepresentationFactory(prisoner=visible, lawyer=lawyer)
    IncidentFactory(
        prisoner=visible,
        kind=IncidentKind.DISBARMENT,
        lawyer=lawyer,
        description="Disbarred for defending him.",
        internal_notes=f"{CANARY} reprisal notes",
        sources=[public_source, confidential],
    )
    IncidentFactory(
        prisoner=visible,
        description="Placed in a punishment cell.",
        internal_notes=f"{CANARY} incident notes",
        facility=colony,
        sources=[public_source, confidential],
    )
    IncidentFactory(
        prisoner=visible,
        kind=IncidentKind.ILL_TREATMENT,
        description=f"{CANARY} internal incident",
        facility=secret_site,
        visibility=INTERNAL,
        sources=[confidential],
    )
    ContactFactory(
        prisoner=visible,
        date=D(2023, 1, 1),
        description="Her lawyer visited.",
        internal_notes=f"{CANARY} contact notes",
        contact_person=f"{CANARY} contact person",
        lawyer=LawyerFactory(name=f"{CANARY} lawyer named only on a contact"),
        sources=[confidential],
    )
    ContactFactory(
        prisoner=visible,
        party="family",
        date=D(2024, 5, 30),
        description=f"{CANARY} internal contact",
        visibility=INTERNAL,
    )

    hidden = PrisonerFactory(
        name=f"{CANARY} Hidden Person",
        slug="hidden-person",
        published=False,
        bio=CANARY,
        occupation=CANARY,
        photo_public=True,
    )
    hidden.photo.save("hidden.png", ContentFile(f"{CANARY} photo of the unpublished".encode()))
    hidden.tags.set([TagFactory(name=f"{CANARY} case group")])
    RegisterEntryFactory(prisoner=hidden, register="Viasna", identifier=f"{CANARY}-1")
    RecognitionFactory(prisoner=hidden, organisations=[OrganisationFactory(name=f"{CANARY} recogniser")])
    NameVariantFactory(prisoner=hidden, name="Hiddenvariant")
    ChargeFactory(prisoner=hidden, label=f"{CANARY} charge")
    SentenceFactory(prisoner=hidden, court=f"{CANARY} court")
    CustodyPeriodFactory(prisoner=hidden, facility=secret_site)
    IncidentFactory(prisoner=hidden, description=f"{CANARY} incident of the unpublished", sources=[public_source])
    ContactFactory(prisoner=hidden, description=f"{CANARY} contact of the unpublished")

    renamed = PrisonerFactory(name=f"{CANARY} Realname", published=False)
    first_slug = renamed.slug
    IncidentFactory(prisoner=renamed, description="Denied a lawyer.", facility=colony)
    publish_renamed(editor, renamed, "Name withheld")

    hidden_namesake = PrisonerFactory(name="Namesake Person", published=False)
    namesake = PrisonerFactory(name="Namesake Person")
    return {
        "visible": visible,
        "hidden": hidden,
        "secret_site": secret_site,
        "renamed": renamed,
        "first_slug": first_slug,
        "hidden_namesake": hidden_namesake,
        "namesake": namesake,
    }


def public_urls(client, seeded):
    """Every public address: fixed pages, every case and facility the sitemap lists, their JSON and
    feeds, the exports, searches (for the canary too), filters, and the unpublished records' addresses."""
    loc = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    sections = [urlsplit(entry.text) for entry in ET.fromstring(client.get("/sitemap.xml").content).iter(loc)]
    listed = [
        urlsplit(entry.text).path
        for section in sections
        for entry in ET.fromstring(client.get(f"{section.path}?{section.query}").content).iter(loc)
    ]
    listed = [path for path in listed if not path.startswith(("/be/", "/ru/"))]  # each language is visited below
    cases = [path for path in listed if path.startswith("/prisoners/") and path != "/prisoners/"]
    hidden, secret_site, first_slug = seeded["hidden"].slug, seeded["secret_site"].slug, seeded["first_slug"]
    return [
        *listed,
        *(path.rstrip("/") + ".json" for path in cases),
        *(path + "feed/" for path in cases),
        "/feed/",
        "/sitemap.xml",
        *(section.path for section in sections),
        "/robots.txt",
        "/prisoners.csv",
        "/prisoners.json",
        "/facilities.csv",
        "/facilities.json",
        *(f"/statistics/{chart}.csv" for chart in CHARTS),  # counts and names of published cases only
        "/prisoners/?sort=lawyer",
        "/prisoners/?cut_off_lawyer=on&cut_off_family=on&sort=family",
        "/prisoners/?region=Homiel+Region",
        f"/prisoners/?facility={secret_site}",
        "/prisoners.csv?sort=family",
        f"/prisoners/?q={SEARCH}",
        f"/prisoners.csv?q={SEARCH}",
        f"/prisoners.json?q={SEARCH}",
        "/prisoners/?q=Hiddenvariant",
        "/prisoners.json?q=Hiddenvariant",
        "/prisoners/?q=Internalvariant",
        "/prisoners.json?q=Internalvariant",
        "/prisoners/?q=Internalvariat",
        "/prisoners/?q=Realname",
        # Near misses, which would suggest the nearest names or match nearly, and the facility search: neither may
        # reach an unpublished prisoner, a facility known only from internal records, or a lawyer on a contact.
        "/prisoners/?q=Hidenvariant",
        "/prisoners/?q=zqxcanarx+hiden+persn",
        "/prisoners/?q=zqxcanarx+lawyer+named",
        f"/facilities/?q={SEARCH}",
        "/facilities/?q=zqxcanarx+secret+site",
        "/facilities/?q=secret",
        f"/prisoners/{hidden}/",
        f"/prisoners/{hidden}.json",
        f"/prisoners/{hidden}/feed/",
        f"/prisoners/{hidden}/photo",
        f"/prisoners/{first_slug}/",
        f"/prisoners/{first_slug}.json",
        f"/prisoners/{first_slug}/feed/",
        f"/prisoners/{first_slug}/photo",
        f"/prisoners/{seeded['hidden_namesake'].slug}/",
        "/prisoners/visible-person/photo",
        f"/facilities/{secret_site}/",
        f"/preview/{seeded['hidden'].pk}/",  # staff only: the public is sent to the login
    ]


def test_no_public_address_shows_anything_internal_or_confidential(seeded, client):
    urls = public_urls(client, seeded)
    names = {resolve(urlsplit(url).path).url_name for url in urls}
    assert names == {pattern.name for pattern in urlpatterns}, "a public address is missing from this test"
    assert "/prisoners/visible-person/" in urls and "/facilities/colony-homiel/" in urls
    assert seeded["renamed"].get_absolute_url() in urls and seeded["namesake"].get_absolute_url() in urls
    # A counter would say that a record of this name exists, which the public cannot see.
    assert not seeded["namesake"].slug.startswith(f"{seeded['hidden_namesake'].slug}-")

    forbidden = [
        CANARY,
        f"/prisoners/{seeded['hidden'].slug}",
        f"/facilities/{seeded['secret_site'].slug}",
        f"/prisoners/{seeded['hidden_namesake'].slug}/",
        f'"{seeded["hidden_namesake"].slug}"',
        "Hiddenvariant",
        "Internalvariant",
        "Realname",
    ]
    first, namesakes = seeded["first_slug"], seeded["hidden_namesake"].slug
    for url in [
        f"/prisoners/{first}/",
        f"/prisoners/{first}.json",
        f"/prisoners/{first}/feed/",
        f"/prisoners/{namesakes}/",
    ]:
        assert client.get(url).status_code == 404, f"{url}: a slug the public never saw is unknown to it"
    # In every language: the Belarusian and Russian pages read the same public records through the same chokepoint.
    for url in [f"{prefix}{url}" for prefix in ("", "/be", "/ru") for url in urls]:
        # An export, a photo or the sitemap asked for under /be/ redirects to its one address: followed.
        response = client.get(url, follow="/preview/" not in url)
        if "/preview/" in url:
            assert response.status_code == 302 and response.url.startswith("/admin/login/"), url
        else:
            assert response.status_code in (200, 400, 404), url
        body = response.getvalue().decode()
        headers = str(response.headers)
        if SEARCH not in url:  # a search echoes what was typed (lower case); nothing else may carry the canary
            forbidden_here = [*forbidden, SEARCH]
        else:
            forbidden_here = forbidden
        for needle in forbidden_here:
            if needle in ("Hiddenvariant", "Internalvariant", "Realname") and needle in url:
                continue  # echoed
            assert needle not in body, f"{needle!r} leaked on {url}"
            assert needle not in headers, f"{needle!r} leaked in the headers of {url}"
        assert "<!--" not in body, f"an HTML comment on {url}"


def public_snapshot(client, urls):
    """What every public address answers: status, body and the date it claims (Last-Modified)."""
    answers = {}
    for url in urls:
        response = client.get(url)
        answers[url] = (response.status_code, response.getvalue().decode(), response.get("Last-Modified"))
    return answers


def test_an_internal_edit_changes_nothing_at_any_public_address(seeded, client, clock, settings):
    """Not even a date: a "last updated", a feed's <updated> or order, a sitemap's lastmod or a Last-Modified
    that moved when nothing public did would tell a watcher that something unseen was recorded."""
    settings.PUBLIC_CACHE_SECONDS = 0  # every answer freshly rendered from the records
    visible, hidden = Prisoner.objects.get(slug="visible-person"), seeded["hidden"]
    urls = public_urls(client, seeded)
    before = public_snapshot(client, urls)
    clock.shift(datetime.timedelta(hours=1))
    edited = f"{CANARY} edited"
    for incident in visible.incidents.all():
        incident.internal_notes = edited
        if incident.visibility == INTERNAL:
            incident.description, incident.verification = edited, "confirmed"
        incident.save()
    for contact in visible.contacts.all():
        contact.internal_notes, contact.contact_person = edited, edited
        if contact.visibility == INTERNAL:
            contact.description, contact.date = edited, D(2024, 5, 31)
        contact.save()
    for period in visible.custody_periods.all():
        period.note = edited
        period.save()
    for lawyer in Lawyer.objects.all():
        lawyer.note = edited
        lawyer.save()
    for source in Source.objects.filter(internal_notes__contains=CANARY):
        source.internal_notes = edited
        source.title = edited if source.confidential else source.title
        source.save()
    IncidentFactory(prisoner=visible, description=edited, visibility=INTERNAL)
    NameVariantFactory(prisoner=visible, name=f"{CANARY} Edited Realname", public=False)
    ContactFactory(prisoner=visible, description=edited, visibility=INTERNAL, date=D(2024, 5, 31))
    visible.save()  # as it was: the admin saves the whole page
    hidden.bio, hidden.occupation = edited, edited
    hidden.save()
    ChargeFactory(prisoner=hidden, label=edited)
    for incident in hidden.incidents.all():
        incident.description = edited
        incident.save()
    IncidentFactory(prisoner=hidden, description=edited)
    after = public_snapshot(client, urls)
    assert [url for url in urls if after[url] != before[url]] == []


def test_searching_for_an_unpublished_prisoner_or_an_internal_name_finds_no_one(seeded, client):
    for query in [SEARCH, "Hiddenvariant", "hidden person", "Internalvariant", "Realname"]:
        assert list(client.get("/prisoners/", {"q": query}).context["page"].object_list) == []
        assert json.loads(client.get("/prisoners.json", {"q": query}).getvalue())["count"] == 0


def test_nothing_unpublished_is_suggested(seeded, client):
    assert seeded["hidden"] in [record for record, _ in Prisoner.objects.suggestions("Hidenvariant")]  # staff see it
    for query in ["Hidenvariant", "zqxcanarx hiden", "Hiden Persn"]:
        response = client.get("/prisoners/", {"q": query})
        assert seeded["hidden"] not in [record for record, _ in response.context["suggestions"]]
    assert client.get("/facilities/", {"q": "zqxcanarx secret"}).context["suggestions"] == []


def test_a_public_fact_shows_only_its_public_sources(seeded, client):
    page = client.get("/prisoners/visible-person/").content.decode()
    # Listed once in the sources section, and cited by its number from the two incidents.
    assert page.count("<cite>Public report</cite>") == 1
    assert page.count('<a href="#source-1" title="Public report">') == 2
    assert page.count('href="#source-') == 2  # the confidential source gets no number


def test_an_internal_contact_never_shortens_the_public_lapse(seeded, client):
    """The internal family contact of 30 May 2024 must not show: the lapse counts from detention."""
    expected = "No family contact on record for at least 1,369 days (3 years 9 months), since 1 September 2020"
    assert expected in client.get("/prisoners/visible-person/").content.decode()
    rows = json.loads(client.get("/prisoners.json").getvalue())["prisoners"]
    row = next(p for p in rows if p["slug"] == "visible-person")
    assert (row["family_contact_days"], row["family_contact_basis"], row["family_contact_overdue"]) == (
        1369,
        "custody",
        True,
    )
    assert client.get("/prisoners/visible-person.json").json()["family_contact_since"] == "1 September 2020"
    cut_off = client.get("/prisoners/", {"cut_off_family": "on", "facility": "colony-homiel"})
    assert [p.slug for p in cut_off.context["page"].object_list] == ["visible-person"]
    assert "at least 1,369 days" in client.get("/facilities/colony-homiel/").content.decode()


def test_an_internal_contact_is_not_on_the_timeline(seeded, client):
    case = client.get("/prisoners/visible-person.json").json()
    assert [entry["type"] for entry in case["timeline"]].count("contact") == 1


NOT_WEB = ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>"]


def test_a_stored_address_that_is_not_a_web_address_never_becomes_a_link(seeded, client):
    """Stored past the model's validation (an import, the shell, objects.create), it shows as text, never as a link."""
    visible = seeded["visible"]
    sources = [Source.objects.create(title=f"Planted {n}", kind="news", confidential=False, url=url)
               for n, url in enumerate(NOT_WEB)]  # fmt: skip
    IncidentFactory(prisoner=visible, description="Beaten by guards.", sources=sources)
    visible.sources.add(*sources)
    for n, url in enumerate(NOT_WEB):
        Recognition.objects.create(prisoner=visible, statement_url=url).organisations.add(OrganisationFactory())
        RegisterEntry.objects.create(prisoner=visible, register="AAPP", identifier=f"planted-{n}", url=url)

    for url in public_urls(client, seeded):
        body = client.get(url).getvalue().decode().lower()
        for scheme in ("javascript:", "data:text"):
            assert scheme not in body, f"{scheme!r} on {url}"
    page = client.get("/prisoners/visible-person/").content.decode()
    assert "<cite>Planted 0</cite>" in page  # the source is still named
    timeline = client.get("/prisoners/visible-person.json").json()["timeline"]
    assert {"title": "Planted 0", "url": None}.items() <= next(
        source for entry in timeline for source in entry["sources"] if source["title"] == "Planted 0"
    ).items()
