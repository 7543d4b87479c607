"""The contact-lapse scan and alert mail. Tasks and the scan_contacts command call these.

A scan (1) checks a slice of the stored lapses against the rule (so every one is verified
daily) and fills any missing, (2) opens alerts for prisoners newly past their threshold and
resolves those no longer past it: who is overdue and who has an open alert are read as ids
from the stored lapses, and only their difference is worked on, in batches, so a scan with
nothing new costs a few narrow queries at any register size, (3) records
one digest of new and reminder alerts with a delivery row per recipient, and (4) sends
pending deliveries. Each step is safe to run twice at once: alerts are unique per prisoner
and party in the database, alerts are claimed for a digest by a conditional UPDATE,
deliveries by a lease.
"""

import datetime
import logging
import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Case, F, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from casetracker.iterables import batched
from casetracker.roles import ALERT_STAFF
from events.models import Party
from prisoners import clocks
from prisoners import lapse as lapse_rule
from prisoners.models import Prisoner

from .models import Alert, Delivery, Digest, DigestEntry, Heartbeat, ScanRun

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


BATCH = 1000
DIGEST_LISTED = 50  # alerts listed by name in one mail; the rest are counted and linked
# Each scan re-verifies about this many stored lapses, a different slice each hour (the nightly check and
# `check_lapses` verify them all): the scan's cost stays the same at any register size.
CHECK_PER_SCAN = 1000


