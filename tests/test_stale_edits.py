"""No lost updates: two people edit the same record; the second save is refused, naming who changed
what, keeping what the second person typed; saving again after looking keeps theirs."""

import datetime
import os

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from casetracker.roles import EDITOR
from events.models import Incident
from prisoners.models import NameVariant, Prisoner
from tests.admin_forms import admin_form_data
from tests.conftest import make_user
from tests.factories import IncidentFactory, NameVariantFactory, PrisonerFactory
from tests.test_public_browser import CHROMIUM, CHROMIUM_ARGS, admin_page

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def two_editors(db):
    first, second = make_user("edna", EDITOR), make_user("emil", EDITOR)
    clients = Client(), Client()
    clients[0].force_login(first)
    clients[1].force_login(second)
    return clients


def test_the_second_of_two_saves_is_refused_and_keeps_what_was_typed(two_editors, clock):
    edna, emil = two_editors
    incident = IncidentFactory(description="Held in a punishment cell.")
    url = f"/admin/events/incident/{incident.pk}/change/"
    ednas, emils = admin_form_data(edna.get(url)), admin_form_data(emil.get(url))
    clock.shift(MINUTE)

    assert edna.post(url, {**ednas, "description": "Held in a punishment cell for 10 days."}).status_code == 302
    response = emil.post(url, {**emils, "description": "Held in a punishment cell; lawyer refused."})

    assert response.status_code == 200  # the form again, not saved
    page = response.content.decode()
    assert "was changed by edna (public description)" in page and "Nothing was saved" in page
    assert "Held in a punishment cell; lawyer refused." in page  # what Emil typed is still there
    incident.refresh_from_db()
    assert incident.description == "Held in a punishment cell for 10 days."  # Edna's edit survives

    # Emil has seen the conflict: the re-rendered form carries the new version, so saving again keeps his text.
    again = admin_form_data(response)
    assert emil.post(url, again).status_code == 302
    incident.refresh_from_db()
    assert incident.description == "Held in a punishment cell; lawyer refused."


def test_an_untouched_inline_row_someone_else_changed_is_not_put_back(two_editors, clock):
    edna, emil = two_editors
    prisoner = PrisonerFactory(name="Maria Kalesnikava", bio="Musician.")
    variant = NameVariantFactory(prisoner=prisoner, name="Kolesnikova")
    url = f"/admin/prisoners/prisoner/{prisoner.pk}/change/"
    ednas, emils = admin_form_data(edna.get(url)), admin_form_data(emil.get(url))
    [row] = [key[: -len("-id")] for key, value in ednas.items() if key.endswith("-id") and value == str(variant.pk)]
    clock.shift(MINUTE)
    assert edna.post(url, {**ednas, f"{row}-name": "Калеснікава"}).status_code == 302
    # Emil only changed the bio, but his form still holds the old spelling in that row.
    response = emil.post(url, {**emils, "bio": "Musician and political activist."})

    assert response.status_code == 200 and "was changed by edna (name)" in response.content.decode()
    assert NameVariant.objects.get(pk=variant.pk).name == "Калеснікава"
    assert Prisoner.objects.get(pk=prisoner.pk).bio == "Musician."


@pytest.mark.slow
def test_two_editors_in_chromium_the_second_is_refused(live_server):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); CI installs it")
    from playwright.sync_api import expect, sync_playwright

    for name in ("edna", "emil"):
        make_user(name).groups.add(Group.objects.get(name=EDITOR))
    incident = IncidentFactory(description="Transferred to Gomel.")
    url = f"{live_server.url}/admin/events/incident/{incident.pk}/change/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        edna, emil = (admin_page(browser, live_server.url, name, url) for name in ("edna", "emil"))
        edna.get_by_label("Public description").fill("Transferred to Gomel colony No. 4.")
        emil.get_by_label("Public description").fill("Transferred to Gomel; family not told.")
        edna.get_by_role("button", name="Save", exact=True).click()
        expect(edna.locator(".messagelist")).to_contain_text("was changed successfully")
        emil.get_by_role("button", name="Save", exact=True).click()
        expect(emil.locator(".errornote, .errorlist").first).to_be_visible()
        expect(emil.locator("body")).to_contain_text("was changed by edna (public description)")
        expect(emil.get_by_label("Public description")).to_have_value("Transferred to Gomel; family not told.")
        browser.close()
    assert Incident.objects.get(pk=incident.pk).description == "Transferred to Gomel colony No. 4."
