"""The Celery app: `celery -A casetracker worker` and `celery -A casetracker beat`.

Configured from Django settings prefixed CELERY_: Redis when REDIS_URL is set,
otherwise a filesystem broker under var/ that needs no server.
"""

import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")

app = Celery("casetracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect  # also sent for the beat embedded in a worker (-B)
def scan_when_beat_starts(sender=None, **kwargs):
    """A fresh deployment learns who is cut off now, not an interval later (scans are idempotent),
    and shows /healthz at once that beat and a worker run."""
    app.send_task("alerts.tasks.scan_contacts")
    app.send_task("alerts.tasks.heartbeat")
