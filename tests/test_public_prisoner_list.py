"""The public prisoner list: search across every name variant, filters, sorting, pagination, bad input."""

import base64
import csv
import datetime
import html
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casetracker.demo import OTHER_PRISONERS
from prisoners.status import Status
from publicsite.views import PAGE_SIZE
from tests.factories import (
    ContactFactory,
    CustodyPeriodFactory,
    FacilityFactory,
    NameVariantFactory,
    PrisonerFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = "/prisoners/"


def names(response):
    assert response.status_code == 200
    return [prisoner.name for prisoner in response.context["page"].object_list]


@pytest.mark.parametrize(
    "query", ["Kolesnikova", "kalesnikova", "Калеснікава", "Колесникова", "Maryia Kalesnikava", "  KALESNIKAVA "]
)
def test_search_finds_every_name_variant_and_no_one_else(demo, client, query):
    assert names(client.get(LIST, {"q": query})) == ["Maria Kalesnikava"]


def test_search_without_a_match_says_so(demo, client):
    response = client.get(LIST, {"q": "Nobody Atall"})
    assert names(response) == [] and "No one matches." in response.content.decode()


def test_without_filters_lists_every_published_prisoner_by_name(demo, client):
    PrisonerFactory(name="Aaron Unpublished", published=False)
    assert names(client.get(LIST)) == sorted(["Maria Kalesnikava", *OTHER_PRISONERS])


def test_filters_by_status(today, client):
    PrisonerFactory(name="Held")
    PrisonerFactory(name="Freed", status=Status.RELEASED)
    assert names(client.get(LIST, {"status": "released"})) == ["Freed"]


def test_filters_by_the_facility_and_region_where_someone_is_held_now(today, client):
    colony = FacilityFactory(name="Colony", region="Homiel Region")
    prison = FacilityFactory(name="Prison", region="Minsk Region")
    now_in_colony = PrisonerFactory(name="Now in the colony")
    CustodyPeriodFactory(prisoner=now_in_colony, facility=colony)
    moved = PrisonerFactory(name="Moved to prison")
    CustodyPeriodFactory(prisoner=moved, facility=colony, start=D(2021, 1, 1), end=D(2022, 1, 1))
    CustodyPeriodFactory(prisoner=moved, facility=prison, start=D(2022, 1, 1))
    released = PrisonerFactory(name="Released", status=Status.RELEASED)
    CustodyPeriodFactory(prisoner=released, facility=colony)
    assert names(client.get(LIST, {"facility": colony.slug})) == ["Now in the colony"]
    assert names(client.get(LIST, {"region": "Minsk Region"})) == ["Moved to prison"]
    html = client.get(LIST).content.decode()
    assert f'<option value="{colony.slug}">Colony, Homiel</option>' in html
    assert '<option value="Homiel Region">Homiel Region</option>' in html


def test_the_filter_form_keeps_the_chosen_facility_and_region_and_escapes_their_names(today, client):
    facility = FacilityFactory(name="Prison <No. 1> & Co", city="", region="Brest & Region")
    CustodyPeriodFactory(facility=facility)
    html = client.get(LIST, {"facility": facility.slug, "region": "Brest & Region"}).content.decode()
    assert f'<option value="{facility.slug}" selected>Prison &lt;No. 1&gt; &amp; Co</option>' in html
    assert '<option value="Brest &amp; Region" selected>Brest &amp; Region</option>' in html
    assert '<select name="facility" id="id_facility">' in html


def test_filters_those_cut_off_from_their_lawyer_or_family_now(today, client):
    PrisonerFactory(name="Cut off from both")
    in_touch = PrisonerFactory(name="Lawyer visits")
    ContactFactory(prisoner=in_touch, date=D(2024, 5, 20))
    assert names(client.get(LIST, {"cut_off_lawyer": "on"})) == ["Cut off from both"]
    assert names(client.get(LIST, {"cut_off_family": "on"})) == ["Cut off from both", "Lawyer visits"]


def test_cut_off_counts_public_contacts_only(today, client):
    prisoner = PrisonerFactory(name="Seen only internally")
    ContactFactory(prisoner=prisoner, date=D(2024, 5, 30), visibility="internal")
    assert names(client.get(LIST, {"cut_off_lawyer": "on"})) == ["Seen only internally"]


def test_sorts_by_name_date_detained_and_days_since_contact(today, client):
    PrisonerFactory(name="Bea", detained=D(2021, 1, 1))
    cy = PrisonerFactory(name="Cy", detained=D(2020, 1, 1))
    ContactFactory(prisoner=cy, date=D(2024, 5, 1), party="family")
    PrisonerFactory(name="Al", detained=D(2022, 1, 1), status=Status.RELEASED)
    PrisonerFactory(name="Di", detained=None)
    assert names(client.get(LIST, {"sort": "name"})) == ["Al", "Bea", "Cy", "Di"]
    assert names(client.get(LIST, {"sort": "detained"})) == ["Cy", "Bea", "Al", "Di"]
    assert names(client.get(LIST, {"sort": "-detained"})) == ["Al", "Bea", "Cy", "Di"]
    # Longest cut off first; unknown lapses, then those no longer in custody, last.
    assert names(client.get(LIST, {"sort": "lawyer"})) == ["Cy", "Bea", "Di", "Al"]
    assert names(client.get(LIST, {"sort": "family"})) == ["Bea", "Cy", "Di", "Al"]


def follow(client, response, rel):
    """The page a "Next" or "Previous" link leads to."""
    link = re.search(rf'<a href="\?([^"]+)" rel="{rel}">', response.content.decode())
    return client.get(f"{LIST}?{html.unescape(link.group(1))}")


def test_pages_follow_each_other_and_keep_the_filters(today, client):
    for n in range(2 * PAGE_SIZE + 3):
        PrisonerFactory(name=f"Held {n:02}")
    PrisonerFactory(name="Freed", status=Status.RELEASED)
    first = client.get(LIST, {"status": "detained", "sort": "name"})
    assert names(first) == [f"Held {n:02}" for n in range(PAGE_SIZE)]
    assert "53 people, 25 on this page." in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    second = follow(client, first, "next")
    assert names(second) == [f"Held {n:02}" for n in range(PAGE_SIZE, 2 * PAGE_SIZE)]
    third = follow(client, second, "next")
    assert names(third) == ["Held 50", "Held 51", "Held 52"] and 'rel="next"' not in third.content.decode()
    assert "status=detained" in third.request["QUERY_STRING"] and "sort=name" in third.request["QUERY_STRING"]
    assert names(follow(client, third, "prev")) == names(second)
    back_to_first = follow(client, second, "prev")
    assert names(back_to_first) == names(first) and 'rel="prev"' not in back_to_first.content.decode()


@pytest.mark.parametrize("sort", ["name", "detained", "-detained", "lawyer", "family"])
def test_every_sort_pages_through_everyone_once_in_order(today, client, sort):
    for n in range(2 * PAGE_SIZE + 7):
        prisoner = PrisonerFactory(
            name=f"P{n % 5}",  # ties, broken by the primary key
            detained=None if n % 4 == 0 else D(2020, 1 + n % 3, 1),
            status=Status.RELEASED if n % 6 == 0 else Status.DETAINED,
        )
        if n % 3 == 0:
            ContactFactory(prisoner=prisoner, party="family", date=D(2024, 1, 1 + n % 7))
    everyone = names(client.get(LIST, {"sort": sort, "q": ""}))  # the first page
    page = client.get(LIST, {"sort": sort})
    seen = names(page)
    while 'rel="next"' in page.content.decode():
        page = follow(client, page, "next")
        seen += names(page)
    assert len(seen) == 2 * PAGE_SIZE + 7 and seen[:PAGE_SIZE] == everyone
    ordered = [
        row["name"]
        for row in csv.DictReader(
            io.StringIO(client.get("/prisoners.csv", {"sort": sort}).getvalue().decode("utf-8-sig"))
        )  # noqa: E501
    ]
    assert seen == ordered  # the pages and the export agree on the order


def test_download_links_keep_the_filters_but_not_the_position(today, client):
    PrisonerFactory()
    html = client.get(LIST, {"status": "detained", "after": "", "before": ""}).content.decode()
    assert 'href="/prisoners.csv?status=detained">CSV</a>' in html
    assert 'href="/prisoners.json?status=detained">JSON</a>' in html


@pytest.mark.parametrize("cursor", ["abc", "0", "-1", "\x00", "W1siYSJdLFsxXV0", "eyJub3QiOiAibGlzdCJ9"])
def test_a_damaged_page_link_is_not_found(demo, client, cursor):
    assert client.get(LIST, {"after": cursor}).status_code == 404
    assert client.get(LIST, {"before": cursor}).status_code == 404


def test_page_links_name_no_database_id_or_sort_value(today, client):
    """A cursor holds the last row's sort values, its id among them: ids would count the records made in
    between, internal ones too. It is encrypted; a link written by hand from what it held is damaged."""
    for n in range(PAGE_SIZE + 1):
        PrisonerFactory(name=f"Held {n:02}")
    page = client.get(LIST).context["page"]
    last = page.object_list[-1]
    raw = base64.urlsafe_b64decode(page.next_cursor + "=" * (-len(page.next_cursor) % 4))
    assert b"Held" not in raw and b"name" not in raw
    with pytest.raises(ValueError):
        json.loads(raw)
    assert client.get(LIST, {"after": page.next_cursor}).context["page"].object_list[0].name == "Held 25"
    forged = base64.urlsafe_b64encode(json.dumps([["name", "pk"], [last.name, last.pk]]).encode()).decode()
    assert client.get(LIST, {"after": forged.rstrip("=")}).status_code == 404


def test_a_page_link_of_another_sort_is_not_found(today, client):
    for n in range(PAGE_SIZE + 1):
        PrisonerFactory(name=f"Held {n:02}")
    cursor = client.get(LIST, {"sort": "detained"}).context["page"].next_cursor
    assert client.get(LIST, {"sort": "name", "after": cursor}).status_code == 404


def test_any_page_costs_the_same_queries(today, client):
    for n in range(3 * PAGE_SIZE):
        PrisonerFactory(name=f"Held {n:02}")
    first = client.get(LIST)
    with CaptureQueriesContext(connection) as on_first:
        client.get(LIST, {"q": ""})
    page = follow(client, follow(client, first, "next"), "next")
    with CaptureQueriesContext(connection) as on_third:
        client.get(f"{LIST}?{page.request['QUERY_STRING']}&q=")
    assert len(on_third.captured_queries) == len(on_first.captured_queries)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"status": "nonsense"}, "Status: Select a valid choice. nonsense is not one of the available choices."),
        ({"facility": "no-such-facility"}, "Held at: Select a valid choice."),
        ({"facility": "\x00"}, "Held at: Select a valid choice."),
        ({"region": "Atlantis"}, "Region: Select a valid choice."),
        ({"sort": "shoe-size"}, "Sort by: Select a valid choice."),
        ({"q": "k" * 10_000}, "Name: Ensure this value has at most 200 characters (it has 10000)."),
        ({"q": "nul\x00"}, "Name: Null characters are not allowed."),
    ],
)
def test_bad_filters_give_a_normal_page_with_a_message(demo, client, params, message):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert message in response.context["filter_errors"][0]
    assert "This filter could not be used and was ignored:" in response.content.decode()
    assert len(names(response)) == 6


