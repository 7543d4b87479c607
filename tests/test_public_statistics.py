"""/statistics/: counts of the public record, drawn as SVG on the server, each with its numbers as a table and a CSV.
The numbers are the database's, from published cases only, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casetracker.dates import Precision
from events.models import Party
from prisoners.models import Prisoner, Status
from publicsite import statistics
from publicsite.models import CutOffCount, StatisticsCount
from publicsite.tasks import count_statistics, record_cut_off
from tests.factories import ChargeFactory, CustodyPeriodFactory, FacilityFactory, PrisonerFactory
from tests.public_site import page_text

pytestmark = pytest.mark.django_db

D = datetime.date


def rows(chart):
    return dict(chart.rows)


@pytest.fixture
def register(today):
    """Three published prisoners and one unpublished, with custody, detentions and charges (today: 1 June 2024)."""
    colony, prison = FacilityFactory(name="Colony"), FacilityFactory(name="Prison")
    first = PrisonerFactory(detained=D(2024, 1, 15))
    CustodyPeriodFactory(prisoner=first, facility=prison, start=D(2024, 1, 15), end=D(2024, 3, 10))
    CustodyPeriodFactory(prisoner=first, facility=colony, start=D(2024, 3, 10))  # held now
    released = PrisonerFactory(detained=D(2024, 2, 1), status=Status.RELEASED)
    CustodyPeriodFactory(prisoner=released, facility=colony, start=D(2024, 2, 1), end=D(2024, 4, 20))
    no_period = PrisonerFactory(detained=D(2024, 3, 1), detained_precision=Precision.MONTH)  # held, no period
    PrisonerFactory(detained=D(2023, 1, 1), detained_precision=Precision.YEAR, status=Status.RELEASED)
    hidden = PrisonerFactory(detained=D(2024, 1, 2), published=False)
    CustodyPeriodFactory(prisoner=hidden, facility=colony, start=D(2024, 1, 2))
    for prisoner in (first, released):
        ChargeFactory(prisoner=prisoner, article="Art. 342", label="gross violation of public order")
    ChargeFactory(prisoner=first, article="Art. 130", label="incitement")
    ChargeFactory(prisoner=no_period, article="", label="insulting the president")
    ChargeFactory(prisoner=hidden, article="Art. 361", label="calls")
    return colony, prison


def test_people_held_at_the_end_of_each_month(register):
    chart = statistics.held_over_time()
    assert chart.rows == [
        ("January 2024", 1),  # the unpublished prisoner is not counted
        ("February 2024", 2),
        ("March 2024", 3),  # a transfer within the month is one person; held without a period counts too
        ("April 2024", 2),  # released on 20 April
        ("May 2024", 2),
        ("June 2024", 2),
    ]


def test_someone_held_with_no_date_to_count_from_is_noted_not_counted(today):
    PrisonerFactory(status=Status.DETAINED, detained=D(2024, 3, 2))
    PrisonerFactory(status=Status.DETAINED, detained=None)  # no detention date, no custody period
    chart = statistics.held_over_time()
    assert chart.rows[0] == ("March 2024", 1)
    assert "1 person with no date to count from or to on record cannot be placed" in chart.note


def test_a_death_ends_an_open_period_and_a_release_without_an_end_is_noted(today):
    died = PrisonerFactory(status=Status.DECEASED, detained=D(2024, 1, 10), died=D(2024, 3, 5), died_in_custody=True)
    CustodyPeriodFactory(prisoner=died, start=D(2024, 1, 10))  # never closed: the death closes it
    released = PrisonerFactory(status=Status.RELEASED, detained=D(2024, 2, 1))
    CustodyPeriodFactory(prisoner=released, start=D(2024, 2, 1))  # released, no end on record
    chart = statistics.held_over_time()
    assert chart.rows[:4] == [("January 2024", 1), ("February 2024", 1), ("March 2024", 0), ("April 2024", 0)]
    assert "1 person with no date to count from or to on record cannot be placed" in chart.note


def test_a_period_is_never_counted_from_after_its_end(today):
    # Re-arrested and released again: the detention date is the later arrest's, after the earlier period's end.
    prisoner = PrisonerFactory(status=Status.RELEASED, detained=D(2024, 4, 1))
    CustodyPeriodFactory(prisoner=prisoner, start=None, end=D(2024, 2, 15))
    assert {count for _, count in statistics.held_over_time().rows} == {0}


def test_new_detentions_by_month_with_those_known_only_to_the_year_in_the_note(register):
    chart = statistics.detentions_per_month()
    assert chart.rows == [("January 2024", 1), ("February 2024", 1), ("March 2024", 1)] + [
        (month, 0) for month in ("April 2024", "May 2024", "June 2024")
    ]
    assert "1 known only to the year are not shown" in chart.note


def test_people_by_charge_article_and_by_facility_held_now(register):
    assert statistics.by_article().rows == [("Art. 342", 2), ("Art. 130", 1), ("insulting the president", 1)]
    assert statistics.by_facility().rows == [("Colony, Homiel", 1)]


def test_a_person_counts_once_under_an_article_however_the_charges_are_worded(today):
    prisoner = PrisonerFactory()
    ChargeFactory(prisoner=prisoner, article="Art. 342", label="gross violation of public order")
    ChargeFactory(prisoner=prisoner, article="Art. 342", label="")
    ChargeFactory(prisoner=prisoner, article="", label="extremism")
    ChargeFactory(prisoner=PrisonerFactory(), article="", label="extremism")
    assert statistics.by_article().rows == [("extremism", 2), ("Art. 342", 1)]


def test_the_page_draws_each_chart_with_its_numbers_and_csv(register, client):
    response = client.get("/statistics/")
    html, page = response.content.decode(), page_text(response)
    assert html.count('role="img"') == 6 and "<script" not in html
    assert "People held, month by month" in page and "March 2024 3 April 2024 2" in page
    assert "Art. 342 2 Art. 130 1 insulting the president 1" in page
    # A column per month (held, detentions, and this month's cut-off counts: both held are), a bar per category.
    assert html.count("<rect ") == 6 + 6 + 1 + 1 + 3 + 1
    assert "Cut off from a lawyer, month by month" in page and "June 2024 2" in page
    assert '<a href="/statistics/held.csv">' in html
    assert "Art. 361" not in page  # an unpublished prisoner's charge


def test_each_chart_as_csv_equals_its_table(register, client):
    response = client.get("/statistics/charges.csv")
    body = response.content.decode()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body == (
        "\ufeffCharge (article),People charged\r\nArt. 342,2\r\nArt. 130,1\r\ninsulting the president,1\r\n"
    )
    assert client.get("/statistics/nothing.csv").status_code == 404


def test_the_counts_take_a_fixed_number_of_queries(register, client):
    def queries():
        PrisonerFactory()  # a public change: counted afresh, not as kept
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/statistics/").status_code == 200
        return len(captured)

    before = queries()
    for _ in range(5):
        prisoner = PrisonerFactory(detained=D(2024, 5, 1))
        CustodyPeriodFactory(prisoner=prisoner, start=D(2024, 5, 1), facility=FacilityFactory())
        ChargeFactory(prisoner=prisoner, article="Art. 369")
    assert queries() == before


def test_the_counts_are_kept_until_a_public_change_which_shows_at_once(register, client):
    def charges_and_queries():
        with CaptureQueriesContext(connection) as captured:
            page = page_text(client.get("/statistics/"))
        return page[page.index("People by charge") :], len(captured)

    counted, counting = charges_and_queries()
    kept, reading = charges_and_queries()
    assert kept == counted and reading < counting - 3  # the four counts over the register, read in one query
    assert StatisticsCount.objects.get().day == D(2024, 6, 1)
    prisoner = PrisonerFactory()
    ChargeFactory(prisoner=prisoner, article="Art. 999", label="a charge of one case")
    assert "Art. 999 1" in charges_and_queries()[0]
    prisoner.published = False
    prisoner.save()  # withdrawn: its charge leaves the statistics with it
    assert "Art. 999" not in charges_and_queries()[0]
    body = client.get("/statistics/charges.csv").content.decode()
    assert "Art. 999" not in body and "Art. 342,2" in body


def test_a_write_no_signal_reports_reaches_kept_counts_within_their_time(register, client, clock):
    def charges():
        return dict(statistics.counted()["charges"].rows)

    prisoner = PrisonerFactory()
    ChargeFactory(prisoner=prisoner, article="", label="a charge of one case")
    assert "a charge of one case 1" in page_text(client.get("/statistics/"))
    Prisoner.objects.filter(pk=prisoner.pk).update(published=False)  # no signal, no new page version
    assert "a charge of one case" in charges()  # kept: nothing said it changed
    clock.shift(datetime.timedelta(seconds=statistics.KEPT_SECONDS - 30))
    count_statistics()  # beat, every minute: past half their time, counted again
    assert "a charge of one case" not in [label for label, _ in StatisticsCount.objects.get().charts["charges"]["rows"]]
    assert "a charge of one case" not in charges()
    Prisoner.objects.filter(pk=prisoner.pk).update(published=True)
    clock.shift(datetime.timedelta(seconds=statistics.KEPT_SECONDS + 1))  # no beat since: the reader counts
    assert "a charge of one case 1" in page_text(client.get("/statistics/"))  # (the cached page has expired too)


def test_counts_kept_by_other_code_are_never_shown(register, client):
    client.get("/statistics/")
    kept = StatisticsCount.objects.get()
    kept.format, kept.charts = "0:an older layout", {"held": kept.charts["held"]}  # as a deploy's old process kept them
    kept.save()
    page = page_text(client.get("/statistics/"))
    assert "Art. 342 2" in page and "Colony" in page
    assert StatisticsCount.objects.get().format == statistics.KEPT_FORMAT


def test_kept_counts_run_to_the_day_they_were_counted_for(register, client, clock):
    assert "June 2024 2" in page_text(client.get("/statistics/"))
    clock.shift(datetime.timedelta(days=30))  # 1 July: held still, one more month to show
    assert "June 2024 2 July 2024 2" in page_text(client.get("/statistics/"))
    assert StatisticsCount.objects.get().day == D(2024, 7, 1)


def test_the_page_shows_the_largest_categories_and_the_csv_has_them_all(today, client, monkeypatch):
    monkeypatch.setattr(statistics, "TOP", 2)
    for article in ("Art. 1", "Art. 2", "Art. 3"):
        ChargeFactory(article=article)
    page = page_text(client.get("/statistics/"))
    assert "Art. 1 1 Art. 2 1 The 2 largest of 3: all are in the CSV." in page and "Art. 3 1" not in page
    body = client.get("/statistics/charges.csv").content.decode()
    assert body.endswith("Art. 1,1\r\nArt. 2,1\r\nArt. 3,1\r\n")


def test_an_empty_register_has_nothing_to_count(today, client):
    page = page_text(client.get("/statistics/"))
    assert page.count("Nothing to count yet.") == 4  # cut-off charts always have today's count: 0
    assert "Cut off from a lawyer, month by month" in page


def test_the_day_s_cut_off_counts_are_kept_and_replaced_the_same_day(demo, clock):
    row = statistics.record_cut_off()
    assert (row.day, row.lawyer, row.family) == (D(2024, 6, 1), 6, 6)  # the demo's six, past both thresholds
    statistics.record_cut_off()
    assert CutOffCount.objects.count() == 1


def test_cut_off_over_time_shows_each_month_s_last_count_and_today_s(demo, clock):
    CutOffCount.objects.create(day=D(2024, 2, 10), lawyer=5, family=7)
    CutOffCount.objects.create(day=D(2024, 2, 28), lawyer=4, family=6)  # the month's last count
    CutOffCount.objects.create(day=D(2024, 4, 30), lawyer=3, family=2)
    assert statistics.cut_off_over_time(Party.LAWYER).rows == [
        ("February 2024", 4),
        ("March 2024", None),  # nothing counted that month
        ("April 2024", 3),
        ("May 2024", None),
        ("June 2024", 6),  # today's, counted now
    ]
    assert [count for _, count in statistics.cut_off_over_time(Party.FAMILY).rows] == [6, None, 2, None, 6]


def test_a_month_not_counted_says_so_in_the_table_and_csv(demo, clock, client):
    CutOffCount.objects.create(day=D(2024, 4, 30), lawyer=3, family=2)
    page = page_text(client.get("/statistics/"))
    assert "April 2024 3 May 2024 not counted June 2024 6" in page
    body = client.get("/statistics/cut-off-lawyer.csv").content.decode()
    assert body == "\ufeffMonth,People cut off\r\nApril 2024,3\r\nMay 2024,\r\nJune 2024,6\r\n"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_beat_s_statistics_tasks_count_on_a_real_worker(worker):
    schedule = worker.conf.beat_schedule["record-cut-off"]
    assert (schedule["task"], str(schedule["schedule"])) == (
        "publicsite.tasks.record_cut_off",
        "<crontab: 30 3 * * * (m/h/dM/MY/d)>",
    )
    assert worker.conf.beat_schedule["count-statistics"] == {
        "task": "publicsite.tasks.count_statistics",
        "schedule": 60,
    }
    CustodyPeriodFactory(prisoner=PrisonerFactory(detained=D(2020, 9, 1)), start=D(2020, 9, 1))  # no contact since
    result = record_cut_off.apply_async(ignore_result=False).get(timeout=60)
    assert (result["lawyer"], result["family"]) == (1, 1)
    assert CutOffCount.objects.get().lawyer == 1
    count_statistics.apply_async(ignore_result=False).get(timeout=60)
    kept = StatisticsCount.objects.get()
    assert kept.charts["held"]["rows"][-1] == [f"{kept.day:%B} {kept.day.year}", 1]  # held now, kept for the page
