"""Alert mail is recorded before it is sent and never lost: refused mail is retried with back-off."""

import datetime

import pytest

from alerts import services
from alerts.models import Delivery
from casetracker.roles import ALERT_STAFF
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def recorded_digest(demo, clock):
    make_user("alex", ALERT_STAFF)
    digest = services.scan().digest
    assert digest.deliveries.pending().count() == 1  # recorded before any send
    return digest


def test_a_refused_mail_stays_pending_and_is_retried_with_back_off(recorded_digest, smtp_server, clock, settings):
    settings.ALERT_MAIL_RETRY_SECONDS = 60
    smtp_server.refuse_next = 2

    assert services.send_pending() == (0, 1)
    delivery = Delivery.objects.get()
    assert (delivery.attempts, delivery.sent_at) == (1, None)
    assert "451" in delivery.last_error and "try again later" in delivery.last_error
    assert delivery.next_attempt_at == datetime.datetime(2024, 6, 1, 12, 1, tzinfo=datetime.timezone.utc)

    assert services.send_pending() == (0, 0)  # not due yet
    clock.shift(MINUTE)
    assert services.send_pending() == (0, 1)
    assert Delivery.objects.get().next_attempt_at - datetime.datetime.now(datetime.timezone.utc) == 2 * MINUTE
    assert services.seconds_until_next_attempt() == 120

    clock.shift(2 * MINUTE)
    assert services.send_pending() == (1, 0)
    delivery = Delivery.objects.get()
    assert (delivery.attempts, delivery.last_error) == (3, "") and delivery.sent_at is not None
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.rcpt_tos == ["alex@example.org"]
    assert "Maria Kalesnikava: no lawyer contact since 7 February 2023" in received.content.decode()
    assert services.send_pending() == (0, 0)  # sent once, never again


def test_an_unreachable_mail_server_loses_nothing(recorded_digest, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    assert services.send_pending() == (0, 1)
    assert Delivery.objects.pending().get().last_error.startswith("ConnectionRefusedError")


def test_back_off_doubles_up_to_an_hour(settings):
    settings.ALERT_MAIL_RETRY_SECONDS = 60
    assert [services.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 7, 20)] == [1, 2, 4, 8, 60, 60]


def test_a_claimed_delivery_is_not_sent_twice(recorded_digest, smtp_server):
    delivery = Delivery.objects.get()
    now = datetime.datetime.now(datetime.timezone.utc)
    assert delivery.claim(now, services.LEASE)
    assert not delivery.claim(now, services.LEASE)  # a second sender loses
    assert services.send_pending() == (0, 0)
    assert smtp_server.messages == []


def test_a_sender_that_died_mid_send_is_repeated_after_its_lease(recorded_digest, smtp_server, clock):
    delivery = Delivery.objects.get()
    delivery.claim(datetime.datetime.now(datetime.timezone.utc), services.LEASE)  # ...and the process dies
    assert services.send_pending() == (0, 0)
    clock.shift(services.LEASE + MINUTE)
    assert services.send_pending() == (1, 0)
    assert len(smtp_server.messages) == 1
