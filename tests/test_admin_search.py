"""The admin searches names through the name index: best match first on prisoners, facilities and lawyers (and in
their autocompletes); incidents, contacts and alerts by their prisoner's (facility's, lawyer's) names, resolved to
ids first, never a LIKE over millions of rows; and no input is an error."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import IncidentKind
from tests.factories import (
    ContactFactory,
    FacilityFactory,
    FacilityNameVariantFactory,
    IncidentFactory,
    LawyerFactory,
    NameVariantFactory,
    PrisonerFactory,
    RegisterEntryFactory,
)

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200
    return [str(obj) for obj in response.context["cl"].result_list]


def autocomplete(client, term, model="incident", field="prisoner", app="events"):
    response = client.get(
        "/admin/autocomplete/", {"app_label": app, "model_name": model, "field_name": field, "term": term}
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.fixture
def namesakes(today):
    """People whose names are near one another, so order shows."""
    PrisonerFactory(name="Maria Kolesnichenko")
    PrisonerFactory(name="Kolesnikova Maria")
    maria = PrisonerFactory(name="Maria Kalesnikava")
    NameVariantFactory(prisoner=maria, name="Maria Kolesnikova")
    PrisonerFactory(name="Aaron Other")
    return maria


def test_the_prisoner_list_puts_the_best_match_first_unless_a_column_is_sorted(namesakes, researcher, as_user):
    client = as_user(researcher)
    best_first = ["Maria Kalesnikava", "Kolesnikova Maria", "Maria Kolesnichenko"]
    assert results(client.get("/admin/prisoners/prisoner/", {"q": "Maria Kolesnikova"})) == best_first
    by_name = results(client.get("/admin/prisoners/prisoner/", {"q": "Maria Kolesnikova", "o": "0"}))  # name
    assert by_name == sorted(best_first)


def test_a_register_id_still_finds_its_prisoner(today, researcher, as_user):
    RegisterEntryFactory(prisoner=PrisonerFactory(name="Ihar Losik"), register="Viasna", identifier="V-1234")
    PrisonerFactory(name="Someone Else")
    assert results(as_user(researcher).get("/admin/prisoners/prisoner/", {"q": "v-1234"})) == ["Ihar Losik"]


def test_the_autocomplete_finds_any_spelling_best_first(namesakes, researcher, as_user):
    client = as_user(researcher)
    assert autocomplete(client, "Maria Kolesnikova")[:2] == ["Maria Kalesnikava", "Kolesnikova Maria"]
    # "kolesnikova maria" has the trigrams of "maria kolesnikova": an equal score, and the name decides.
    assert autocomplete(client, "Мария Колесникова")[:2] == ["Kolesnikova Maria", "Maria Kalesnikava"]
    assert autocomplete(client, "Kalesn")[0] == "Maria Kalesnikava"
    colony = FacilityFactory(name="Penal colony No. 4", city="Homiel")
    FacilityNameVariantFactory(facility=colony, name="Гомельская колония № 4")
    assert autocomplete(client, "колония", field="facility") == ["Penal colony No. 4, Homiel"]
    LawyerFactory(name="Liudmila Kazak")
    assert autocomplete(client, "Людмила", field="lawyer") == ["Liudmila Kazak"]


def test_incidents_contacts_and_alerts_are_found_by_names_without_a_like_over_them(demo, researcher, as_user):
    client = as_user(researcher)
    with CaptureQueriesContext(connection) as queries:
        incidents = results(client.get("/admin/events/incident/", {"q": "Мария Колесникова"}))
    assert len(incidents) > 10 and all(incident.endswith("(Maria Kalesnikava)") for incident in incidents)
    assert [query for query in queries if "prisoners_indexedword" in query["sql"]]
    # No scan for a word anywhere in a text: Django's own search would run LIKE '%…%' (PostgreSQL: UPPER('%…%')).
    assert not [query for query in queries if re.search(r"LIKE (UPPER\()?'%", query["sql"])]
    assert len(results(client.get("/admin/events/contact/", {"q": "Kolesnikova Maria"}))) == 3


def test_incidents_are_found_by_their_facility_and_lawyer_too(today, researcher, as_user):
    colony = FacilityFactory(name="Penal colony No. 4")
    FacilityNameVariantFactory(facility=colony, name="Гомельская колония № 4")
    IncidentFactory(prisoner=PrisonerFactory(name="Ihar Losik"), facility=colony)
    disbarred = LawyerFactory(name="Liudmila Kazak")
    IncidentFactory(prisoner=PrisonerFactory(name="Maksim Znak"), kind=IncidentKind.DISBARMENT, lawyer=disbarred)
    ContactFactory(prisoner=PrisonerFactory(name="Marfa Rabkova"), lawyer=disbarred)
    client = as_user(researcher)
    assert [i.split(", ")[0] for i in results(client.get("/admin/events/incident/", {"q": "колония"}))] == [
        "punishment isolation cell (ShIZO)"
    ]
    assert results(client.get("/admin/events/incident/", {"q": "Людмила Казак"}))[0].endswith("(Maksim Znak)")
    assert results(client.get("/admin/events/contact/", {"q": "Kazak"}))[0].endswith("(Marfa Rabkova)")


@pytest.mark.parametrize("term", ["\x00", "Kales\x00nikava", "😀", "!!!", "k" * 10_000, "%", "' OR 1=1 --"])
def test_no_search_input_is_an_error(demo, editor, as_user, term):
    client = as_user(editor)
    # A NUL byte is blanked, so "\x00" is an empty term, which lists everyone, as opening the autocomplete does.
    assert autocomplete(client, term) in ([], ["Maria Kalesnikava"], autocomplete(client, ""))
    for changelist in ["prisoners/prisoner", "prisoners/facility", "events/incident", "events/source", "alerts/alert"]:
        assert client.get(f"/admin/{changelist}/", {"q": term}).status_code in (200, 403), changelist
