"""Public metadata from public facts only: a date or an anchor on a public page says nothing the
page does not show. Editing internal notes, internal incidents and contacts or an unpublished case
moves no public date (a case's "last updated", the sitemap's lastmod and Last-Modified, the feeds'
<updated>, order and Last-Modified, the exports' last_updated); a public change moves them; Atom's
<published> is when the public could first see an incident; anchors name no database id."""

import csv
import datetime
import importlib
import io
import json
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from events.models import Contact, Incident, IncidentKind, Party, Visibility
from prisoners.models import Prisoner
from tests.admin_forms import add_inline_row, admin_form_data
from tests.conftest import NOON_ON_TODAY
from tests.factories import (
    ChargeFactory,
    ContactFactory,
    CustodyPeriodFactory,
    IncidentFactory,
    LawyerFactory,
    NameVariantFactory,
    PrisonerFactory,
    RegisterEntryFactory,
    SentenceFactory,
    SourceFactory,
    TagFactory,
)
from tests.test_import import run as run_import

pytestmark = pytest.mark.django_db
D = datetime.date
HOUR = datetime.timedelta(hours=1)
NOW = NOON_ON_TODAY + datetime.timedelta(days=1)  # when each test changes the records: the next day
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
INTERNAL = Visibility.INTERNAL
PUBLIC_ID = re.compile(r"[a-z2-7]{12}")


def feed_dates(response):
    """A feed's own date, Last-Modified, and each entry's (id, updated, published), in its order."""
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    entries = [
        (entry.findtext(f"{ATOM}id"), entry.findtext(f"{ATOM}updated"), entry.findtext(f"{ATOM}published"))
        for entry in feed.findall(f"{ATOM}entry")
    ]
    return {"updated": feed.findtext(f"{ATOM}updated"), "Last-Modified": response["Last-Modified"], "entries": entries}


def public_dates(client, slug="case"):
    """Every date (and the feeds' order) the public can read about a case and the site."""
    page = client.get(f"/prisoners/{slug}/").content.decode()
    (last_updated,) = re.findall(r'Last updated <time datetime="([^"]+)"', page)
    sitemap = client.get("/sitemap-prisoners.xml")
    urls = ET.fromstring(sitemap.content)
    lastmods = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in urls}  # days
    csv_rows = csv.DictReader(io.StringIO(client.get("/prisoners.csv").getvalue().decode("utf-8-sig")))
    json_rows = json.loads(client.get("/prisoners.json").getvalue())["prisoners"]
    return {
        "page": last_updated,
        "sitemap": lastmods[f"http://testserver/prisoners/{slug}/"],
        "sitemap Last-Modified": sitemap["Last-Modified"],
        "case feed": feed_dates(client.get(f"/prisoners/{slug}/feed/")),
        "site feed": feed_dates(client.get("/feed/")),
        "csv": next(row["last_updated"] for row in csv_rows if row["slug"] == slug),
        "json": next(row["last_updated"] for row in json_rows if row["slug"] == slug),
        "case json": client.get(f"/prisoners/{slug}.json").json()["last_updated"],
    }


class Case:
    """A published case with public and internal records (recorded at noon on TODAY), another published
    case whose incident is the newest public change, and an unpublished case (both an hour later). The
    clock then stands at NOW, the next day."""

    def __init__(self, clock):
        self.prisoner = PrisonerFactory(slug="case", name="Case Person")
        self.lawyer = LawyerFactory(note="his notes")
        self.incident = IncidentFactory(prisoner=self.prisoner, description="In a punishment cell.")
        self.contact = ContactFactory(prisoner=self.prisoner, date=D(2023, 1, 5), lawyer=self.lawyer)
        self.custody = CustodyPeriodFactory(prisoner=self.prisoner, note="transfer rumoured")
        self.internal = IncidentFactory(prisoner=self.prisoner, kind=IncidentKind.ILL_TREATMENT, visibility=INTERNAL)
        self.internal_contact = ContactFactory(prisoner=self.prisoner, date=D(2024, 5, 1), visibility=INTERNAL)
        self.other = PrisonerFactory(slug="other", name="Other Person")
        clock.shift(HOUR)  # so that the other case's incident is the newest public change
        self.other_incident = IncidentFactory(prisoner=self.other, description="Hospitalised.")
        self.hidden = PrisonerFactory(slug="hidden", name="Hidden Person", published=False)
        self.hidden_incident = IncidentFactory(prisoner=self.hidden)
        clock.move_to(NOW)
        self.clock = clock


