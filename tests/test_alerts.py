"""The alert lifecycle: opened once, reminded, acknowledged, resolved by itself; one digest per scan."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts import services
from alerts.models import Alert, AlertEvent, Delivery, Digest, Notice, Resolution
from casetracker.dates import Precision
from casetracker.roles import ALERT_STAFF
from events.models import Party, Visibility
from prisoners.lapse import LapseBasis
from prisoners.models import Prisoner
from prisoners.status import Status
from tests.conftest import make_user
from tests.factories import ContactFactory, PrisonerFactory

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def staff(db):
    return make_user("alex", ALERT_STAFF)


@pytest.fixture
def cut_off(clock):
    """In custody since 2020; family last seen mid-February 2024; a lawyer yesterday."""
    prisoner = PrisonerFactory(name="Maria K")
    ContactFactory(prisoner=prisoner, party=Party.FAMILY, date=D(2024, 2, 11), date_precision=Precision.MID)
    ContactFactory(prisoner=prisoner, party=Party.LAWYER, date=D(2024, 5, 31))
    return prisoner


def test_an_alert_opens_with_the_lapse_at_opening(cut_off):
    result = services.scan()
    alert = Alert.objects.get()
    assert (result.opened, alert.prisoner, alert.party, alert.state) == (1, cut_off, Party.FAMILY, "open")
    assert str(alert.since_approx) == "mid-February 2024" and alert.basis == LapseBasis.CONTACT
    assert (alert.days_at_opening, alert.threshold_at_opening) == ((D(2024, 6, 1) - D(2024, 2, 20)).days, 30)
    # Made by the database (casetracker.insert_select): every other field as a new alert holds it.
    assert alert.since_latest == D(2024, 2, 20) and alert.opened_at == alert.attention_since == timezone.now()
    fresh = Alert()
    assert [
        getattr(alert, name) for name in ("reminders_sent", "acknowledgement_note", "resolution", "last_notice")
    ] == [getattr(fresh, name) for name in ("reminders_sent", "acknowledgement_note", "resolution", "last_notice")]
    assert alert.resolved_at is alert.acknowledged_at is alert.assigned_to is None
    assert AlertEvent.objects.get(kind=AlertEvent.Kind.OPENED).alert == alert  # its opening, recorded


def test_an_alert_is_opened_once_not_every_scan(cut_off, clock):
    services.scan()
    clock.shift(datetime.timedelta(hours=1))
    assert services.scan().opened == 0
    assert Alert.objects.count() == 1


def test_the_database_refuses_a_second_unresolved_alert(cut_off):
    services.scan()
    first = Alert.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            prisoner=cut_off, party=Party.FAMILY, basis="contact", days_at_opening=1, threshold_at_opening=1
        )
    Alert.objects.filter(pk=first.pk).update(resolved_at=first.opened_at)
    Alert.objects.create(
        prisoner=cut_off, party=Party.FAMILY, basis="contact", days_at_opening=1, threshold_at_opening=1
    )


def test_logging_a_newer_contact_resolves_the_alert_at_once(cut_off):
    services.scan()
    ContactFactory(prisoner=cut_off, party=Party.FAMILY, date=D(2024, 5, 28))
    alert = Alert.objects.get()
    assert (alert.state, alert.resolution) == ("resolved", Resolution.CONTACT)


def test_an_internal_contact_counts_for_alerts(cut_off):
    services.scan()
    ContactFactory(prisoner=cut_off, party=Party.FAMILY, date=D(2024, 5, 28), visibility=Visibility.INTERNAL)
    assert Alert.objects.get().state == "resolved"


def test_an_old_contact_logged_late_does_not_resolve(cut_off):
    services.scan()
    ContactFactory(prisoner=cut_off, party=Party.FAMILY, date=D(2024, 3, 1))
    assert Alert.objects.get().state == "open"


def test_release_resolves_the_alerts(cut_off):
    services.scan()
    cut_off.status = Status.RELEASED
    cut_off.save()
    alert = Alert.objects.get()
    assert (alert.state, alert.resolution) == ("resolved", Resolution.RELEASED)


def test_the_next_scan_resolves_what_changed_without_a_signal(cut_off):
    services.scan()
    Prisoner.objects.filter(pk=cut_off.pk).update(family_threshold_days=365)  # no save(), no signal
    assert services.scan().resolved == 1
    assert Alert.objects.get().resolution == Resolution.WITHIN_THRESHOLD


def test_after_resolution_a_new_lapse_opens_a_new_alert(cut_off, clock):
    services.scan()
    ContactFactory(prisoner=cut_off, party=Party.FAMILY, date=D(2024, 6, 1))
    clock.shift(31 * DAY)
    assert services.scan().opened == 2  # family again, and now the lawyer too
    family = Alert.objects.filter(party=Party.FAMILY).order_by("opened_at")
    assert [a.state for a in family] == ["resolved", "open"]
    assert str(family.last().since_approx) == "1 June 2024"


def test_a_prisoners_own_threshold_is_used(clock):
    patient = PrisonerFactory(detained=D(2024, 1, 1), family_threshold_days=200, lawyer_threshold_days=1000)
    ContactFactory(prisoner=patient, party=Party.FAMILY, date=D(2024, 1, 1))
    strict = PrisonerFactory(detained=D(2024, 1, 1), lawyer_threshold_days=3, family_threshold_days=1000)
    ContactFactory(prisoner=strict, party=Party.LAWYER, date=D(2024, 5, 28))
    services.scan()
    alert = Alert.objects.get()
    assert (alert.prisoner, alert.party, alert.threshold_at_opening, alert.days_at_opening) == (strict, "lawyer", 3, 4)


def test_no_contact_data_opens_no_alert(clock):
    PrisonerFactory(detained=None)
    assert services.scan().opened == 0


def test_an_imported_prisoner_without_contact_data_raises_no_alert(clock):
    PrisonerFactory(detained=D(2014, 3, 1), monitored=False)
    assert services.scan().opened == 0


def test_alerts_open_for_custody_only(clock):
    held = PrisonerFactory(status=Status.PRE_TRIAL, detained=D(2024, 1, 1))
    for status in (Status.HOUSE_ARREST, Status.RESTRICTED_FREEDOM, Status.FORCED_LABOUR, Status.PAROLE):
        PrisonerFactory(status=status, detained=D(2024, 1, 1))
    assert services.scan().opened == 2
    assert {alert.prisoner for alert in Alert.objects.all()} == {held}


def test_house_arrest_resolves_the_alerts(cut_off):
    services.scan()
    cut_off.status = Status.HOUSE_ARREST
    cut_off.save()
    alert = Alert.objects.get()
    assert (alert.state, alert.resolution) == ("resolved", Resolution.RELEASED)


def test_one_digest_per_scan_to_every_alert_staff_member_with_email(demo, clock, staff):
    make_user("bea", ALERT_STAFF)
    make_user("nomail", ALERT_STAFF).__class__.objects.filter(username="nomail").update(email="")
    make_user("former", ALERT_STAFF, is_active=False)
    make_user("rita")  # not alert staff
    digest = services.scan().digest
    assert digest.entries.count() == 12
    assert sorted(digest.deliveries.values_list("email", flat=True)) == ["alex@example.org", "bea@example.org"]
    assert services.send_pending() == (2, 0)
    assert len(mail.outbox) == 2 and mail.outbox[0].subject == digest.subject
    assert [u.username for u in services.unreachable_staff()] == ["nomail"]


def test_the_digest_says_who_since_when_for_how_long_with_a_link(demo, clock, staff):
    services.scan()
    services.send_pending()
    message = mail.outbox[0]
    text, (html, mimetype) = message.body, message.alternatives[0]
    assert message.subject == "Casetracker: 12 new — prisoners cut off from lawyer or family"
    days = (D(2024, 6, 1) - D(2023, 2, 7)).days
    entry = f"- Maria Kalesnikava: no lawyer contact since 7 February 2023\n  {days} days as of 1 June 2024"
    assert entry + ", threshold 30 days\n  Held at: Penal colony No. 4, Homiel\n" in text
    assert "Maria Kalesnikava: no family contact since mid-February 2023" in text
    assert "Ihar Losik: no lawyer contact since 2023 (first reported denial of contact)" in text
    alert = Alert.objects.get(prisoner__slug="maria-kalesnikava", party=Party.LAWYER)
    assert f"http://127.0.0.1:8000/admin/alerts/alert/{alert.pk}/change/" in text
    assert mimetype == "text/html" and "since mid-February 2023" in html and "<table" in html


def test_no_digest_when_nothing_is_new(cut_off, staff, clock):
    assert services.scan().digest is not None
    clock.shift(DAY)
    assert services.scan().digest is None
    assert Digest.objects.count() == 1


def test_open_alerts_are_reminded_every_seven_days_until_acknowledged(cut_off, staff, clock, settings):
    settings.ALERT_REMINDER_DAYS = 7
    services.scan()
    clock.shift(6 * DAY)
    assert services.scan().digest is None
    clock.shift(DAY)
    reminder = services.scan().digest
    assert [(e.kind, e.days) for e in reminder.entries.all()] == [
        (Notice.REMINDER, (D(2024, 6, 8) - D(2024, 2, 20)).days)
    ]
    assert "1 still open" in reminder.subject
    Alert.objects.get().acknowledge(staff, "Lawyer is trying to visit")
    clock.shift(7 * DAY)
    assert services.scan().digest is None


def test_acknowledging_records_who_when_and_the_note(cut_off, staff):
    services.scan()
    alert = Alert.objects.get()
    assert alert.acknowledge(staff, "Calling the colony") == 1
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by, alert.acknowledgement_note) == (
        "acknowledged",
        staff,
        "Calling the colony",
    )
    assert alert.acknowledged_at is not None
    assert alert.acknowledge(staff, "again") == 0  # once


def test_alerts_wait_for_a_recipient_rather_than_being_marked_sent(cut_off, clock):
    assert services.scan().digest is None
    assert Alert.objects.get().notified_at is None
    make_user("alex", ALERT_STAFF)
    clock.shift(datetime.timedelta(hours=1))
    assert services.scan().digest.entries.count() == 1


def test_the_scan_takes_a_constant_number_of_queries(clock):
    def add_prisoners(n):
        for _ in range(n):
            ContactFactory(prisoner=PrisonerFactory(), party=Party.FAMILY, date=D(2024, 1, 1))

    add_prisoners(2)
    with CaptureQueriesContext(connection) as small:
        services.update_alerts()
    Alert.objects.all().delete()
    add_prisoners(20)
    with CaptureQueriesContext(connection) as large:
        services.update_alerts()
    assert Alert.objects.count() == 2 * 22  # lawyer and family for everyone
    # Per party: who is overdue, who has an open alert, then per batch of 1,000 to open: their lapses, the insert,
    # which it opened and their history.
    assert len(large.captured_queries) == len(small.captured_queries) <= 12


def test_scan_contacts_command_opens_mails_and_reports(demo, clock, staff, capsys):
    call_command("scan_contacts")
    assert capsys.readouterr().out == "12 alerts opened, 0 resolved; 1 digest to 1 recipient; 1 notice sent.\n"
    assert len(mail.outbox) == 1 and Delivery.objects.pending().count() == 0
