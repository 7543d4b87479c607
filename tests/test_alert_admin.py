"""Staff see who is cut off now and for how long today, filter alerts, and acknowledge or
assign them from the alert page (read-only otherwise) or the list."""

import datetime
import os

import pytest

from alerts import services
from alerts.models import Alert
from casetracker.roles import ALERT_STAFF
from tests.conftest import make_user
from tests.factories import PrisonerFactory
from tests.test_public_browser import CHROMIUM, CHROMIUM_ARGS, admin_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(demo, clock, alert_staff):
    services.scan()
    return Alert.objects.all()


@pytest.fixture
def clock_free_alerts(committed_demo):
    """The demo's alerts opened now, on the real clock (the live server runs in another thread)."""
    make_user("alex", ALERT_STAFF)
    services.scan()


def names(response):
    return sorted({str(alert.prisoner) for alert in response.context["cl"].result_list})


def test_alert_staff_acknowledge_with_a_note(alerts, alert_staff, as_user):
    client = as_user(alert_staff)
    maria = list(alerts.filter(prisoner__slug="maria-kalesnikava").values_list("pk", flat=True))
    confirm = client.post("/admin/alerts/alert/", {"action": "acknowledge", "_selected_action": maria})
    assert confirm.status_code == 200 and "Acknowledge alerts" in confirm.content.decode()
    assert Alert.objects.acknowledged().count() == 0  # nothing happens before the note is given

    missing_note = client.post(
        "/admin/alerts/alert/", {"action": "acknowledge", "_selected_action": maria, "apply": "1", "note": ""}
    )
    assert "This field is required." in missing_note.content.decode()

    done = client.post(
        "/admin/alerts/alert/",
        {"action": "acknowledge", "_selected_action": maria, "apply": "1", "note": "Lawyer visiting Monday"},
    )
    assert done.status_code == 302
    acknowledged = Alert.objects.acknowledged()
    assert acknowledged.count() == 2
    assert {(a.acknowledged_by, a.acknowledgement_note) for a in acknowledged} == {
        (alert_staff, "Lawyer visiting Monday")
    }


def test_alert_list_filters_by_state_party_and_facility(alerts, alert_staff, as_user):
    Alert.objects.filter(prisoner__name="Ihar Losik").first().acknowledge(alert_staff, "on it")
    client = as_user(alert_staff)
    assert len(client.get("/admin/alerts/alert/", {"state": "open"}).context["cl"].result_list) == 11
    assert names(client.get("/admin/alerts/alert/", {"state": "acknowledged"})) == ["Ihar Losik"]
    assert len(client.get("/admin/alerts/alert/", {"party__exact": "lawyer"}).context["cl"].result_list) == 6
    colony = alerts.get(prisoner__slug="maria-kalesnikava", party="lawyer").prisoner.current_facility
    assert names(client.get("/admin/alerts/alert/", {"facility": colony.pk})) == ["Maria Kalesnikava"]
    assert names(client.get("/admin/alerts/alert/", {"q": "Колесникова"})) == ["Maria Kalesnikava"]


def test_alerts_are_neither_added_nor_deleted_by_hand(alerts, alert_staff, as_user):
    client = as_user(alert_staff)
    assert client.get("/admin/alerts/alert/add/").status_code == 403
    assert client.post(f"/admin/alerts/alert/{alerts.first().pk}/delete/", {"post": "yes"}).status_code == 403


def test_researchers_do_not_see_alerts(alerts, researcher, as_user):
    assert as_user(researcher).get("/admin/alerts/alert/").status_code == 403


def test_the_admin_index_says_who_is_cut_off_now(alerts, alert_staff, as_user):
    make_user("nomail", ALERT_STAFF).__class__.objects.filter(username="nomail").update(email="")
    page = as_user(alert_staff).get("/admin/").content.decode()
    assert "Cut off now" in page
    assert "6 prisoners</a>" in page and "Maria Kalesnikava</a>" in page
    assert "12 open</a>" in page
    assert "with neither an email address nor a channel receive no alert notices:\n    nomail." in page
    assert "No lawyer contact past threshold:</strong>" in page


def test_the_admin_index_names_only_the_longest_cut_off_with_their_days(clock, alert_staff, as_user):
    for n in range(15):
        PrisonerFactory(name=f"Held {n:02}", detained=datetime.date(2020, 1, n + 1))
    page = as_user(alert_staff).get("/admin/").content.decode()
    assert "15 prisoners</a>; the longest cut off:" in page
    assert page.count("days (since") == 2 * 10  # ten per party, however many are cut off
    assert "Held 00</a> — 1613 days (since 1 January 2020)" in page and "Held 14" not in page
    assert "All 15</a>" in page


