"""Approximate dates are typed in one field as reports write them, and shown back the same way."""

import datetime

import pytest

from events.models import Incident
from tests.admin_forms import admin_form_data
from tests.factories import ContactFactory, IncidentFactory, PrisonerFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def incident(today):
    return IncidentFactory(prisoner=PrisonerFactory(published=False, detained=D(2020, 9, 1)), start=D(2021, 1, 5))


def save_start(client, incident, typed):
    url = f"/admin/events/incident/{incident.pk}/change/"
    return client.post(url, {**admin_form_data(client.get(url)), "start": typed})


@pytest.mark.parametrize(
    "typed, day, precision, shown",
    [
        ("mid-July 2023", D(2023, 7, 11), "mid", "mid-July 2023"),
        ("late August 2023", D(2023, 8, 21), "late", "late August 2023"),
        ("early March 2023", D(2023, 3, 1), "early", "early March 2023"),
        ("March 2023", D(2023, 3, 1), "month", "March 2023"),
        ("2023", D(2023, 1, 1), "year", "2023"),
        ("14.03.2023", D(2023, 3, 14), "day", "14 March 2023"),
        ("15/07/2023", D(2023, 7, 15), "day", "15 July 2023"),  # a typed day stays that day (it became the 11th)
        ("2023-07-15", D(2023, 7, 15), "day", "15 July 2023"),
        ("14 марта 2023", D(2023, 3, 14), "day", "14 March 2023"),
        ("у сакавіку 2023", D(2023, 3, 1), "month", "March 2023"),
        ("в конце августа 2023", D(2023, 8, 21), "late", "late August 2023"),
    ],
)
def test_a_date_as_written_is_stored_as_day_and_precision_and_shown_back(
    incident, researcher, as_user, typed, day, precision, shown
):
    client = as_user(researcher)
    assert save_start(client, incident, typed).status_code == 302
    incident.refresh_from_db()
    assert (incident.start, incident.start_precision) == (day, precision)
    page = client.get(f"/admin/events/incident/{incident.pk}/change/").content.decode()
    assert f'value="{shown}"' in page and 'name="start_precision"' in page  # the precision rides along, hidden


@pytest.mark.parametrize(
    "typed, message",
    [
        ("the summer before last", "is not a date"),
        ("2021 -", "is not a date"),  # a dash with nothing after it (it was a 500)
        ("- 2021", "is not a date"),
        ("14.03.23", "the year needs all four digits"),
        ("31.02.2023", "February 2023 has no day 31"),
        ("1021", "before 1900"),
    ],
)
def test_a_date_that_cannot_be_read_is_refused_next_to_the_field_keeping_the_rest(
    incident, researcher, as_user, typed, message
):
    client = as_user(researcher)
    url = f"/admin/events/incident/{incident.pk}/change/"
    data = {**admin_form_data(client.get(url)), "start": typed, "description": "Kept as typed."}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["start"]
    assert any(message in error for error in errors), errors
    assert "Kept as typed." in response.content.decode() and f'value="{typed}"' in response.content.decode()
    assert Incident.objects.get().start == D(2021, 1, 5)


def test_the_model_rules_still_apply_to_a_typed_date(incident, researcher, as_user):
    response = save_start(as_user(researcher), incident, "2030")
    assert response.status_code == 200 and response.context["adminform"].form.errors["start"]


@pytest.mark.parametrize(
    "typed, start, end",
    [
        ("between June and August 2023", "June 2023", "August 2023"),
        ("June – August 2023", "June 2023", "August 2023"),
        ("from 3 to 10 May 2023", "3 May 2023", "10 May 2023"),
        ("mid-June to late August 2023", "mid-June 2023", "late August 2023"),
        ("summer 2023", "June 2023", "August 2023"),
        ("летом 2023 года", "June 2023", "August 2023"),
        ("с июня по август 2023", "June 2023", "August 2023"),
        ("autumn 2022", "September 2022", "November 2022"),
    ],
)
def test_a_period_typed_as_the_start_fills_start_and_end(incident, researcher, as_user, typed, start, end):
    assert save_start(as_user(researcher), incident, typed).status_code == 302
    incident.refresh_from_db()
    assert (str(incident.start_approx), str(incident.end_approx)) == (start, end)


@pytest.mark.parametrize(
    "url_of, field, typed, message",
    [
        ("incident", "start", "winter 2023", "winter spans two years"),
        ("incident", "start", "August to June 2023", "ends (June 2023) before it begins (August 2023)"),
        ("contact", "date", "summer 2023", "is a period; this is one date"),
    ],
)
def test_a_period_where_it_cannot_be_is_refused_next_to_the_field(
    incident, researcher, as_user, url_of, field, typed, message
):
    record = incident if url_of == "incident" else ContactFactory(prisoner=incident.prisoner, date=D(2022, 5, 1))
    client = as_user(researcher)
    url = f"/admin/events/{url_of}/{record.pk}/change/"
    response = client.post(url, {**admin_form_data(client.get(url)), field: typed})
    assert response.status_code == 200
    assert any(message in error for error in response.context["adminform"].form.errors[field])


def test_a_period_and_another_end_typed_too_ask_which(incident, researcher, as_user):
    client = as_user(researcher)
    url = f"/admin/events/incident/{incident.pk}/change/"
    data = {**admin_form_data(client.get(url)), "start": "summer 2023", "end": "September 2023"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "This period ends August 2023, but the end date says September 2023" in str(
        response.context["adminform"].form.errors["start"]
    )
