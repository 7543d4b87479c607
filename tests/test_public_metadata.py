"""Public metadata from public facts only: an anchor on a public page names no database id, which
would count the records in between, internal ones included."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from events.models import Contact, Incident, IncidentKind, Party, Visibility
from tests.conftest import NOON_ON_TODAY
from tests.factories import ContactFactory, CustodyPeriodFactory, IncidentFactory, LawyerFactory, PrisonerFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HOUR = datetime.timedelta(hours=1)
NOW = NOON_ON_TODAY + datetime.timedelta(days=1)  # when each test changes the records: the next day
ATOM = "{http://www.w3.org/2005/Atom}"
INTERNAL = Visibility.INTERNAL
PUBLIC_ID = re.compile(r"[a-z2-7]{12}")


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


def anchors(client, slug):
    """Every anchor naming a record of the case: on its page, in its feed, in its JSON."""
    page = client.get(f"/prisoners/{slug}/").content.decode()
    feed = ET.fromstring(client.get(f"/prisoners/{slug}/feed/").content)
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    timeline = client.get(f"/prisoners/{slug}.json").json()["timeline"]
    return {
        "page": re.findall(r'<li id="([^"]+)" class="entry', page),
        "feed": [address.rpartition("#")[2] for address in [*links, *ids]],
        "json": [entry["id"] for entry in timeline],
    }


def test_anchors_name_no_database_id_and_reveal_no_count(case, client):
    # Between two cases' records, internal ones of another: ids would count them.
    second = PrisonerFactory(slug="second")
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