def test_the_alert_page_is_read_only_with_acknowledge_and_assign_buttons(alerts, alert_staff, as_user):
    alert = alerts.get(prisoner__slug="maria-kalesnikava", party="lawyer")
    client = as_user(alert_staff)
    page = client.get(f"/admin/alerts/alert/{alert.pk}/change/").content.decode()
    assert 'value="Acknowledge"' in page and 'value="Assign"' in page
    assert 'name="_save"' not in page and 'name="_continue"' not in page  # nothing to save here
    assert "Penal colony No. 4, Homiel" in page and "Days cut off (today)" in page
    assert client.post(f"/admin/alerts/alert/{alert.pk}/change/", {}).status_code == 403

    missing = client.post(f"/admin/alerts/alert/{alert.pk}/acknowledge/", {"note": ""}, follow=True)
    assert "Nothing done. Note: This field is required." in missing.content.decode()
    done = client.post(f"/admin/alerts/alert/{alert.pk}/acknowledge/", {"note": "Lawyer visiting Monday"}, follow=True)
    assert "Acknowledged; no reminders for 14 days." in done.content.decode()
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement_note) == (alert_staff, "Lawyer visiting Monday")

    bea = make_user("bea", ALERT_STAFF)
    client.post(f"/admin/alerts/alert/{alert.pk}/assign/", {"assignee": bea.pk, "note": "knows the lawyer"})
    alert.refresh_from_db()
    assert alert.assigned_to == bea
    page = client.get(f"/admin/alerts/alert/{alert.pk}/change/").content.decode()
    assert "to bea: knows the lawyer" in page and "Lawyer visiting Monday" in page  # the history inline
    assert 'value="Acknowledge"' not in page  # already acknowledged; it can still be reassigned
    assert client.get(f"/admin/alerts/alert/{alert.pk}/acknowledge/").status_code == 403  # POST only


def test_a_resolved_alert_offers_nothing_to_do(alerts, alert_staff, as_user):
    alert = alerts.first()
    Alert.objects.filter(pk=alert.pk).update(resolved_at=alert.opened_at)
    page = as_user(alert_staff).get(f"/admin/alerts/alert/{alert.pk}/change/").content.decode()
    assert 'value="Acknowledge"' not in page and 'value="Assign"' not in page


def test_researchers_cannot_act_on_alerts(alerts, researcher, as_user):
    alert = alerts.first()
    response = as_user(researcher).post(f"/admin/alerts/alert/{alert.pk}/acknowledge/", {"note": "x"})
    assert response.status_code == 403
    assert not Alert.objects.acknowledged().exists()


def test_assign_selected_alerts_from_the_list(alerts, alert_staff, as_user, editor):
    client = as_user(alert_staff)
    losik = list(alerts.filter(prisoner__name="Ihar Losik").values_list("pk", flat=True))
    confirm = client.post("/admin/alerts/alert/", {"action": "assign", "_selected_action": losik})
    assert "Assign alerts" in confirm.content.decode() and "edna" in confirm.content.decode()  # editors too
    client.post(
        "/admin/alerts/alert/", {"action": "assign", "_selected_action": losik, "apply": "1", "assignee": editor.pk}
    )
    assert sorted(Alert.objects.filter(assigned_to=editor).values_list("pk", flat=True)) == sorted(losik)


def test_the_list_shows_todays_days_where_held_the_assignee_and_sorts_longest_first(
    alerts, alert_staff, as_user, clock
):
    clock.shift(datetime.timedelta(days=10))
    client = as_user(alert_staff)
    rows = client.get("/admin/alerts/alert/", {"o": "-3"}).context["cl"].result_list
    days = [alert.days_now for alert in rows]
    assert days == sorted(days, reverse=True) and len(days) == 12
    maria = next(alert for alert in rows if alert.prisoner.slug == "maria-kalesnikava" and alert.party == "lawyer")
    assert maria.days_now == maria.days_at_opening + 10  # today's count, not the one at opening
    assert maria.facility_now.startswith("Penal colony No. 4")
    page = client.get("/admin/alerts/alert/").content.decode()
    assert "escalates 4 Jun 2024" in page and "Days cut off (today)" in page and "Penal colony No. 4, Homiel" in page


@pytest.mark.slow
def test_acknowledge_from_the_alert_page_in_chromium(live_server, clock_free_alerts):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); CI installs it")
    from playwright.sync_api import expect, sync_playwright

    alert = Alert.objects.get(prisoner__slug="maria-kalesnikava", party="lawyer")
    url = f"{live_server.url}/admin/alerts/alert/{alert.pk}/change/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = admin_page(browser, live_server.url, "alex", url)
        expect(page.get_by_role("button", name="Save")).to_have_count(0)
        page.get_by_label("Acknowledge: what is being done").fill("Lawyer is trying to visit on Monday")
        page.get_by_role("button", name="Acknowledge").click()
        expect(page.locator(".messagelist")).to_contain_text("Acknowledged; no reminders for 14 days.")
        expect(page.locator("body")).to_contain_text("Lawyer is trying to visit on Monday")
        expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)
        browser.close()
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by.username) == ("acknowledged", "alex")
