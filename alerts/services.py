"""The contact-lapse scan and alert mail. Tasks and the scan_contacts command call these.

A scan (1) opens and resolves alerts from the lapse annotation over all records,
(2) records one digest of new and reminder alerts with a delivery row per
recipient, and (3) sends pending deliveries. Each step is safe to run twice at
once: alerts are unique per prisoner and party in the database, alerts are claimed
for a digest by a conditional UPDATE, deliveries by a lease.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from casetracker.roles import ALERT_STAFF
from events.models import Party
from prisoners.models import Prisoner

from .models import Alert, Delivery, Digest, DigestEntry

log = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=10)
MAX_BACKOFF = datetime.timedelta(hours=1)


@dataclass
class ScanResult:
    opened: int = 0
    resolved: int = 0
    digest: Digest | None = None

    def __str__(self):
        digest = (
            f"digest {self.digest.pk} to {self.digest.deliveries.count()} recipients" if self.digest else "no digest"
        )
        return f"{self.opened} alerts opened, {self.resolved} resolved, {digest}"


def update_alerts(now=None, prisoner_ids=None, open_new=True):
    """Open alerts for new lapses past their threshold; resolve those that no longer are."""
    now = now or timezone.now()
    prisoners = Prisoner.objects.with_contact_lapse(today=timezone.localdate(now))
    unresolved = Alert.objects.unresolved()
    if prisoner_ids is not None:
        prisoners, unresolved = prisoners.filter(pk__in=prisoner_ids), unresolved.filter(prisoner_id__in=prisoner_ids)
    existing = {(alert.prisoner_id, alert.party): alert for alert in unresolved}

    to_open, to_resolve = [], defaultdict(list)
    for prisoner in prisoners:
        for party in Party.values:
            lapse = prisoner.lapse(party)
            alert = existing.get((prisoner.pk, party))
            if lapse.overdue and alert is None and open_new:
                to_open.append(Alert.open_for(prisoner, lapse, now))
            elif not lapse.overdue and alert is not None:
                to_resolve[alert.resolution_for(prisoner, lapse)].append(alert.pk)

    # A concurrent scan may open the same alert first: the unique constraint keeps one,
    # and only rows stamped with this scan's `now` count as opened here.
    Alert.objects.bulk_create(to_open, ignore_conflicts=True)
    opened = Alert.objects.filter(opened_at=now).count() if to_open else 0
    resolved = sum(
        Alert.objects.unresolved().filter(pk__in=pks).update(resolved_at=now, resolution=reason)
        for reason, pks in to_resolve.items()
    )
    return opened, resolved


def alert_recipients():
    """Active alert staff with an email address (those without one are reported in the admin)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=ALERT_STAFF)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )


def alert_staff_without_email():
    return get_user_model().objects.filter(is_active=True, groups__name=ALERT_STAFF, email="").order_by("username")


def record_digest(now=None):
    """Claim every alert due for mail into one digest with a delivery per recipient.

    Returns the digest, or None when nothing is new or due for a reminder, or nobody
    could receive it (the alerts then stay unclaimed for the next scan).
    """
    now = now or timezone.now()
    recipients = list(alert_recipients())
    if not recipients:
        if Alert.objects.never_notified().exists() or Alert.objects.due_for_reminder(now).exists():
            log.warning("Alerts are due but no active Alert staff member has an email address.")
        return None
    with transaction.atomic():
        digest = Digest.objects.create(created_at=now, subject="", body_text="", body_html="")
        # The conditional UPDATE is the claim: a scan running at the same time finds these rows changed.
        new = Alert.objects.never_notified().update(notified_at=now, last_digest=digest)
        reminders = Alert.objects.due_for_reminder(now).update(
            notified_at=now, last_digest=digest, reminders_sent=F("reminders_sent") + 1
        )
        if not new and not reminders:
            transaction.set_rollback(True)
            return None
        claimed = list(Alert.objects.filter(last_digest=digest, notified_at=now).select_related("prisoner"))
        lapses = {
            prisoner.pk: prisoner
            for prisoner in Prisoner.objects.with_contact_lapse(today=timezone.localdate(now)).filter(
                pk__in=[alert.prisoner_id for alert in claimed]
            )
        }
        entries = DigestEntry.objects.bulk_create(
            [
                DigestEntry(
                    digest=digest,
                    alert=alert,
                    kind=DigestEntry.Kind.REMINDER if alert.reminders_sent else DigestEntry.Kind.NEW,
                    days=lapses[alert.prisoner_id].lapse(alert.party).days,
                    threshold=lapses[alert.prisoner_id].lapse(alert.party).threshold,
                )
                for alert in claimed
            ]
        )
        render_digest(digest, entries)
        Delivery.objects.bulk_create(
            [
                Delivery(digest=digest, user=user, email=user.email, created_at=now, next_attempt_at=now)
                for user in recipients
            ]
        )
    return digest


def render_digest(digest, entries):
    entries = sorted(entries, key=lambda e: (e.kind != DigestEntry.Kind.NEW, -e.days, e.alert.prisoner.name))
    new = sum(1 for e in entries if e.kind == DigestEntry.Kind.NEW)
    context = {"digest": digest, "entries": entries, "new": new, "reminders": len(entries) - new}
    digest.subject = render_to_string("alerts/digest_subject.txt", context).strip()
    digest.body_text = render_to_string("alerts/digest.txt", context)
    digest.body_html = render_to_string("alerts/digest.html", context)
    digest.save(update_fields=["subject", "body_text", "body_html"])


def backoff(attempts):
    """Doubling after each failure (1, 2, 4 … minutes by default), at most an hour."""
    base = datetime.timedelta(seconds=settings.ALERT_MAIL_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def send_pending(now=None):
    """Send every due delivery this caller can claim. Returns (sent, failed)."""
    sent = failed = 0
    for delivery in Delivery.objects.due(now or timezone.now()).select_related("digest"):
        claimed_at = timezone.now()
        if not delivery.claim(claimed_at, LEASE):
            continue  # another sender has it
        digest = delivery.digest
        message = EmailMultiAlternatives(digest.subject, digest.body_text, to=[delivery.email])
        message.attach_alternative(digest.body_html, "text/html")
        try:
            message.send()
        except Exception as error:  # the mail server's refusal or absence: keep it pending
            failed += 1
            delivery.mark_failed(timezone.now(), f"{type(error).__name__}: {error}", backoff(delivery.attempts + 1))
            log.warning("Alert digest %s to %s failed (%s); will retry.", digest.pk, delivery.email, error)
        else:
            sent += 1
            delivery.mark_sent(timezone.now())
    return sent, failed


def seconds_until_next_attempt(now=None):
    """When the earliest pending delivery is due again (None if nothing is pending)."""
    now = now or timezone.now()
    upcoming = Delivery.objects.pending().order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    return None if upcoming is None else max((upcoming - now).total_seconds(), 0)


def scan(now=None):
    """Open/resolve alerts and record the digest; sending is a separate step."""
    now = now or timezone.now()
    opened, resolved = update_alerts(now)
    return ScanResult(opened=opened, resolved=resolved, digest=record_digest(now))


def resolve_alerts_for(prisoner_ids):
    """Resolve at once what a saved contact or status change has ended."""
    return update_alerts(prisoner_ids=prisoner_ids, open_new=False)[1]
