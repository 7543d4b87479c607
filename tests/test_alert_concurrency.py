"""Scans running at the same time (two beats, a retry overlapping the schedule) never duplicate."""

import threading

import pytest
from django.db import connection

from alerts import services
from alerts.models import Alert, Delivery, Digest
from casetracker.demo import load_demo
from casetracker.roles import ALERT_STAFF
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
def test_parallel_scans_open_each_alert_once_and_record_one_digest(smtp_server):
    load_demo()
    make_user("alex", ALERT_STAFF)
    make_user("bea", ALERT_STAFF)

    results = run_together(services.scan)

    assert Alert.objects.count() == 12
    assert sum(result.opened for result in results) == 12
    assert Digest.objects.count() == 1 and sum(1 for result in results if result.digest) == 1
    assert Digest.objects.get().entries.count() == 12
    assert Delivery.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_senders_send_each_digest_once(smtp_server):
    load_demo()
    make_user("alex", ALERT_STAFF)
    make_user("bea", ALERT_STAFF)
    services.scan()

    results = run_together(services.send_pending)

    assert sum(sent for sent, _ in results) == 2 and sum(failed for _, failed in results) == 0
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == ["alex@example.org", "bea@example.org"]
    assert Delivery.objects.pending().count() == 0
