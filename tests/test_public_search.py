"""Searching the public site: a search box in the header of every page (no JavaScript), best match first, the
spelling that matched, the nearest names when nothing does, the query and count in the title, names in their
language for screen readers, facility search, and no input is an error."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import FacilityFactory, NameVariantFactory, PrisonerFactory

pytestmark = pytest.mark.django_db
LIST = "/prisoners/"
PAGES = ["/", LIST, "/prisoners/maria-kalesnikava/", "/facilities/", "/facilities/penal-colony-no-4-homiel/", "/data/"]


def names(response):
    assert response.status_code == 200
    return [prisoner.name for prisoner in response.context["page"].object_list]


def title(response):
    return re.search("<title>(.*?)</title>", response.content.decode()).group(1)


@pytest.mark.parametrize("path", [*PAGES, "/nowhere/"])
def test_every_page_has_a_search_box_in_its_header(demo, client, path):
    html = client.get(path).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert '<form class="site-search" role="search" method="get" action="/prisoners/">' in header
    assert '<label class="visually-hidden" for="site-search">Find a person by any spelling</label>' in header
    assert '<input type="search" id="site-search" name="q" maxlength="200"' in header
    assert "<script" not in html


@pytest.mark.parametrize(
    "query, matched",
    [
        ("Maria Kolesnikova", '<span lang="en">Kolesnikova</span>'),
        ("Мария Колесникова", '<span lang="ru">Мария Колесникова</span>'),
        ("Марыя Калеснікава", '<span lang="be">Марыя Калеснікава</span>'),
        ("Kolesnikova Maria", '<span lang="en">Kolesnikova</span>'),
    ],
)
def test_a_search_names_the_spelling_that_matched_and_says_what_it_found(demo, client, query, matched):
    response = client.get(LIST, {"q": query})
    assert names(response) == ["Maria Kalesnikava"]
    assert f'<span class="matched">matched: {matched}</span>' in response.content.decode()
    assert title(response) == f"“{query}”: 1 person found · Prisoners · Casetracker"


def test_the_issues_queries_find_the_right_person_first(demo, client):
    for query, person in [
        ("Tikhanovsky", "Siarhei Tsikhanouski"),
        ("Тихановский", "Siarhei Tsikhanouski"),
        ("Babariko", "Viktar Babaryka"),
        ("Lasik", "Ihar Losik"),
        ("Kalesn", "Maria Kalesnikava"),
    ]:
        assert names(client.get(LIST, {"q": query}))[:1] == [person], query


def test_results_come_best_match_first_unless_sorted(today, client):
    PrisonerFactory(name="Mariya Kolesnichenko")
    PrisonerFactory(name="Maria Kolesnikova")
    PrisonerFactory(name="Kolesnikova Maria")
    best_first = ["Maria Kolesnikova", "Kolesnikova Maria", "Mariya Kolesnichenko"]
    assert names(client.get(LIST, {"q": "Maria Kolesnikova"})) == best_first
    assert names(client.get(LIST, {"q": "Maria Kolesnikova", "sort": "name"})) == sorted(best_first)
    html = client.get(LIST, {"q": "Maria Kolesnikova"}).content.decode()
    assert '<option value="" selected>Best match, then name</option>' in html
    assert "3 people matching “Maria Kolesnikova”, best match first." in html


def test_with_nothing_found_the_nearest_names_are_offered(demo, client):
    response = client.get(LIST, {"q": "Nikolai Statkevich"})
    html = response.content.decode()
    assert names(response) == [] and title(response) == "“Nikolai Statkevich”: 0 people found · Prisoners · Casetracker"
    assert "No one matches. Every word of “Nikolai Statkevich” is looked for, in any order and any script" in html
    assert "<p>Nearest names on file:</p>" in html
    assert '<li><a href="/prisoners/mikola-statkevich/">Mikola Statkevich</a></li>' in html


def test_a_name_search_also_names_matching_facilities(demo, client):
    html = client.get(LIST, {"q": "Gomel colony"}).content.decode()
    assert (
        '<p class="also-found">Facilities matching “Gomel colony”: <a href="/facilities/penal-colony-no-4-homiel/">'
        'Penal colony No. 4, Homiel</a><span class="matched">matched: <span lang="en">Gomel penal colony No. 4</span>'
    ) in html


def test_facilities_are_searched_by_any_spelling(demo, client):
    response = client.get("/facilities/", {"q": "Гомель"})
    html = response.content.decode()
    assert [f.name for f in response.context["facilities"]] == ["Penal colony No. 4", "Homiel emergency hospital"]
    assert title(response) == "“Гомель”: 2 facilities found · Facilities · Casetracker"
    assert '<span class="matched">matched: <span lang="ru">ИК-4, Гомель</span></span>' in html
    nothing = client.get("/facilities/", {"q": "Homiel hospitl"})
    assert [f.name for f in nothing.context["facilities"]] == ["Homiel emergency hospital"]  # a typo
    assert "No facility matches “Zhodzina”." in client.get("/facilities/", {"q": "Zhodzina"}).content.decode()


def test_names_carry_their_language_for_screen_readers(demo, client):
    case = client.get("/prisoners/maria-kalesnikava/").content.decode()
    assert '<span class="variant"><span lang="be">Калеснікава</span></span>' in case
    assert '<span class="variant"><span lang="ru">Колесникова</span></span>' in case
    facility = client.get("/facilities/penal-colony-no-4-homiel/").content.decode()
    assert '<span class="variant"><span lang="en">Gomel penal colony No. 4</span></span>' in facility


def test_exports_take_the_search_best_match_first(today, client):
    PrisonerFactory(name="Mariya Kolesnichenko")
    PrisonerFactory(name="Maria Kolesnikova")
    rows = json.loads(client.get("/prisoners.json", {"q": "Kolesnikova Maria"}).getvalue())["prisoners"]
    assert [row["name"] for row in rows] == ["Maria Kolesnikova", "Mariya Kolesnichenko"]


@pytest.mark.parametrize("path", [LIST, "/facilities/"])
@pytest.mark.parametrize("query", ["", "   ", "!!!", "😀", "\x00", "Kales\x00nikava", "k" * 10_000, "%_%", "<b>x</b>"])
def test_no_query_is_an_error_or_echoed_as_markup(demo, client, path, query):
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    assert "<b>x</b>" not in response.content.decode()


def test_a_search_runs_the_same_few_queries_however_many_match(today, client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"q": "Maria Kolesnikova"}).status_code == 200
        return len(captured)

    def add_namesake(n):
        prisoner = PrisonerFactory(name=f"Maria Kolesnikova {n}")
        NameVariantFactory(prisoner=prisoner, name=f"Мария Колесникова {n}")
        FacilityFactory(name=f"Kolesnikova colony {n}")

    add_namesake(1)
    few = queries()
    for n in range(2, 8):
        add_namesake(n)
    assert queries() == few
