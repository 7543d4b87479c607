"""The scheduled scan on a real Celery worker and broker (Redis when REDIS_URL is set, as in CI;
the embedded filesystem broker otherwise) delivers the digest once through a real SMTP server and
once to a chat channel (a local webhook), retrying while each refuses."""

import time

import pytest

from alerts.models import Channel, Delivery, Digest
from alerts.tasks import scan_contacts
from casetracker.roles import ALERT_STAFF
from tests.conftest import make_user, wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_scheduled_scan_delivers_one_digest_through_a_refusing_mail_server_and_channel(
    worker, smtp_server, webhook, settings, committed_demo
):
    settings.ALERT_MAIL_RETRY_SECONDS = 1
    Channel.objects.create(user=make_user("alex", ALERT_STAFF), label="Team room", url=webhook.url("team"))
    smtp_server.refuse_next = webhook.refuse_next = 1
    schedule = worker.conf.beat_schedule["scan-contacts"]
    assert (schedule["task"], schedule["schedule"]) == ("alerts.tasks.scan_contacts", 3600)

    first = scan_contacts.apply_async(ignore_result=False)  # what beat sends every hour
    assert first.get(timeout=60).startswith("12 alerts opened")

    # The server has the mail a moment before the worker records it as sent: wait for both.
    wait_for(lambda: len(smtp_server.messages) == 1, "the digest at the SMTP server")
    wait_for(lambda: len(webhook.received) == 1, "the digest at the chat service")
    wait_for(lambda: not Delivery.objects.pending().exists(), "both deliveries recorded as sent")
    assert sorted(Delivery.objects.values_list("attempts", flat=True)) == [2, 2]  # refused once, then accepted
    body = smtp_server.messages[0].content.decode()
    assert "Maria Kalesnikava: no family contact since mid-February 2023" in body
    assert "Maria Kalesnikava: no family contact since mid-February 2023" in webhook.received[0][1]["message"]

    second = scan_contacts.apply_async(ignore_result=False)  # the next scheduled run
    assert second.get(timeout=60) == "0 alerts opened, 0 resolved; no digest"
    time.sleep(1)
    assert len(smtp_server.messages) == 1 and len(webhook.received) == 1 and Digest.objects.count() == 1