def update_alerts(now=None, prisoner_ids=None, open_new=True):
    """Open alerts for new lapses past their threshold; resolve those that no longer are.

    Per party, two narrow reads (who is overdue, who has an open alert: ids only, through the
    stored lapses) and their difference is the work; with nothing new that is all a scan does."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    prisoners = Prisoner.objects.all() if prisoner_ids is None else Prisoner.objects.filter(pk__in=prisoner_ids)
    prisoners = prisoners.with_contact_lapse(today=today)
    opened = resolved = 0
    for party in Party.values:
        overdue = prisoners.filter(lapse_rule.overdue_condition(party, today=today)).order_by()
        overdue = set(overdue.values_list("pk", flat=True))
        unresolved = Alert.objects.unresolved().filter(party=party)
        if prisoner_ids is not None:
            unresolved = unresolved.filter(prisoner_id__in=prisoner_ids)
        alerted = dict(unresolved.order_by().values_list("prisoner_id", "pk"))
        ending = sorted(alert for prisoner, alert in alerted.items() if prisoner not in overdue)
        resolved += _resolve(ending, prisoners, party, now)
        if open_new:
            opened += _open(prisoners, sorted(overdue - alerted.keys()), party, now)
    return opened, resolved


def _open(prisoners, ids, party, now):
    """Open an alert for each of these prisoners, in batches (memory stays flat)."""
    opened = 0
    for batch in batched(ids, BATCH):
        # A concurrent scan may open the same alert first: the unique constraint keeps one,
        # and only rows stamped with this scan's `now` count as opened here.
        lapses = prisoners.filter(pk__in=batch).only("pk").order_by("pk")  # the lapse annotations are what counts
        Alert.objects.bulk_create([Alert.open_for(p, p.lapse(party), now) for p in lapses], ignore_conflicts=True)
        opened += Alert.objects.filter(opened_at=now, party=party, prisoner__in=batch).count()
    return opened


def _resolve(alert_ids, prisoners, party, now):
    """Resolve these alerts, each with why (contact resumed, released, within the threshold)."""
    resolved = 0
    for ids in batched(alert_ids, BATCH):
        batch = list(Alert.objects.unresolved().filter(pk__in=ids))
        current = prisoners.in_bulk([alert.prisoner_id for alert in batch])
        reasons = defaultdict(list)
        for alert in batch:
            prisoner = current[alert.prisoner_id]
            reasons[alert.resolution_for(prisoner, prisoner.lapse(party))].append(alert.pk)
        resolved += sum(
            Alert.objects.unresolved().filter(pk__in=pks).update(resolved_at=now, resolution=reason)
            for reason, pks in reasons.items()
        )
    return resolved


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
        digest.new_count, digest.reminder_count = new, reminders
        render_digest(digest, _listed_entries(digest, now))
        Delivery.objects.bulk_create(
            [
                Delivery(digest=digest, user=user, email=user.email, created_at=now, next_attempt_at=now)
                for user in recipients
            ]
        )
    return digest


def _listed_entries(digest, now):
    """The alerts a digest names: new ones first, the longest cut off first, at most DIGEST_LISTED."""
    claimed = Alert.objects.filter(last_digest=digest, notified_at=now).select_related("prisoner")
    first = claimed.order_by(
        Case(When(reminders_sent=0, then=0), default=1), F("since_latest").asc(nulls_last=True), "prisoner__name"
    )[:DIGEST_LISTED]
    alerts = list(first)
    lapses = Prisoner.objects.with_contact_lapse(today=timezone.localdate(now)).in_bulk(
        [alert.prisoner_id for alert in alerts]
    )
    return DigestEntry.objects.bulk_create(
        [
            DigestEntry(
                digest=digest,
                alert=alert,
                kind=DigestEntry.Kind.REMINDER if alert.reminders_sent else DigestEntry.Kind.NEW,
                days=lapses[alert.prisoner_id].lapse(alert.party).days,
                threshold=lapses[alert.prisoner_id].lapse(alert.party).threshold,
            )
            for alert in alerts
        ]
    )


def render_digest(digest, entries):
    listed = len(entries)
    context = {
        "digest": digest,
        "entries": entries,
        "new": digest.new_count,
        "reminders": digest.reminder_count,
        "unlisted": digest.new_count + digest.reminder_count - listed,
        "alert_list_url": settings.SITE_URL.rstrip("/") + reverse("admin:alerts_alert_changelist") + "?state=open",
    }
    digest.subject = render_to_string("alerts/digest_subject.txt", context).strip()
    digest.body_text = render_to_string("alerts/digest.txt", context)
    digest.body_html = render_to_string("alerts/digest.html", context)
    digest.save(update_fields=["subject", "body_text", "body_html", "new_count", "reminder_count"])


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
            level = logging.ERROR if delivery.created_at < failing_since() else logging.WARNING
            log.log(level, "Alert digest %s to %s failed (%s); will retry.", digest.pk, delivery.email, error)
        else:
            sent += 1
            delivery.mark_sent(timezone.now())
    return sent, failed


def flush_pending(now=None):
    """Send every pending delivery now, whatever its back-off (after a mail outage has ended). Returns (sent,
    failed)."""
    now = now or timezone.now()
    Delivery.objects.pending().unleased(now).update(next_attempt_at=now)
    return send_pending(now)


def seconds_until_next_attempt(now=None):
    """When the earliest pending delivery is due again (None if nothing is pending)."""
    now = now or timezone.now()
    upcoming = Delivery.objects.pending().order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    return None if upcoming is None else max((upcoming - now).total_seconds(), 0)


def check_stored_lapses(now):
    """Fill any missing stored lapse, and verify this hour's slice of the rest (CHECK_PER_SCAN of them)."""
    clocks.check(ids=Prisoner.objects.filter(clock__isnull=True).values("pk"))
    slices = max(1, math.ceil(Prisoner.objects.count() / CHECK_PER_SCAN))
    this_hour = int(now.timestamp() // 3600) % slices  # every slice in turn, one an hour
    clocks.check(ids=Prisoner.objects.annotate(slice=F("pk") % slices).filter(slice=this_hour).values("pk"))


def scan(now=None):
    """Verify stored lapses, open/resolve alerts and record the digest; sending is a separate step.
    The run is recorded (ScanRun), failed or not."""
    now = now or timezone.now()

    def run():
        check_stored_lapses(now)
        opened, resolved = update_alerts(now)
        return ScanResult(opened=opened, resolved=resolved, digest=record_digest(now))

    return ScanRun.record(run)


def scan_retry_seconds(retries):
    """How long a failed scan waits before its next try: ALERT_SCAN_RETRY_SECONDS, doubling, never past
    half the scan interval (the next scheduled scan is due by then anyway)."""
    return min(settings.ALERT_SCAN_RETRY_SECONDS * 2**retries, settings.ALERT_SCAN_MINUTES * 30)


def failing_since(now=None):
    """Mail recorded before this and still refused is failing, not just delayed."""
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.ALERT_MAIL_FAILING_MINUTES)


def heartbeat():
    Heartbeat.beat()


def resolve_alerts_for(prisoner_ids):
    """Resolve at once what a saved contact or status change has ended."""
    return update_alerts(prisoner_ids=prisoner_ids, open_new=False)[1]
