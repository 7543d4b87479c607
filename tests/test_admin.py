"""The researchers' daily tool: search across name variants, lapse columns, filters, inlines."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners.admin import ContactInline, IncidentInline
from prisoners.models import CustodyPeriod, Prisoner
from tests.admin_forms import add_inline_row, admin_form_data
from tests.factories import (
    ContactFactory,
    CustodyPeriodFactory,
    FacilityFactory,
    IncidentFactory,
    LawyerFactory,
    PrisonerFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def changelist_names(response):
    return sorted(str(obj) for obj in response.context["cl"].result_list)


@pytest.mark.parametrize(
    "query", ["Kolesnikova", "kalesnikova", "Калеснікава", "Колесникова", "Maryia Kalesnikava", "KALESNIKAVA"]
)
def test_prisoner_search_finds_every_name_variant(demo, researcher, as_user, query):
    response = as_user(researcher).get("/admin/prisoners/prisoner/", {"q": query})
    assert changelist_names(response) == ["Maria Kalesnikava"]


def test_incident_and_contact_search_cover_name_variants(demo, researcher, as_user):
    client = as_user(researcher)
    incidents = client.get("/admin/events/incident/", {"q": "Колесникова"}).context["cl"].result_list
    assert len(incidents) > 10 and {i.prisoner.name for i in incidents} == {"Maria Kalesnikava"}
    contacts = client.get("/admin/events/contact/", {"q": "Kolesnikova"}).context["cl"].result_list
    assert len(contacts) == 3


def test_facility_search_covers_variants(demo, researcher, as_user):
    response = as_user(researcher).get("/admin/prisoners/facility/", {"q": "Gomel"})
    assert changelist_names(response) == ["Homiel emergency hospital, Homiel", "Penal colony No. 4, Homiel"]


def test_prisoner_list_shows_days_since_contact_with_overdue_highlighted(demo, researcher, as_user):
    page = as_user(researcher).get("/admin/prisoners/prisoner/").content.decode()
    assert "Days since lawyer contact" in page and "Days since family contact" in page
    lawyer_days = (D(2024, 6, 1) - D(2023, 2, 7)).days
    assert (
        f'<span class="lapse lapse-overdue" title="since 7 February 2023; threshold 30 days">{lawyer_days} overdue'
        in page
    )


def test_prisoner_list_sorts_and_filters_by_lapse(today, researcher, as_user):
    fine, cut_off = PrisonerFactory(name="Fine"), PrisonerFactory(name="Cut off")
    PrisonerFactory(name="Unknown", detained=None)
    ContactFactory(prisoner=fine, date=D(2024, 5, 30))
    ContactFactory(prisoner=cut_off, date=D(2023, 5, 30))
    client = as_user(researcher)
    assert changelist_names(client.get("/admin/prisoners/prisoner/", {"lawyer_contact": "overdue"})) == ["Cut off"]
    assert changelist_names(client.get("/admin/prisoners/prisoner/", {"lawyer_contact": "within"})) == ["Fine"]
    assert changelist_names(client.get("/admin/prisoners/prisoner/", {"lawyer_contact": "unknown"})) == ["Unknown"]
    column = client.get("/admin/prisoners/prisoner/").context["cl"].list_display.index("lawyer_lapse")
    ordered = client.get("/admin/prisoners/prisoner/", {"o": f"-{column}"}).context["cl"].result_list
    assert [p.name for p in ordered] == ["Unknown", "Cut off", "Fine"]


def test_prisoner_page_links_to_its_incidents(demo, researcher, as_user):
    maria = Prisoner.objects.get(slug="maria-kalesnikava")
    page = as_user(researcher).get(f"/admin/prisoners/prisoner/{maria.pk}/change/").content.decode()
    assert f"/admin/events/incident/?prisoner__id__exact={maria.pk}" in page
    assert f"{maria.incidents.count()} incidents" in page
    assert "No lawyer contact on record for at least" in page and "overdue" in page


def test_a_transfer_closes_one_custody_period_and_opens_the_next_in_one_save(today, editor, as_user):
    current = CustodyPeriodFactory(start=D(2021, 1, 1), end=None)
    prisoner, new_facility = current.prisoner, FacilityFactory(name="Prison No. 8")
    client = as_user(editor)  # a researcher's transfer on a published case is held (test_held_changes.py)
    data = admin_form_data(client.get(f"/admin/prisoners/prisoner/{prisoner.pk}/change/"))
    data.update({"custody_periods-0-end": "2024-03-01", "custody_periods-0-end_precision": "day"})
    add_inline_row(
        data,
        "custody_periods",
        {"facility": new_facility.pk, "start": "2024-03-01", "start_precision": "day", "end_precision": "day"},
    )
    response = client.post(f"/admin/prisoners/prisoner/{prisoner.pk}/change/", data)
    assert response.status_code == 302
    assert prisoner.current_facility == new_facility
    assert CustodyPeriod.objects.filter(prisoner=prisoner).count() == 2


def test_overlapping_periods_in_one_save_are_refused_with_a_message(today, researcher, as_user):
    current = CustodyPeriodFactory(start=D(2021, 1, 1), end=None)
    prisoner = current.prisoner
    client = as_user(researcher)
    data = admin_form_data(client.get(f"/admin/prisoners/prisoner/{prisoner.pk}/change/"))
    add_inline_row(
        data,
        "custody_periods",
        {"facility": FacilityFactory().pk, "start": "2024-03-01", "start_precision": "day", "end_precision": "day"},
    )
    response = client.post(f"/admin/prisoners/prisoner/{prisoner.pk}/change/", data)
    assert response.status_code == 200
    assert "This overlaps another custody period" in response.content.decode()
    assert CustodyPeriod.objects.filter(prisoner=prisoner).count() == 1


def test_every_model_has_an_admin_page(editor, as_user):
    client = as_user(editor)
    for path in [
        "prisoners/prisoner",
        "prisoners/namevariant",
        "prisoners/facility",
        "prisoners/facilitynamevariant",
        "prisoners/custodyperiod",
        "prisoners/charge",
        "prisoners/sentence",
        "prisoners/lawyer",
        "prisoners/representation",
        "events/incident",
        "events/contact",
        "events/source",
        "events/organisation",
    ]:
        assert client.get(f"/admin/{path}/").status_code == 200, path
        assert client.get(f"/admin/{path}/add/").status_code == 200, path


def test_incident_list_filters_by_kind_and_year(demo, researcher, as_user):
    client = as_user(researcher)
    shizo = client.get("/admin/events/incident/", {"kind__exact": "shizo"}).context["cl"].result_list
    assert [i.kind for i in shizo] == ["shizo"]
    in_2023 = client.get("/admin/events/incident/", {"start__year": "2023"}).context["cl"].result_list
    assert all(i.start.year == 2023 for i in in_2023) and len(in_2023) >= 5


def test_a_prisoners_page_costs_the_same_queries_however_long_the_record(today, editor, as_user):
    prisoner = PrisonerFactory()
    lawyer = LawyerFactory()
    client = as_user(editor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(f"/admin/prisoners/prisoner/{prisoner.pk}/change/")
        assert page.status_code == 200
        return len(captured), page.content.decode()

    def add_contacts(n):
        for day in range(n):
            ContactFactory(prisoner=prisoner, lawyer=lawyer, date=D(2023, 1, 1) + datetime.timedelta(days=day))

    def add_incidents(n):
        for _ in range(n):
            IncidentFactory(prisoner=prisoner, facility=FacilityFactory(), sources=[SourceFactory()])

    add_contacts(ContactInline.SHOWN)
    add_incidents(IncidentInline.SHOWN)
    few, _ = queries()
    add_contacts(100)
    add_incidents(50)
    many, page = queries()
    assert many == few
    assert "the latest 20 are below" in page and "all 120 contacts</a>" in page


def test_incidents_and_whole_contacts_are_entered_on_the_prisoners_page(today, researcher, as_user):
    prisoner = PrisonerFactory(published=False)
    colony, report = FacilityFactory(name="Penal colony No. 4"), SourceFactory(title="Viasna report")
    client = as_user(researcher)
    url = f"/admin/prisoners/prisoner/{prisoner.pk}/change/"
    data = admin_form_data(client.get(url))
    add_inline_row(
        data,
        "incidents",
        {"kind": "shizo", "start": "mid-July 2023", "end": "late July 2023", "facility": colony.pk,
         "description": "Ten days in a punishment cell.", "sources": [report.pk], "verification": "credible"},
    )  # fmt: skip
    add_inline_row(
        data,
        "contacts",
        {"party": "lawyer", "date": "late August 2023", "channel": "visit", "contact_person": "Her lawyer",
         "description": "The last visit before the ban.", "sources": [report.pk]},
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    incident = prisoner.incidents.get()
    assert (str(incident.start_approx), incident.facility, list(incident.sources.all())) == (
        "mid-July 2023",
        colony,
        [report],
    )
    contact = prisoner.contacts.get()
    assert (contact.description, list(contact.sources.all())) == ("The last visit before the ban.", [report])
    assert [row.history_type for row in incident.history.all()] == ["+"]  # one save, one row, sources included
    assert [row.history_type for row in contact.history.all()] == ["+"]


def test_an_edit_to_a_row_that_slipped_out_of_the_latest_shown_is_saved_not_dropped(today, researcher, as_user):
    prisoner = PrisonerFactory(published=False)
    for day in range(IncidentInline.SHOWN):
        IncidentFactory(prisoner=prisoner, start=D(2023, 1, 1) + datetime.timedelta(days=day), description="As read.")
    client = as_user(researcher)
    url = f"/admin/prisoners/prisoner/{prisoner.pk}/change/"
    data = admin_form_data(client.get(url))
    oldest = prisoner.incidents.order_by("start").first()
    row = next(key for key, value in data.items() if key.endswith("-id") and value == str(oldest.pk)).removesuffix("id")
    data[f"{row}description"] = "Corrected."
    IncidentFactory(prisoner=prisoner, start=D(2024, 1, 1))  # meanwhile: a newer one pushes it out of the latest

    assert client.post(url, data).status_code == 302
    oldest.refresh_from_db()
    assert oldest.description == "Corrected."