def test_the_form_is_labelled(demo, client):
    html = client.get(LIST).content.decode()
    for field in ["q", "status", "facility", "region", "cut_off_lawyer", "cut_off_family", "sort"]:
        assert f'for="id_{field}"' in html and f'id="id_{field}"' in html
    assert 'type="search"' in html and 'aria-describedby="id_q_help"' in html and 'id="id_q_help"' in html


def test_shows_where_each_is_held_and_the_lapses(demo, client):
    html = client.get(LIST, {"q": "Kalesnikava"}).content.decode()
    assert '<a href="/facilities/penal-colony-no-4-homiel/">Penal colony No. 4, Homiel</a>' in html
    assert "480 days" in html and "since 7 February 2023" in html
    assert "467 days" in html and "since mid-February 2023" in html
    # Each spelling in its language, for screen readers.
    assert (
        '<span lang="en">Kalesnikova</span> · <span lang="en">Kolesnikova</span> · <span lang="en">Maryia Kalesnikava'
        '</span> · <span lang="be">Калеснікава</span> · <span lang="ru">Колесникова</span>'
    ) in html


def test_runs_the_same_few_queries_however_many_rows(today, client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # the page's own queries, not the page cache's

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"sort": "lawyer"}).status_code == 200
        return len(captured)

    def add_prisoner():
        prisoner = PrisonerFactory()
        NameVariantFactory(prisoner=prisoner)
        CustodyPeriodFactory(prisoner=prisoner)
        ContactFactory(prisoner=prisoner)

    for _ in range(PAGE_SIZE + 1):  # more than a page: the count is a query of its own
        add_prisoner()
    few = queries()
    for _ in range(2 * PAGE_SIZE):
        add_prisoner()
    assert queries() == few <= 13


def test_a_result_on_one_page_is_counted_without_another_query(today, client):
    for n in range(3):
        PrisonerFactory(name=f"Ales {n}")
    PrisonerFactory(name="Someone Else")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, {"q": "Ales"})
    assert response.context["count"] == 3
    assert not [query for query in captured if query["sql"].startswith("SELECT COUNT(*)")]
    for n in range(PAGE_SIZE):
        PrisonerFactory(name=f"Ales the {n}th")
    assert client.get(LIST, {"q": "Ales"}).context["count"] == PAGE_SIZE + 3
