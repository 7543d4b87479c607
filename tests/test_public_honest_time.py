"""The public pages say how old their information is: a case file states the date of its newest public fact,
lapses read "on record" and "at least" with the years and months beside the day count, the time in detention
likewise, machine-readable times are valid HTML, and the CSV opens in a spreadsheet with its Cyrillic intact."""

import datetime
import re

import pytest

from casetracker.dates import Precision
from casetracker.text import span
from events.models import Party, Visibility
from prisoners.status import Status
from tests.factories import ContactFactory, CustodyPeriodFactory, IncidentFactory, NameVariantFactory, PrisonerFactory
from tests.public_site import page_text

pytestmark = pytest.mark.django_db
D = datetime.date
CASE = "/prisoners/maria-kalesnikava/"


@pytest.mark.parametrize(
    "start, end, words",
    [
        (D(2020, 9, 30), D(2024, 6, 1), "3 years 8 months"),
        (D(2023, 2, 7), D(2024, 6, 1), "1 year 3 months"),
        (D(2024, 2, 20), D(2024, 6, 1), "3 months 12 days"),
        (D(2023, 1, 31), D(2023, 3, 1), "1 month 1 day"),  # 31 January + 1 month is 28 February
        (D(2020, 2, 29), D(2021, 2, 28), "1 year"),  # a leap day's anniversary is the month's last day
        (D(2024, 5, 25), D(2024, 6, 1), "7 days"),
        (D(2024, 6, 1), D(2024, 6, 1), "0 days"),
        (D(2019, 6, 1), D(2024, 6, 30), "5 years"),  # the two largest units from the first: never "5 years 29 days"
    ],
)
def test_a_span_reads_in_its_two_largest_calendar_units(start, end, words):
    assert span(start, end) == words


def test_the_case_file_is_dated_by_its_newest_public_fact(demo, client):
    page = page_text(client.get(CASE))
    # The demo's newest facts: May 2023 (her health) and "2023" (the five others' denials are not hers).
    assert "Information on record as of May 2023, the date of the newest public fact in this case file." in page
    assert "The newest information on record is from May 2023: a contact since then may not have been reported." in page
    assert "Information as of May 2023 (the newest public fact)." in page
    as_of = client.get("/prisoners/maria-kalesnikava.json").json()["as_of"]
    assert as_of == {"as_written": "May 2023", "earliest": "2023-05-01", "latest": "2023-05-31"}


def test_the_page_says_how_to_cite_it_with_its_date(demo, client):
    page = page_text(client.get(CASE))
    assert (
        "Cite this page: Casetracker, “Maria Kalesnikava”, information as of May 2023, "
        "http://testserver/prisoners/maria-kalesnikava/ (accessed 1 June 2024)."
    ) in page


def test_an_internal_fact_never_dates_the_public_file(today, client):
    prisoner = PrisonerFactory(slug="case")
    IncidentFactory(prisoner=prisoner, start=D(2023, 3, 1))
    IncidentFactory(prisoner=prisoner, start=D(2024, 5, 1), visibility=Visibility.INTERNAL)
    ContactFactory(prisoner=prisoner, date=D(2024, 5, 20), visibility=Visibility.INTERNAL)
    page = page_text(client.get("/prisoners/case/"))
    assert "Information on record as of 1 March 2023," in page and "Information as of 1 March 2023" in page
    assert "May 2024" not in page


def test_a_vaguer_date_never_makes_the_file_look_fresher(today, client):
    prisoner = PrisonerFactory(slug="case")
    IncidentFactory(prisoner=prisoner, start=D(2023, 5, 10), start_precision=Precision.MONTH)
    IncidentFactory(prisoner=prisoner, start=D(2023, 1, 1), start_precision=Precision.YEAR)  # "2023": any month
    assert "Information on record as of May 2023," in page_text(client.get("/prisoners/case/"))


def test_the_end_of_a_period_dates_the_file(today, client):
    prisoner = PrisonerFactory(slug="case")
    CustodyPeriodFactory(prisoner=prisoner, start=D(2021, 1, 1), end=D(2023, 11, 28))
    IncidentFactory(prisoner=prisoner, start=D(2023, 6, 1), end=D(2023, 8, 15))
    assert "Information on record as of 28 November 2023," in page_text(client.get("/prisoners/case/"))


