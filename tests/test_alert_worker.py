"""The scheduled scan on a real Celery worker and broker (Redis when REDIS_URL is set, as in CI;
the embedded filesystem broker otherwise) delivers the digest through a real SMTP server once,
retrying while the server refuses."""

import time

import pytest

from alerts.models import Delivery, Digest
from alerts.tasks import scan_contacts
from casetracker.demo import load_demo
from casetracker.roles import ALERT_STAFF
from tests.conftest import make_user, wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_scheduled_scan_delivers_one_digest_through_a_refusing_mail_server(worker, smtp_server, settings):
    settings.ALERT_MAIL_RETRY_SECONDS = 1
    load_demo()
    make_user("alex", ALERT_STAFF)
    smtp_server.refuse_next = 1
    schedule = worker.conf.beat_schedule["scan-contacts"]
    assert (schedule["task"], schedule["schedule"]) == ("alerts.tasks.scan_contacts", 3600)

    first = scan_contacts.apply_async(ignore_result=False)  # what beat sends every hour
    assert first.get(timeout=60).startswith("12 alerts opened")

    # The server has the mail a moment before the worker records it as sent: wait for both.
    wait_for(lambda: len(smtp_server.messages) == 1, "the digest at the SMTP server")
    wait_for(lambda: Delivery.objects.filter(sent_at__isnull=False).exists(), "the delivery recorded as sent")
    delivery = Delivery.objects.get()
    assert delivery.attempts == 2  # refused once, then accepted
    body = smtp_server.messages[0].content.decode()
    assert "Maria Kalesnikava: no family contact since mid-February 2023" in body

    second = scan_contacts.apply_async(ignore_result=False)  # the next scheduled run
    assert second.get(timeout=60) == "0 alerts opened, 0 resolved, no digest"
    time.sleep(1)
    assert len(smtp_server.messages) == 1 and Digest.objects.count() == 1