@pytest.fixture
def case(clock, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # every page freshly rendered from the records
    return Case(clock)


def test_editing_internal_notes_moves_no_public_date(case, client):
    before = public_dates(client)
    case.incident.internal_notes = "Her cellmate says she was beaten."
    case.incident.save()
    case.contact.internal_notes, case.contact.contact_person = "Met in the corridor.", "her father"
    case.contact.lawyer = LawyerFactory()  # a contact's lawyer is never shown
    case.contact.save()
    case.custody.note = "Transfer expected."
    case.custody.save()
    case.lawyer.note = "Under pressure himself."
    case.lawyer.save()
    case.prisoner.save()  # saved as it was, as the admin does with the page's other forms
    assert public_dates(client) == before


def test_saving_a_case_in_the_admin_with_only_internal_changes_moves_no_public_date(case, client, editor, as_user):
    before = public_dates(client)
    admin = as_user(editor)
    page, pk = f"/admin/prisoners/prisoner/{case.prisoner.pk}/change/", case.contact.pk
    data = admin_form_data(admin.get(page))
    row = next(key for key, value in data.items() if re.fullmatch(r"contacts-\d+-id", key) and value == str(pk))
    data[row.replace("-id", "-contact_person")] = "her lawyer's assistant"
    assert admin.post(page, data).status_code == 302
    page = f"/admin/events/incident/{case.incident.pk}/change/"
    data = admin_form_data(admin.get(page))
    data["internal_notes"] = "Seen by a doctor only after a week."
    assert admin.post(page, data).status_code == 302
    assert Incident.objects.get(pk=case.incident.pk).internal_notes == "Seen by a doctor only after a week."
    assert public_dates(client) == before


def test_an_internal_incident_or_contact_moves_no_public_date(case, client, researcher, as_user):
    before = public_dates(client)
    # A researcher records a contact on the case's page (new contacts are internal): the whole page is saved.
    admin, page = as_user(researcher), f"/admin/prisoners/prisoner/{case.prisoner.pk}/change/"
    data = admin_form_data(admin.get(page))
    add_inline_row(
        data, "contacts", {"party": "family", "date": "2024-05-30", "date_precision": "day", "channel": "visit"}
    )
    assert admin.post(page, data).status_code == 302
    assert case.prisoner.contacts.get(date=D(2024, 5, 30)).visibility == INTERNAL
    IncidentFactory(prisoner=case.prisoner, visibility=INTERNAL, sources=[SourceFactory()])
    ContactFactory(prisoner=case.prisoner, party=Party.FAMILY, date=D(2024, 5, 29), visibility=INTERNAL)
    case.internal.description = "Beaten by guards on 3 May."
    case.internal.sources.add(SourceFactory())
    case.internal.save()
    case.internal_contact.description = "A short call."
    case.internal_contact.save()
    case.incident.sources.add(SourceFactory(confidential=True))  # a confidential source is never shown
    case.prisoner.sources.add(SourceFactory(confidential=True))
    case.internal.delete()
    case.internal_contact.delete()
    assert public_dates(client) == before


def test_work_on_an_unpublished_case_moves_no_public_date(case, client):
    before = public_dates(client)
    hidden = case.hidden
    hidden.name, hidden.bio = "Hidden Person Renamed", "Detained for a post."
    hidden.save()
    NameVariantFactory(prisoner=hidden)
    ChargeFactory(prisoner=hidden)
    SentenceFactory(prisoner=hidden)
    hidden.tags.add(TagFactory())
    IncidentFactory(prisoner=hidden, description="A new public incident, of an unpublished case.")
    ContactFactory(prisoner=hidden)
    case.hidden_incident.description = "Edited."
    case.hidden_incident.save()
    assert public_dates(client) == before


def _at(moment):
    return moment.isoformat()


def test_a_public_change_moves_every_public_date(case, client):
    before = public_dates(client)
    assert before["site feed"]["entries"][0][0].endswith(case.other_incident.public_id)  # the newest first
    case.incident.description = "In a punishment cell for ten days."
    case.incident.save()
    after = public_dates(client)
    assert after["page"] == after["case json"] == after["json"] == _at(NOW)
    assert (after["csv"], after["sitemap"]) == (_at(NOW), "2024-06-02")
    assert after["sitemap Last-Modified"] == after["case feed"]["Last-Modified"] == "Sun, 02 Jun 2024 12:00:00 GMT"
    assert after["site feed"]["Last-Modified"] == "Sun, 02 Jun 2024 12:00:00 GMT"
    assert after["case feed"]["updated"] == after["site feed"]["updated"] == _at(NOW)
    entry_id, updated, published = after["site feed"]["entries"][0]
    assert entry_id.endswith(f"#incident-{case.incident.public_id}")  # now the most recently changed
    assert (updated, published) == (_at(NOW), _at(NOON_ON_TODAY))


PUBLIC_CHANGES = {
    "its bio": lambda case: _with(case.prisoner, bio="Musician.").save(),
    "its photo cleared for the public": lambda case: _with(case.prisoner, photo_public=True).save(),
    "a name variant added": lambda case: NameVariantFactory(prisoner=case.prisoner),
    "a charge added": lambda case: ChargeFactory(prisoner=case.prisoner),
    "a sentence added": lambda case: SentenceFactory(prisoner=case.prisoner),
    "a register ID added": lambda case: RegisterEntryFactory(prisoner=case.prisoner),
    "its custody ended": lambda case: _with(case.custody, end=D(2024, 5, 1)).save(),
    "its custody period deleted": lambda case: case.custody.delete(),
    "a case group added": lambda case: case.prisoner.tags.add(TagFactory()),
    "a public source cited": lambda case: case.prisoner.sources.add(SourceFactory()),
    "a public source cited by an incident": lambda case: case.incident.sources.add(SourceFactory()),
    "a public incident added": lambda case: IncidentFactory(prisoner=case.prisoner),
    "a public incident withdrawn": lambda case: _with(case.incident, visibility=INTERNAL).save(),
    "a public incident deleted": lambda case: case.incident.delete(),
    "an internal incident made public": lambda case: _with(case.internal, visibility=Visibility.PUBLIC).save(),
    "an internal contact made public": lambda case: _with(case.internal_contact, visibility=Visibility.PUBLIC).save(),
    "a public contact's date": lambda case: _with(case.contact, date=D(2023, 1, 6)).save(),
    "a public contact deleted": lambda case: case.contact.delete(),
    "an incident moved here": lambda case: _with(case.other_incident, prisoner=case.prisoner).save(),
}


def _with(record, **values):
    for name, value in values.items():
        setattr(record, name, value)
    return record


@pytest.mark.parametrize("change", PUBLIC_CHANGES)
def test_any_public_change_to_a_case_dates_it(case, client, change):
    assert public_dates(client)["page"] == _at(NOON_ON_TODAY)
    PUBLIC_CHANGES[change](case)
    dates = public_dates(client)
    assert (dates["page"], dates["csv"], dates["sitemap"]) == (_at(NOW), _at(NOW), "2024-06-02")


def test_an_incident_moved_to_another_case_dates_both(case, client):
    _with(case.incident, prisoner=case.other).save()
    assert public_dates(client, "case")["page"] == public_dates(client, "other")["page"] == _at(NOW)


def feed_entries(client):
    """The site feed's entries by the anchor they link to: (updated, published)."""
    entries = feed_dates(client.get("/feed/"))["entries"]
    return {address.rpartition("#")[2]: (updated, published) for address, updated, published in entries}


def test_atom_published_is_when_the_public_could_first_see_an_incident(case, client):
    # Recorded internal at noon, made public at NOW, edited in public an hour later.
    made_public = _with(case.internal, visibility=Visibility.PUBLIC)
    made_public.save()
    # Recorded public an hour after noon, for a prisoner published only at NOW.
    _with(case.hidden, published=True).save()
    case.clock.shift(HOUR)
    _with(made_public, description="Beaten by guards.").save()
    entries = feed_entries(client)
    assert entries[made_public.anchor] == (_at(NOW + HOUR), _at(NOW))
    assert entries[case.hidden_incident.anchor] == (_at(NOW), _at(NOW))
    assert entries[case.incident.anchor] == (_at(NOON_ON_TODAY), _at(NOON_ON_TODAY))  # public from the start
    assert Incident.objects.get(pk=case.hidden_incident.pk).created == NOON_ON_TODAY + HOUR


def test_withdrawn_and_published_again_an_incident_keeps_its_first_publication(case, client):
    _with(case.incident, visibility=INTERNAL).save()
    case.clock.shift(HOUR)
    _with(case.incident, visibility=Visibility.PUBLIC).save()
    assert feed_entries(client)[case.incident.anchor] == (_at(NOW + HOUR), _at(NOON_ON_TODAY))


def anchors(client, slug):
    """Every anchor naming a record of the case: on its page, in its feed, in its JSON."""
    page = client.get(f"/prisoners/{slug}/").content.decode()
    feed = ET.fromstring(client.get(f"/prisoners/{slug}/feed/").content)
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    timeline = client.get(f"/prisoners/{slug}.json").json()["timeline"]
    return {
        "page": re.findall(r'id="((?:incident|contact|custody)-(?!heading")[^"]+)"', page),
        "feed": [address.rpartition("#")[2] for address in [*links, *ids]],
        "json": [entry["id"] for entry in timeline],
    }


def test_anchors_name_no_database_id_and_reveal_no_count(case, client):
    # Between two cases' records, internal ones of another: ids would count them.
    second = PrisonerFactory(slug="second", name="Second Person")
    for _ in range(5):
        IncidentFactory(prisoner=case.other, visibility=INTERNAL)
    IncidentFactory(prisoner=second)
    ContactFactory(prisoner=second)
    CustodyPeriodFactory(prisoner=second)
    records = {
        "case": [case.incident, case.contact, case.custody],
        "second": [*second.incidents.all(), *second.contacts.all(), *second.custody_periods.all()],
    }
    for slug, expected in records.items():
        found = anchors(client, slug)
        named = {f"{type(record).__name__.lower().replace('custodyperiod', 'custody')}-{record.public_id}"
                 for record in expected}  # fmt: skip
        assert set(found["page"]) == set(found["json"]) == named
        assert set(found["feed"]) == {name for name in named if name.startswith("incident-")}
        for anchor in [*found["page"], *found["feed"], *found["json"]]:
            kind, _, name = anchor.partition("-")
            assert PUBLIC_ID.fullmatch(name), anchor  # random letters, never a number that counts
        assert not {str(record.pk) for record in expected} & {anchor.partition("-")[2] for anchor in found["json"]}
    assert Incident.objects.get(pk=case.incident.pk).get_absolute_url() == f"/prisoners/case/#{case.incident.anchor}"


def test_every_record_gets_its_own_public_identifier_even_in_bulk(today):
    incidents = [IncidentFactory() for _ in range(3)]
    contacts = Contact.objects.bulk_create(
        [Contact(prisoner=incidents[0].prisoner, party=Party.FAMILY, date=D(2023, 1, day)) for day in (1, 2)]
    )
    identifiers = [record.public_id for record in [*incidents, *contacts]]
    assert len(set(identifiers)) == 5 and all(PUBLIC_ID.fullmatch(name) for name in identifiers)


def test_an_import_dates_a_published_case_only_by_what_it_adds_in_public(case, client):
    RegisterEntryFactory(prisoner=case.prisoner, register="Viasna", identifier="77")
    case.clock.shift(HOUR)
    before = public_dates(client)
    # A last contact from the register is recorded internal: nothing the public sees.
    assert run_import("name,register_id,last_lawyer_contact\nCase Person,77,02.05.2024\n").written
    assert case.prisoner.contacts.get(date=D(2024, 5, 2)).visibility == INTERNAL
    assert public_dates(client) == before
    case.clock.shift(HOUR)
    assert run_import("name,register_id,articles\nCase Person,77,ст. 342\n").written
    assert public_dates(client)["page"] == _at(NOW + 2 * HOUR)


def test_the_upgrade_dates_records_as_the_public_saw_them(clock):
    """The migrations' backfill: a case keeps the date the public saw; an incident was first published
    when its history first shows it public (and its prisoner published)."""
    prisoner = PrisonerFactory()
    incident = IncidentFactory(prisoner=prisoner, visibility=INTERNAL)
    clock.shift(HOUR)
    incident.visibility = Visibility.PUBLIC
    incident.save()
    clock.shift(HOUR)
    Incident.objects.filter(pk=incident.pk).update(updated=NOON_ON_TODAY + 2 * HOUR)  # an edit, as it was dated
    Incident.objects.update(public_changed=NOON_ON_TODAY - HOUR, published_at=None)  # as the migration finds them
    Prisoner.objects.update(public_changed=NOON_ON_TODAY - HOUR)
    # The migrations' functions, run on today's models (what they read has not changed since).
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    importlib.import_module("events.migrations.0006_public_metadata").date_publications(apps, editor)
    importlib.import_module("prisoners.migrations.0011_public_changed").date_last_public_changes(apps, editor)
    incident.refresh_from_db()
    assert (incident.published_at, incident.public_changed) == (NOON_ON_TODAY + HOUR, NOON_ON_TODAY + 2 * HOUR)
    assert Prisoner.objects.get(pk=prisoner.pk).public_changed == NOON_ON_TODAY + 2 * HOUR
