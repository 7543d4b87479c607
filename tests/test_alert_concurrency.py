"""Scans running at the same time (two beats, a retry overlapping the schedule) never duplicate."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from alerts import services
from alerts.models import Alert, AlertEvent, Delivery, Digest
from casetracker.roles import ALERT_STAFF, EDITOR
from tests.conftest import make_user

SCANS = 4


def run_together(function, count=SCANS):
    barrier, results, errors = threading.Barrier(count), [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(function())
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_scans_open_each_alert_once_and_record_one_digest(smtp_server, committed_demo):
    make_user("alex", ALERT_STAFF)
    make_user("bea", ALERT_STAFF)

    results = run_together(services.scan)

    assert Alert.objects.count() == 12
    assert sum(result.opened for result in results) == 12
    assert Digest.objects.count() == 1 and sum(1 for result in results if result.digest) == 1
    assert Digest.objects.get().entries.count() == 12
    assert Delivery.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_senders_send_each_digest_once(smtp_server, committed_demo):
    make_user("alex", ALERT_STAFF)
    make_user("bea", ALERT_STAFF)
    services.scan()

    results = run_together(services.send_pending)

    assert sum(sent for sent, _ in results) == 2 and sum(failed for _, failed in results) == 0
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == ["alex@example.org", "bea@example.org"]
    assert Delivery.objects.pending().count() == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_runs_assign_notify_and_escalate_each_alert_once(smtp_server, committed_demo):
    alex, bea = make_user("alex", ALERT_STAFF), make_user("bea", ALERT_STAFF)
    make_user("edna", EDITOR)
    services.scan()
    Alert.objects.get(prisoner__slug="maria-kalesnikava", party="lawyer").assign(bea, alex)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=4), tick=False):
        results = run_together(services.send_notices)

    assert sum(len(result.digests) for result in results) == 2  # one to bea, one escalation to edna
    assert sorted(Digest.objects.values_list("audience", flat=True)) == ["assignee", "editors", "staff"]
    assert Digest.objects.get(audience="editors").entries.count() == 11  # all but the assigned one
    assert Alert.objects.filter(escalated_at__isnull=False).count() == 11
    assert AlertEvent.objects.filter(kind="escalated").count() == 11
