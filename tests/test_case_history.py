"""One page holds a case's whole history: the prisoner and everything attached, newest first, in words."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casetracker.dates import Precision
from prisoners.case_history import case_history
from tests.admin_forms import admin_form_data
from tests.factories import (
    CustodyPeriodFactory,
    FacilityFactory,
    IncidentFactory,
    PrisonerFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_every_change_to_the_case_and_what_is_attached_newest_first_in_words(researcher, editor, as_user, clock):
    prisoner = PrisonerFactory(name="Ihar Losik", published=False, bio="Blogger.")
    clock.shift(datetime.timedelta(minutes=1))
    CustodyPeriodFactory(
        prisoner=prisoner, facility=FacilityFactory(name="Penal colony No. 1"), start=datetime.date(2021, 12, 3)
    )
    clock.shift(datetime.timedelta(minutes=1))
    incident = IncidentFactory(prisoner=prisoner, start=datetime.date(2023, 7, 15), start_precision=Precision.MID)
    clock.shift(datetime.timedelta(minutes=1))
    client = as_user(researcher)
    url = f"/admin/events/incident/{incident.pk}/change/"
    data = admin_form_data(client.get(url))
    data.update(start="late August 2023", sources=[str(SourceFactory(title="Viasna report").pk)])
    assert client.post(url, data).status_code == 302

    entries = case_history(prisoner)
    assert [(entry.kind, entry.action) for entry in entries] == [
        ("incident", "changed"),
        ("incident", "added"),
        ("custody period", "added"),
        ("prisoner", "added"),
    ]
    latest = entries[0]
    assert latest.who == "rita"
    changes = {change.field: (change.was, change.now) for change in latest.changes}
    assert changes["start"] == ("mid-July 2023", "late August 2023")  # dates as written, precision included
    assert changes["sources"] == ("—", "Viasna report")
    assert {change.field: change.now for change in entries[2].changes}["from"] == "3 December 2021"

    page = as_user(editor).get(f"/admin/prisoners/prisoner/{prisoner.pk}/case-history/").content.decode()
    assert "Case history: Ihar Losik" in page and "late August 2023" in page and "Penal colony No. 1" in page
    assert page.index("late August 2023") < page.index("3 December 2021")  # newest first


def test_the_case_history_costs_the_same_queries_however_many_records(today):
    small, large = PrisonerFactory(), PrisonerFactory()
    IncidentFactory(prisoner=small, sources=[SourceFactory()])
    CustodyPeriodFactory(prisoner=small, facility=FacilityFactory())
    for month in range(1, 13):  # one transfer a month (custody periods of a prisoner never overlap)
        IncidentFactory(prisoner=large, sources=[SourceFactory()])
        start = datetime.date(2021, month, 1)
        CustodyPeriodFactory(prisoner=large, facility=FacilityFactory(), start=start, end=start.replace(day=28))

    counts = []
    for prisoner in (small, large):
        with CaptureQueriesContext(connection) as queries:
            case_history(prisoner)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_researchers_read_the_case_history_the_public_never_does(researcher, as_user, client, today):
    prisoner = PrisonerFactory()
    assert as_user(researcher).get(f"/admin/prisoners/prisoner/{prisoner.pk}/case-history/").status_code == 200
    client.logout()
    assert client.get(f"/admin/prisoners/prisoner/{prisoner.pk}/case-history/").status_code == 302


def test_every_case_list_says_who_created_and_last_changed_each_row(researcher, editor, as_user, clock):
    prisoner = PrisonerFactory(name="Ihar Losik", published=False)
    prisoner.history.update(history_user=researcher)
    clock.shift(datetime.timedelta(days=2))
    client = as_user(editor)
    url = f"/admin/prisoners/prisoner/{prisoner.pk}/change/"
    assert client.post(url, {**admin_form_data(client.get(url)), "bio": "Blogger."}).status_code == 302

    page = client.get("/admin/prisoners/prisoner/").content.decode()
    assert "Created" in page and "Last changed" in page
    assert "1 Jun 2024, 12:00, rita" in page and "3 Jun 2024, 12:00, edna" in page
    for model, model_admin in admin.site._registry.items():
        if "created_column" in model_admin.get_list_display(None):
            opts = model._meta
            response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
            assert response.status_code == 200, opts.label  # the columns' subqueries work on every list


def test_a_record_deleted_since_names_nothing_and_breaks_nothing(today):
    prisoner = PrisonerFactory()
    first, second = FacilityFactory(name="Temporary"), FacilityFactory(name="Penal colony No. 4")
    period = CustodyPeriodFactory(prisoner=prisoner, facility=first, start=datetime.date(2021, 1, 1))
    period.facility = second
    period.save()
    first_id = first.pk
    first.delete()  # a duplicate merged away: its id is still in the history

    entries = {(entry.kind, entry.action): entry for entry in case_history(prisoner)}
    changes = {change.field: (change.was, change.now) for change in entries["custody period", "changed"].changes}
    assert changes["facility"] == (f"#{first_id} (deleted)", str(second))
    assert entries["custody period", "added"].record  # named somehow, never a 500