def test_the_other_dates_the_page_shows_count_too(today, client):
    prisoner = PrisonerFactory(slug="case", status=Status.DECEASED, died=D(2021, 5, 21))
    IncidentFactory(prisoner=prisoner, start=D(2020, 10, 1))
    assert "Information on record as of 21 May 2021," in page_text(client.get("/prisoners/case/"))


def test_a_file_with_nothing_dated_claims_no_date(today, client):
    PrisonerFactory(slug="case", detained=None)
    page = page_text(client.get("/prisoners/case/"))
    assert "as of" not in page and "No events on public record yet." in page


def test_lapses_and_detention_read_as_minimums_in_years_and_days(demo, client):
    page = page_text(client.get(CASE))
    assert "No lawyer contact on record for at least 480 days (1 year 3 months), since 7 February 2023" in page
    assert "Counted up to today from the last contact." in page
    assert "In detention 3 years 8 months (1,340 days, from the latest day “September 2020” can mean)" in page


def test_a_lapse_under_a_month_gives_the_days_once(today, client):
    prisoner = PrisonerFactory(slug="case", detained=D(2024, 5, 20))
    ContactFactory(prisoner=prisoner, party=Party.FAMILY, date=D(2024, 5, 25))
    page = page_text(client.get("/prisoners/case/"))
    assert "No family contact on record for at least 7 days, since 25 May 2024" in page
    assert "In detention 12 days" in page


def test_a_last_date_that_can_still_mean_a_day_to_come_gives_no_count(today, client):
    """ "June 2024" read on 1 June 2024 can mean any day of June: no count yet, never "at least -29 days"."""
    prisoner = PrisonerFactory(
        slug="case", name="Case Person", detained=D(2024, 1, 1), detained_precision=Precision.YEAR
    )
    ContactFactory(prisoner=prisoner, party=Party.FAMILY, date=D(2024, 6, 1), date_precision=Precision.MONTH)
    page = page_text(client.get("/prisoners/case/"))
    assert "No family contact on record since June 2024" in page and "-" not in page.split("Contact with")[1][:200]
    assert "In detention" not in page and "Detained 2024" in page
    assert "recent since June 2024" in page_text(client.get("/prisoners/", {"q": "Case Person"}))


def test_the_list_says_at_least_and_how_long(demo, client):
    page = page_text(client.get("/prisoners/", {"q": "Kalesnikava"}))
    assert "at least 480 days cut off 1 year 3 months, since 7 February 2023" in page
    assert "counted up to today from the last contact on record: at least that long" in page


def test_the_last_change_is_a_valid_html_date_and_time(demo, client):
    html = client.get(CASE).content.decode()
    (moment,) = re.findall(r'Last updated <time datetime="([^"]+)"', html)
    # HTML allows at most three digits of a second; Django's "c" format wrote six.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+|-)\d\d:\d\d", moment), moment


def test_the_csv_opens_in_a_spreadsheet_with_its_cyrillic_intact(today, client):
    prisoner = PrisonerFactory(slug="ihar-losik", name="Ihar Losik")
    NameVariantFactory(prisoner=prisoner, name="Ігар Лосік")
    body = b"".join(client.get("/prisoners.csv").streaming_content)
    # A byte order mark first: without it spreadsheet programs read the file in a legacy code page.
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.startswith("slug,") and "Ігар Лосік" in text


def test_the_list_says_how_recent_each_case_s_information_is(demo, client):
    """The same date as the case page, from the same rule (casefile.information_as_of), for a page of the list."""
    quiet = PrisonerFactory(name="Quiet Case", detained=D(2021, 4, 1), detained_precision=Precision.MONTH)
    IncidentFactory(prisoner=quiet, start=D(2022, 1, 1), start_precision=Precision.YEAR)
    IncidentFactory(prisoner=quiet, start=D(2023, 6, 5), visibility="internal")  # never dates it
    page = page_text(client.get("/prisoners/"))
    assert "Maria Kalesnikava Kalesnikova" in page
    assert "Калеснікава · Колесникова · Мария Колесникова · Марыя Калеснікава information as of May 2023" in page
    assert "Quiet Case information as of 2022" in page
    assert "Information on record as of May 2023," in page_text(client.get("/prisoners/maria-kalesnikava/"))
