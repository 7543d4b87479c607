"""Celery tasks: thin wrappers over alerts.services."""

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task
def scan_contacts():
    result = services.scan()
    log.info("Contact scan: %s", result)
    send_alert_mail.delay()
    return str(result)


@shared_task(bind=True, max_retries=None)
def send_alert_mail(self):
    """Send pending digests; while any stays pending, come back when it is due."""
    sent, failed = services.send_pending()
    if failed:
        countdown = services.seconds_until_next_attempt()
        raise self.retry(countdown=countdown if countdown is not None else 60)
    return {"sent": sent, "failed": failed}
