"""Staff see who is cut off now, filter alerts and acknowledge them with a note."""

import datetime

import pytest

from alerts import services
from alerts.models import Alert
from casetracker.roles import ALERT_STAFF
from tests.conftest import make_user
from tests.factories import PrisonerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(demo, clock, alert_staff):
    services.scan()
    return Alert.objects.all()


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
