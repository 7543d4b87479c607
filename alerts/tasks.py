"""Celery tasks: thin wrappers over alerts.services."""

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


SCAN_RETRIES = 8  # with the doubling wait, until the next scheduled scan takes over


@shared_task(bind=True, max_retries=SCAN_RETRIES)
def scan_contacts(self):
    """The scan; one that fails (the database away) is tried again with a growing wait, not skipped."""
    try:
        result = services.scan()
    except Exception as error:
        countdown = services.scan_retry_seconds(self.request.retries)
        log.error("Contact scan failed (%s: %s); trying again in %s s.", type(error).__name__, error, countdown)
        raise self.retry(exc=error, countdown=countdown) from error
    log.info("Contact scan: %s", result)
    send_alert_mail.delay()
    return str(result)


@shared_task
def heartbeat():
    """Queued by beat every ALERT_HEARTBEAT_SECONDS: its record shows /healthz that beat and a worker run."""
    services.heartbeat()


@shared_task(bind=True, max_retries=None)
def send_alert_mail(self):
    """Send the notices that are due (mail and channels). If this run sent or tried something and any
    notice is still pending, come back when the next is due; a run that found nothing to do ends (another
    run has the work), so runs never pile up."""
    sent, failed = services.send_pending()
    countdown = services.seconds_until_next_attempt()
    if (sent or failed) and countdown is not None:
        raise self.retry(countdown=max(countdown, 1))
    return {"sent": sent, "failed": failed}


@shared_task
def send_notices():
    """Queued by beat every minute: the digests that fell due since the scan (an assignment, a reminder, an
    escalation, a lapsed acknowledgement) and any notice whose back-off has ended."""
    result = services.send_notices()
    return str(result)
