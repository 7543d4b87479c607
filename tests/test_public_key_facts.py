"""A case's key facts come first: status and time in detention, where held (with the postal address and how to write
there), sentence and expected release, lawyer and family contact, charges, as of when. The first screen on a phone is
checked in a real browser (tests/test_public_browser.py); this file pins down what the box says."""

import datetime

import pytest

from casetracker.dates import ApproximateDate, Precision, date_range
from prisoners.models import SentenceKind, Status
from tests.factories import (
    ChargeFactory,
    ContactFactory,
    CustodyPeriodFactory,
    FacilityFactory,
    PrisonerFactory,
    SentenceFactory,
)
from tests.public_site import page_text

D = datetime.date
pytestmark = pytest.mark.django_db
ADDRESS = "ul. Antoshkina 3\n246035 Homiel\nBelarus"


def key_facts(client, slug):
    page = page_text(client.get(f"/prisoners/{slug}/"))
    return page[page.index("Key facts") : page.index("Case facts")]


def test_the_demo_case_says_who_where_for_how_long_and_since_when_cut_off(demo, client):
    facts = key_facts(client, "maria-kalesnikava")
    assert facts.startswith(
        "Key facts Status Detained since September 2020: 3 years 8 months "
        "Held at Penal colony No. 4, Homiel (penal colony) "
        "Sentence 11 years (6 September 2021); expected release September 2031 "
        "Lawyer contact cut off None on record since 7 February 2023: at least 480 days (1 year 3 months) "
        "Family contact cut off None on record since mid-February 2023: at least 467 days (1 year 3 months) "
        "Charges extremism; trying to seize power; calls for actions causing harm to national security "
        "Information on record as of May 2023"
    )


def test_where_held_comes_with_the_postal_address_and_how_to_write(today, client):
    prisoner = PrisonerFactory(slug="p1", name="Ales Example", born=D(1985, 1, 1), born_precision=Precision.YEAR)
    CustodyPeriodFactory(prisoner=prisoner, facility=FacilityFactory(name="Colony", postal_address=ADDRESS))
    page = page_text(client.get("/prisoners/p1/"))
    assert "Letters to ul. Antoshkina 3, 246035 Homiel, Belarus How to write" in page
    assert "How to write to Ales Example Ales Example, born 1985 ul. Antoshkina 3 246035 Homiel Belarus" in page
    assert "write in Belarusian or Russian, about everyday life" in page


def test_the_facility_page_says_how_to_write_to_someone_held_there(today, client):
    facility = FacilityFactory(name="Colony", postal_address=ADDRESS)
    CustodyPeriodFactory(prisoner=PrisonerFactory(), facility=facility)
    page = page_text(client.get(facility.get_absolute_url()))
    assert "How to write to someone held here The person’s full name and year of birth ul. Antoshkina 3" in page


def test_no_address_no_letters_line(today, client):
    CustodyPeriodFactory(prisoner=PrisonerFactory(slug="p1"), facility=FacilityFactory(name="Colony"))
    page = page_text(client.get("/prisoners/p1/"))
    assert "Held at Colony, Homiel (penal colony)" in page
    assert "Letters to" not in page and "How to write" not in page


def test_a_released_prisoner_has_no_contact_lapse_or_place_of_custody(today, client):
    prisoner = PrisonerFactory(slug="p1", status=Status.RELEASED)
    CustodyPeriodFactory(prisoner=prisoner, facility=FacilityFactory(name="Colony"))
    ContactFactory(prisoner=prisoner, date=D(2021, 1, 1))
    facts = key_facts(client, "p1")
    assert facts.startswith("Key facts Status Released Information on record as of")
    assert "contact" not in facts and "Held at" not in facts


def test_a_death_is_said_in_the_key_facts(today, client):
    PrisonerFactory(
        slug="p1", status=Status.DECEASED, died=D(2023, 3, 3), died_in_custody=True, death_cause="heart failure"
    )
    assert key_facts(client, "p1").startswith(
        "Key facts Status Deceased Died in custody on 3 March 2023. Cause of death: heart failure."
    )


def test_a_sentence_without_release_and_charges_by_article(today, client):
    prisoner = PrisonerFactory(slug="p1")
    SentenceFactory(prisoner=prisoner, kind=SentenceKind.LIFE, term_years=0)
    ChargeFactory(prisoner=prisoner, article="Art. 357 part 1", label="conspiracy to seize power")
    ChargeFactory(prisoner=prisoner, article="Art. 361-1 part 1", label="")
    facts = key_facts(client, "p1")
    assert "Sentence Life imprisonment (6 September 2021) Lawyer contact" in facts
    assert "Charges conspiracy to seize power (Art. 357 part 1); Art. 361-1 part 1 Information" in facts


def test_the_print_view_dates_the_copy_and_prints_the_permanent_link_once(demo, client):
    html = client.get("/prisoners/maria-kalesnikava/").content.decode()
    assert '<p class="printed-on">Retrieved on 1 June 2024; information as of May 2023.</p>' in html
    assert '<a class="address" href="http://testserver/prisoners/maria-kalesnikava/">' in html


def test_a_date_range_says_what_both_ends_share_once():
    def a(year, month, day, precision=Precision.DAY):
        return ApproximateDate(D(year, month, day), precision)

    assert date_range(a(2022, 11, 1, Precision.MONTH), a(2022, 11, 28)) == "November – 28 November 2022"
    assert date_range(a(2022, 11, 28), a(2022, 12, 1, Precision.EARLY)) == "28 November – early December 2022"
    assert date_range(a(2023, 3, 6), a(2023, 3, 12)) == "6 – 12 March 2023"
    october_2020, december_2022 = a(2020, 10, 1, Precision.MONTH), a(2022, 12, 1, Precision.MONTH)
    assert date_range(october_2020, december_2022) == "October 2020 – December 2022"
    assert date_range(a(2022, 1, 1, Precision.YEAR), a(2022, 3, 1, Precision.MONTH)) == "2022 – March 2022"
    assert date_range(a(2023, 3, 6), a(2023, 3, 6)) == "6 March 2023"
    assert date_range(None, a(2022, 11, 28)) == "until 28 November 2022"
    assert date_range(a(2022, 12, 1, Precision.EARLY), None) == "early December 2022 – now"
    assert date_range(None, None) == "start not known – now"
    assert date_range(a(2023, 3, 6), None, open_end=None) == "6 March 2023"
    # Ends that overlap are written in full: shortened, "6 – March 2023" would read as a range within March.
    assert date_range(a(2023, 3, 6), a(2023, 3, 1, Precision.MONTH)) == "6 March 2023 – March 2023"
