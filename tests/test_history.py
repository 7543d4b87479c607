"""Every change is in the history with its author; only editors revert."""

import datetime

import pytest

from casetracker.demo import CHANGE_REASON, load_demo
from events.models import Incident, Visibility
from prisoners.models import Prisoner
from tests.admin_forms import admin_form_data
from tests.factories import IncidentFactory, PrisonerFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_an_admin_change_is_recorded_with_its_author_and_shown_as_a_diff(researcher, as_user, today):
    # Unpublished: a researcher's change to a published case waits for an editor (test_held_changes.py).
    prisoner = PrisonerFactory(name="Maria Kalesnikava", status="detained", published=False)
    client = as_user(researcher)
    data = admin_form_data(client.get(f"/admin/prisoners/prisoner/{prisoner.pk}/change/"))
    data["status"] = "unknown"
    assert client.post(f"/admin/prisoners/prisoner/{prisoner.pk}/change/", data).status_code == 302

    latest = prisoner.history.first()
    assert (latest.history_type, latest.history_user, latest.status) == ("~", researcher, "unknown")
    page = client.get(f"/admin/prisoners/prisoner/{prisoner.pk}/history/").content.decode()
    assert "rita" in page
    assert "detained" in page and "unknown" in page  # the status change, old and new


def test_inline_changes_are_recorded_with_the_author(researcher, as_user, today):
    prisoner = PrisonerFactory()
    client = as_user(researcher)
    data = admin_form_data(client.get(f"/admin/prisoners/prisoner/{prisoner.pk}/change/"))
    data.update({"name_variants-TOTAL_FORMS": "1", "name_variants-0-name": "Калеснікава"})
    assert client.post(f"/admin/prisoners/prisoner/{prisoner.pk}/change/", data).status_code == 302
    variant = prisoner.name_variants.get()
    assert variant.history.get().history_user == researcher


def test_researchers_see_history_but_cannot_revert(researcher, as_user, today):
    incident = IncidentFactory(description="First account")
    incident.description = "Second account"
    incident.save()
    first = incident.history.last()
    client = as_user(researcher)
    assert client.get(f"/admin/events/incident/{incident.pk}/history/").status_code == 200
    url = f"/admin/events/incident/{incident.pk}/history/{first.history_id}/"
    form = admin_form_data(client.get(url))
    assert client.post(url, form).status_code == 403
    incident.refresh_from_db()
    assert incident.description == "Second account"


def test_editors_revert_a_mistake(editor, as_user, today):
    incident = IncidentFactory(description="First account", visibility=Visibility.PUBLIC)
    incident.description = "A mistake"
    incident.save()
    first = incident.history.last()
    client = as_user(editor)
    url = f"/admin/events/incident/{incident.pk}/history/{first.history_id}/"
    assert client.post(url, admin_form_data(client.get(url))).status_code == 302
    incident.refresh_from_db()
    assert incident.description == "First account"
    assert incident.history.first().history_user == editor


def test_deleted_records_stay_in_the_history(editor, as_user):
    prisoner = PrisonerFactory(name="Removed by mistake")
    as_user(editor).post(f"/admin/prisoners/prisoner/{prisoner.pk}/delete/", {"post": "yes"})
    assert Prisoner.history.filter(name="Removed by mistake", history_type="-").exists()


def test_load_demo_records_its_reason(today):
    load_demo()
    maria = Prisoner.objects.get(slug="maria-kalesnikava")
    assert {h.history_change_reason for h in maria.history.all()} == {CHANGE_REASON}
    assert all(h.history_change_reason == CHANGE_REASON for h in Incident.history.all())
    assert Incident.history.filter(history_date__date=datetime.date(2024, 6, 1)).exists()


