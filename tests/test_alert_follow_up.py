"""Follow-up that never goes quiet: an acknowledgement lapses and the alert is due again, an alert nobody
takes on escalates to Editors, an assigned alert reminds its assignee, and every change is in its history."""

import datetime

import pytest
from django.core import mail

from alerts import services
from alerts.models import Alert, AlertEvent, Digest, Notice
from casetracker.dates import Precision
from casetracker.roles import ALERT_STAFF
from events.models import Party
from tests.conftest import make_user
from tests.factories import ContactFactory, PrisonerFactory

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def staff(db):
    return make_user("alex", ALERT_STAFF)


@pytest.fixture
def alert(clock, staff, settings):
    """One alert (family cut off since mid-February 2024), opened and mailed to alert staff at noon, 1 June 2024."""
    settings.ALERT_REMINDER_DAYS, settings.ALERT_ACKNOWLEDGEMENT_DAYS, settings.ALERT_ESCALATION_DAYS = 7, 14, 3
    prisoner = PrisonerFactory(name="Maria K")
    ContactFactory(prisoner=prisoner, party=Party.FAMILY, date=D(2024, 2, 11), date_precision=Precision.MID)
    ContactFactory(prisoner=prisoner, party=Party.LAWYER, date=D(2024, 5, 31))
    assert services.scan().digest.entries.get().kind == Notice.NEW
    services.send_pending()
    mail.outbox.clear()
    return Alert.objects.get()


def history(alert):
    return [(event.kind, event.user and event.user.username, event.note) for event in alert.events.all()]


def digests_since(moment):
    return {digest.audience: digest for digest in Digest.objects.filter(created_at__gt=moment)}


def test_an_acknowledgement_lapses_and_the_alert_comes_back_if_nothing_changed(alert, staff, clock):
    assert alert.acknowledge(staff, "Lawyer is trying to visit") == 1
    clock.shift(14 * DAY - HOUR)
    assert services.scan().digests == []  # no reminder, no escalation while it holds
    clock.shift(HOUR)

    result = services.scan()

    assert result.due_again == 1 and "1 due again" in str(result)
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by, alert.acknowledgement_note) == ("open", None, "")
    entry = result.digest.entries.get()
    assert entry.kind == Notice.DUE_AGAIN and entry.days == (D(2024, 6, 15) - D(2024, 2, 20)).days
    assert result.digest.subject == "Casetracker: 1 due again — prisoners cut off from lawyer or family"
    assert history(alert) == [
        ("opened", None, ""),
        ("acknowledged", "alex", "Lawyer is trying to visit"),
        ("due_again", None, "acknowledged over 14 days ago and still unresolved"),
    ]
    clock.shift(HOUR)
    assert services.scan().due_again == 0  # once


def test_an_alert_that_resolved_while_acknowledged_does_not_come_back(alert, staff, clock):
    alert.acknowledge(staff, "Family writing to the colony")
    clock.shift(5 * DAY)
    ContactFactory(prisoner=alert.prisoner, party=Party.FAMILY, date=D(2024, 6, 5))
    clock.shift(10 * DAY)
    assert services.scan().due_again == 0
    alert.refresh_from_db()
    assert alert.state == "resolved"
    assert [kind for kind, _, _ in history(alert)] == ["opened", "acknowledged", "resolved"]


def test_an_alert_nobody_takes_on_escalates_to_editors_once(alert, clock, editor):
    other = PrisonerFactory(name="Ihar L")
    ContactFactory(prisoner=other, party=Party.FAMILY, date=D(2024, 3, 1))
    ContactFactory(prisoner=other, party=Party.LAWYER, date=D(2024, 5, 31))
    services.scan()  # opens and mails the second alert at the same moment
    Alert.objects.get(prisoner=other).acknowledge(make_user("bea", ALERT_STAFF), "On it")
    clock.shift(3 * DAY - HOUR)
    assert Digest.Audience.EDITORS not in {digest.audience for digest in services.scan().digests}
    services.send_pending()
    mail.outbox.clear()
    start = datetime.datetime.now(datetime.UTC)
    clock.shift(HOUR)

    services.scan()
    services.send_pending()

    escalation = digests_since(start)[Digest.Audience.EDITORS]
    assert [entry.alert for entry in escalation.entries.all()] == [alert]  # not the acknowledged one
    assert escalation.subject == "Casetracker escalation: 1 unattended — alerts nobody has taken on"
    assert [message.to for message in mail.outbox] == [["edna@example.org"]]
    assert "Nobody has acknowledged or taken on these alerts for 3 days" in mail.outbox[0].body
    assert alert.get_admin_url() in mail.outbox[0].body
    alert.refresh_from_db()
    assert history(alert)[-1] == ("escalated", None, "neither acknowledged nor assigned for 3 days")
    assert alert.next_step[0] == "reminder"

    clock.shift(HOUR)
    assert Digest.Audience.EDITORS not in {digest.audience for digest in services.scan().digests}  # once