def test_reverting_an_incident_restores_its_sources_too(editor, as_user, today):
    statement, rumour = SourceFactory(title="Joint statement"), SourceFactory(title="A rumour")
    client = as_user(editor)
    incident = IncidentFactory(description="First account", visibility=Visibility.PUBLIC)
    edit = f"/admin/events/incident/{incident.pk}/change/"
    client.post(edit, {**admin_form_data(client.get(edit)), "sources": [statement.pk]})
    first = incident.history.order_by("history_date", "history_id").last()  # with the statement as its source
    client.post(edit, {**admin_form_data(client.get(edit)), "description": "A mistake", "sources": [rumour.pk]})
    assert list(incident.sources.all()) == [rumour]

    url = f"/admin/events/incident/{incident.pk}/history/{first.history_id}/"
    form = admin_form_data(client.get(url))
    assert form["sources"] == [str(statement.pk)]  # the form shows the version's sources, not today's
    assert client.post(url, form).status_code == 302
    incident.refresh_from_db()
    assert (incident.description, list(incident.sources.all())) == ("First account", [statement])


def test_saving_without_a_change_adds_no_history_row(editor, as_user, today):
    prisoner = PrisonerFactory(name="Ihar Losik")
    incident = IncidentFactory(prisoner=prisoner, description="Transferred.")
    client = as_user(editor)
    for model, obj in (("prisoners/prisoner", prisoner), ("events/incident", incident)):
        url = f"/admin/{model}/{obj.pk}/change/"
        before = obj.history.count()
        assert client.post(url, admin_form_data(client.get(url))).status_code == 302
        assert obj.history.count() == before, model
    url = f"/admin/prisoners/prisoner/{prisoner.pk}/change/"
    client.post(url, {**admin_form_data(client.get(url)), "bio": "Journalist."})
    assert prisoner.history.count() == 2  # a real change is recorded, once


def test_one_save_is_one_history_row_even_when_it_changes_sources(researcher, as_user, today):
    incident = IncidentFactory(prisoner=PrisonerFactory(published=False), description="First account")
    statement, report = SourceFactory(title="Joint statement"), SourceFactory(title="Viasna report")
    client = as_user(researcher)
    edit = f"/admin/events/incident/{incident.pk}/change/"
    client.post(edit, {**admin_form_data(client.get(edit)), "description": "Second", "sources": [statement.pk]})
    client.post(edit, {**admin_form_data(client.get(edit)), "sources": [report.pk]})

    rows = list(incident.history.order_by("history_id"))
    assert [row.history_type for row in rows] == ["+", "~", "~"]
    sources = [sorted(link.source.title for link in row.sources.all()) for row in rows]
    assert sources == [[], ["Joint statement"], ["Viasna report"]]

    add = "/admin/events/incident/add/"
    data = {**admin_form_data(client.get(f"{add}?prisoner={incident.prisoner.pk}")), "sources": [report.pk]}
    data.update(kind="shizo", start="2023-05-01", start_precision="day", description="Added with a source")
    assert client.post(add, data).status_code == 302
    added = Incident.objects.get(description="Added with a source")
    assert [row.history_type for row in added.history.all()] == ["+"]
    assert [link.source.title for link in added.history.get().sources.all()] == ["Viasna report"]


def test_a_records_history_page_reads_in_words_and_shows_long_texts_whole(editor, as_user, today):
    incident = IncidentFactory(description="Short.", start=datetime.date(2023, 5, 1))
    long_text = "Placed in a punishment cell. " * 20
    client = as_user(editor)
    edit = f"/admin/events/incident/{incident.pk}/change/"
    data = {**admin_form_data(client.get(edit)), "description": long_text.strip(), "start": "3 May 2023"}
    assert client.post(edit, data).status_code == 302

    page = client.get(f"/admin/events/incident/{incident.pk}/history/").content.decode()
    assert "1 May 2023" in page and "3 May 2023" in page and "2023-05-01" not in page
    assert long_text.strip() in page  # whole, not cut at 100 characters
    assert "None" not in page.split('id="change-history"')[1]  # no change reason, no "None"