def test_an_assigned_alert_does_not_escalate(alert, staff, clock, editor):
    alert.assign(staff, staff, "I know the lawyer")
    clock.shift(10 * DAY)
    assert Digest.Audience.EDITORS not in {digest.audience for digest in services.scan().digests}


def test_the_assignee_gets_the_alert_and_its_reminders_instead_of_all_staff(alert, staff, clock):
    bea = make_user("bea", ALERT_STAFF)
    assert alert.assign(bea, staff, "She knows the family") == 1
    assert alert.assign(bea, staff) == 0  # already hers

    digests = services.record_digests()
    services.send_pending()

    assert [digest.audience for digest in digests] == [Digest.Audience.ASSIGNEE]
    assert [message.to for message in mail.outbox] == [["bea@example.org"]]
    assert mail.outbox[0].subject == "Casetracker: 1 assigned to you — prisoners cut off from lawyer or family"
    assert "Alerts assigned to you (bea)" in mail.outbox[0].body
    assert history(alert)[-1] == ("assigned", "alex", "to bea: She knows the family")

    mail.outbox.clear()
    clock.shift(7 * DAY)
    result = services.scan()
    services.send_pending()
    assert [(digest.audience, digest.entries.get().kind) for digest in result.digests] == [
        (Digest.Audience.ASSIGNEE, Notice.REMINDER)
    ]
    assert [message.to for message in mail.outbox] == [["bea@example.org"]]


def test_an_alert_assigned_to_a_deactivated_account_goes_back_to_all_staff(alert, staff, clock):
    bea = make_user("bea", ALERT_STAFF)
    alert.assign(bea, staff)
    bea.is_active = False
    bea.save()
    clock.shift(7 * DAY)
    result = services.scan()
    assert [digest.audience for digest in result.digests] == [Digest.Audience.STAFF]
    assert list(result.digest.deliveries.values_list("email", flat=True)) == ["alex@example.org"]


def test_acknowledging_holds_off_an_assignees_reminders_too(alert, staff, clock):
    alert.assign(staff, staff)
    services.record_digests()
    alert.acknowledge(staff, "Visit booked")
    clock.shift(13 * DAY)
    assert services.scan().digests == []
    clock.shift(DAY)
    result = services.scan()
    assert [(d.audience, d.entries.get().kind) for d in result.digests] == [
        (Digest.Audience.ASSIGNEE, Notice.DUE_AGAIN)
    ]


def test_what_happens_next_if_nobody_acts(alert, staff):
    opened = alert.opened_at
    assert alert.next_step == ("escalates", opened + 3 * DAY)
    alert.acknowledge(staff, "On it", now=opened)
    alert.refresh_from_db()
    assert alert.next_step == ("due again", opened + 14 * DAY)


def test_every_state_change_is_recorded_once_with_who_and_why(alert, staff, clock):
    clock.shift(DAY)
    alert.acknowledge(staff, "Calling the colony")
    ContactFactory(prisoner=alert.prisoner, party=Party.FAMILY, date=D(2024, 6, 2))
    alert.refresh_from_db()
    assert history(alert) == [
        ("opened", None, ""),
        ("acknowledged", "alex", "Calling the colony"),
        ("resolved", None, "contact resumed"),
    ]
    assert AlertEvent.objects.count() == 3


def test_between_scans_an_assignment_reaches_the_assignee_within_the_minute(alert, staff, clock):
    """Beat queues send_notices every minute: what falls due between hourly scans goes out then."""
    from alerts import tasks
    from casetracker.celery import app

    assert app.conf.beat_schedule["send-notices"] == {"task": "alerts.tasks.send_notices", "schedule": 60}
    bea = make_user("bea", ALERT_STAFF)
    alert.assign(bea, staff)
    clock.shift(datetime.timedelta(minutes=1))

    assert tasks.send_notices() == "1 digest recorded; 1 notice sent, 0 failed"
    assert [message.to for message in mail.outbox] == [["bea@example.org"]]
    assert tasks.send_notices() == "0 digests recorded; 0 notices sent, 0 failed"


def test_the_assignee_of_an_acknowledged_alert_is_told_at_once(alert, staff, clock):
    alert.acknowledge(staff, "Visit booked")
    bea = make_user("bea", ALERT_STAFF)
    alert.assign(bea, staff)
    digests = services.record_digests()
    assert [(d.audience, d.entries.get().kind) for d in digests] == [(Digest.Audience.ASSIGNEE, Notice.ASSIGNED)]
    clock.shift(7 * DAY)
    assert services.scan().digests == []  # no reminder while the acknowledgement holds


def test_a_scan_warns_when_escalations_would_reach_nobody(alert, clock, caplog):
    clock.shift(3 * DAY)
    services.scan()
    assert "no active Editor has an email address or a channel" in caplog.text
    assert not Alert.objects.filter(escalated_at__isnull=False).exists()  # kept for when an editor can hear it
