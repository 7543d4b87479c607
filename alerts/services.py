"""The contact-lapse scan and alert notices. Tasks and the alert commands call these.

A scan (1) checks a slice of the stored lapses against the rule (so every one is verified
daily) and fills any missing, (2) opens alerts for prisoners newly past their threshold and
resolves those no longer past it: who is overdue and who has an open alert are read as ids
from the stored lapses, and only their difference is worked on, in batches, so a scan with
nothing new costs a few narrow queries at any register size, (3) makes acknowledged alerts
whose acknowledgement has lapsed due again, (4) records the digests: one to all alert staff
(new, due again and reminders of unattended alerts), one to each assignee (their alerts), one
to Editors (alerts unattended too long), each with a delivery row per recipient and channel,
and (5) sends pending deliveries. Each step is safe to run twice at once: alerts are unique
per prisoner and party in the database, alerts are claimed for a digest and lapsed
acknowledgements expired by conditional UPDATEs, deliveries by a lease.
"""

import datetime
import logging
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import apprise
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import npgettext_lazy

from casetracker.insert_select import insert_from
from casetracker.iterables import batched
from casetracker.roles import ALERT_STAFF, EDITOR
from casetracker.text import counted
from events.models import Party
from prisoners import clocks
from prisoners import lapse as lapse_rule
from prisoners.models import Prisoner

from .models import (
    Alert,
    AlertEvent,
    Delivery,
    Digest,
    DigestEntry,
    Heartbeat,
    Notice,
    ScanRun,
    StaffPreferences,
    masked,
    site_url,
)

log = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=10)
MAX_BACKOFF = datetime.timedelta(hours=1)


@dataclass
class ScanResult:
    opened: int = 0
    resolved: int = 0
    due_again: int = 0
    digests: list[Digest] = field(default_factory=list)

    @property
    def digest(self):
        """The digest to all alert staff, if one was recorded."""
        return next((d for d in self.digests if d.audience == Digest.Audience.STAFF), None)

    def __str__(self):
        """In words: "12 alerts opened, 0 resolved; 1 digest to 1 recipient"."""
        said = f"{counted(self.opened, 'alert')} opened, {self.resolved} resolved"
        if self.due_again:
            said += f", {self.due_again} due again"
        if not self.digests:
            return f"{said}; no digest"
        recipients = Delivery.objects.filter(digest__in=self.digests).values("user").distinct().count()
        return f"{said}; {counted(len(self.digests), 'digest')} to {counted(recipients, 'recipient')}"


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
        # Made by the database from the lapse annotations (no instance per alert). A concurrent scan may open the
        # same alert first: the unique constraint keeps one, and only the rows this one inserted count as opened here.
        mine = insert_from(prisoners.filter(pk__in=batch), Alert, Alert.opening(party, now))
        AlertEvent.record(mine, AlertEvent.Kind.OPENED, now)
        opened += len(mine)
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
        for reason, pks in reasons.items():
            with transaction.atomic():
                resolved += Alert.objects.unresolved().filter(pk__in=pks).update(resolved_at=now, resolution=reason)
                mine = Alert.objects.filter(pk__in=pks, resolved_at=now, resolution=reason).values_list("pk", flat=True)
                # Stored, so in the site's default language whoever's save resolved it.
                with translation.override(settings.LANGUAGE_CODE):
                    AlertEvent.record(mine, AlertEvent.Kind.RESOLVED, now, note=str(reason.label))
    return resolved


def reachable(users):
    """Those of `users` who are active and have an email address or an enabled channel."""
    return (
        users.filter(is_active=True)
        .filter(~Q(email="") | Q(alert_channels__enabled=True))
        .order_by("pk")
        .distinct()
        .prefetch_related("alert_channels")
    )


def in_role(role):
    return get_user_model().objects.filter(groups__name=role)


def alert_recipients():
    """Who gets the digest to all alert staff."""
    return reachable(in_role(ALERT_STAFF))


def alert_handlers():
    """Who acts on alerts (and can be assigned one): active alert staff and editors."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[ALERT_STAFF, EDITOR])
        .distinct()
        .order_by("username")
    )


def unreachable_staff():
    """Alert handlers with neither an email address nor an enabled channel (shown in the admin)."""
    staff = alert_handlers()
    return staff.exclude(pk__in=reachable(staff).values("pk"))


def expire_acknowledgements(now=None):
    """Make due again every alert acknowledged longer than an acknowledgement lasts and still
    unresolved (whatever was done did not end it). Returns how many."""
    now = now or timezone.now()
    lapsed = list(Alert.objects.acknowledgement_lapsed(now).values_list("pk", flat=True))
    note = f"acknowledged over {settings.ALERT_ACKNOWLEDGEMENT_DAYS} days ago and still unresolved"
    due_again = 0
    for batch in batched(lapsed, BATCH):
        with transaction.atomic():
            due_again += (
                Alert.objects.acknowledgement_lapsed(now)
                .filter(pk__in=batch)
                .update(
                    acknowledged_at=None,
                    acknowledged_by=None,
                    acknowledgement_note="",
                    attention_since=now,
                    escalated_at=None,
                    notified_at=None,
                    last_notice=Notice.DUE_AGAIN,
                )
            )
            mine = Alert.objects.filter(pk__in=batch, attention_since=now, last_notice=Notice.DUE_AGAIN)
            AlertEvent.record(mine.values_list("pk", flat=True), AlertEvent.Kind.DUE_AGAIN, now, note=note)
    return due_again


def _claim_notices(first, reminders, digest, now):
    """Claim into `digest` what of `first` is not yet notified (new, due again or newly assigned: its
    kind was set when it became due) and what of `reminders` is due a reminder. The conditional
    UPDATE is the claim: a scan running at the same time finds these rows changed."""
    first = first.never_notified().update(notified_at=now, last_digest=digest)
    reminders = reminders.due_for_reminder(now).update(
        notified_at=now, last_digest=digest, reminders_sent=F("reminders_sent") + 1, last_notice=Notice.REMINDER
    )
    return first, reminders


def _record(audience, recipients, claim, now):
    """One digest to `recipients` of what `claim(digest)` claims (returns (first notices,
    reminders)); None when nothing was due or nobody could receive it (then nothing is claimed)."""
    recipients = list(recipients)
    if not recipients:
        return None
    with transaction.atomic():
        digest = Digest.objects.create(created_at=now, audience=audience, subject="", body_text="", body_html="")
        digest.new_count, digest.reminder_count = claim(digest)
        if not digest.new_count and not digest.reminder_count:
            transaction.set_rollback(True)
            return None
        languages = StaffPreferences.languages_of(recipients)
        entries = _listed_entries(digest, now)
        render_digest(digest, entries, recipients)
        for language in set(languages.values()) - {settings.LANGUAGE_CODE}:
            with translation.override(language):
                digest.translations[language] = rendered_digest(digest, entries, recipients)
        digest.save(update_fields=["translations"])
        Delivery.objects.bulk_create(
            [
                *(
                    Delivery(
                        digest=digest,
                        user=user,
                        email=user.email,
                        language=languages[user.pk],
                        created_at=now,
                        next_attempt_at=now,
                    )
                    for user in recipients
                    if user.email
                ),
                *(
                    Delivery(
                        digest=digest,
                        user=user,
                        channel=channel,
                        language=languages[user.pk],
                        created_at=now,
                        next_attempt_at=now,
                    )
                    for user in recipients
                    for channel in user.alert_channels.all()
                    if channel.enabled
                ),
            ]
        )
    return digest


def record_digests(now=None):
    """Record every digest that is due: to all alert staff, to each assignee, the escalation to
    Editors. Returns them (an empty list when nothing was due)."""
    now = now or timezone.now()
    unattended = Alert.objects.unattended()
    digests = [
        _record(
            Digest.Audience.STAFF, alert_recipients(), lambda d: _claim_notices(unattended, unattended, d, now), now
        )
    ]
    # An assignee hears of an assignment even while the alert is acknowledged; reminders wait for it to lapse.
    taken = Alert.objects.taken_on()
    due = (taken.never_notified() | Alert.objects.assigned().due_for_reminder(now)).values("assigned_to")
    for user in reachable(get_user_model().objects.filter(pk__in=due)):
        theirs = taken.filter(assigned_to=user)
        claim = lambda d: _claim_notices(theirs, theirs.open(), d, now)  # noqa: E731 (called at once)
        digests.append(_record(Digest.Audience.ASSIGNEE, [user], claim, now))
    digests.append(_record(Digest.Audience.EDITORS, reachable(in_role(EDITOR)), lambda d: _escalate(d, now), now))
    return [digest for digest in digests if digest]


def warn_of_unreachable_audiences(now):
    """Alerts due to go out to nobody (once a scan, not every minute)."""
    if not alert_recipients().exists() and Alert.objects.unattended().due_a_notice(now).exists():
        log.warning("Alerts are due but no active Alert staff member has an email address or a channel.")
    if not reachable(in_role(EDITOR)).exists() and Alert.objects.due_for_escalation(now).exists():
        log.warning("Alerts are due for escalation but no active Editor has an email address or a channel.")


def _escalate(digest, now):
    escalating = list(Alert.objects.due_for_escalation(now).values_list("pk", flat=True))
    escalated = (
        Alert.objects.due_for_escalation(now)
        .filter(pk__in=escalating)
        .update(escalated_at=now, escalation_digest=digest)
    )
    mine = Alert.objects.filter(escalation_digest=digest).values_list("pk", flat=True)
    note = f"neither acknowledged nor assigned for {settings.ALERT_ESCALATION_DAYS} days"
    AlertEvent.record(mine, AlertEvent.Kind.ESCALATED, now, note=note)
    return escalated, 0


def _claimed(digest):
    if digest.audience == Digest.Audience.EDITORS:
        return Alert.objects.filter(escalation_digest=digest).annotate(kind=Value(Notice.ESCALATED))
    return Alert.objects.filter(last_digest=digest).annotate(kind=F("last_notice"))


# The order alerts are listed in: what is new to the reader first, then the longest cut off.
NOTICE_ORDER = [Notice.ESCALATED, Notice.NEW, Notice.ASSIGNED, Notice.DUE_AGAIN, Notice.REMINDER]

# How many of each a digest holds, for its subject ("12 new", "1 still open"): in be/ru the count declines the words.
COUNTED_NOTICES = {
    Notice.ESCALATED: npgettext_lazy("alert notices", "%(count)d unattended", "%(count)d unattended", "count"),
    Notice.NEW: npgettext_lazy("alert notices", "%(count)d new", "%(count)d new", "count"),
    Notice.ASSIGNED: npgettext_lazy("alert notices", "%(count)d assigned to you", "%(count)d assigned to you", "count"),
    Notice.DUE_AGAIN: npgettext_lazy("alert notices", "%(count)d due again", "%(count)d due again", "count"),
    Notice.REMINDER: npgettext_lazy("alert notices", "%(count)d still open", "%(count)d still open", "count"),
}


def _listed_entries(digest, now):
    """The alerts a digest names (at most DIGEST_LISTED) with the figures as of today."""
    claimed = _claimed(digest).with_facility_now().select_related("prisoner")
    first = Case(*(When(kind=kind, then=rank) for rank, kind in enumerate(NOTICE_ORDER)))
    alerts = list(claimed.order_by(first, F("since_latest").asc(nulls_last=True), "prisoner__name")[:DIGEST_LISTED])
    lapses = Prisoner.objects.with_contact_lapse(today=timezone.localdate(now)).in_bulk(
        [alert.prisoner_id for alert in alerts]
    )
    return DigestEntry.objects.bulk_create(
        [
            DigestEntry(
                digest=digest,
                alert=alert,
                kind=alert.kind,
                days=lapses[alert.prisoner_id].lapse(alert.party).days,
                threshold=lapses[alert.prisoner_id].lapse(alert.party).threshold,
                held_at=alert.facility_now,
            )
            for alert in alerts
        ]
    )


def render_digest(digest, entries, recipients):
    """The digest in the site's default language, stored on it."""
    with translation.override(settings.LANGUAGE_CODE):
        digest.subject, digest.body_text, digest.body_html = rendered_digest(digest, entries, recipients)
    digest.save(update_fields=["subject", "body_text", "body_html", "new_count", "reminder_count"])


def rendered_digest(digest, entries, recipients):
    """(subject, text, html) of the digest in the active language."""
    kinds = dict(_claimed(digest).order_by().values_list("kind").annotate(n=Count("pk")))
    context = {
        "digest": digest,
        "entries": entries,
        "counts": [COUNTED_NOTICES[kind] % {"count": kinds[kind]} for kind in NOTICE_ORDER if kinds.get(kind)],
        "unlisted": digest.new_count + digest.reminder_count - len(entries),
        "assignee": recipients[0] if digest.audience == Digest.Audience.ASSIGNEE else None,
        "alert_list_url": site_url(reverse("admin:alerts_alert_changelist")) + "?state=open&o=-3",
        "settings": {
            "acknowledgement_days": settings.ALERT_ACKNOWLEDGEMENT_DAYS,
            "escalation_days": settings.ALERT_ESCALATION_DAYS,
        },
    }
    context["subject"] = render_to_string("alerts/digest_subject.txt", context).strip()
    text, html = render_to_string("alerts/digest.txt", context), render_to_string("alerts/digest.html", context)
    return context["subject"], text, html


def backoff(attempts):
    """Doubling after each failure (1, 2, 4 … minutes by default), at most an hour."""
    base = datetime.timedelta(seconds=settings.ALERT_MAIL_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


class ChannelRefused(Exception):
    """A channel's service did not take the notice; the message is cleaned of the channel's address."""


def redact(text, url):
    """`text` without the channel address or any piece of it long enough to be a secret."""
    pieces = {url, *(piece for piece in re.split(r"[/:@?&=#,]+", url) if len(piece) >= 6)}
    for piece in sorted(pieces, key=len, reverse=True):
        text = text.replace(piece, "…")
    return text


def send_to_channel(url, subject, body):
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise ChannelRefused("the address is not one Apprise can use")
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
        sent = notifier.notify(title=subject, body=body)
    if not sent:
        raise ChannelRefused(redact(captured.getvalue().strip(), url) or "the service did not take it")


def _send(delivery):
    subject, text, html = delivery.digest.text_in(delivery.language)
    if delivery.channel_id:
        send_to_channel(delivery.channel.url, subject, text)
        return
    message = EmailMultiAlternatives(subject, text, to=[delivery.email])
    message.attach_alternative(html, "text/html")
    message.send()


def send_pending(now=None):
    """Send every due delivery this caller can claim, by mail or through its channel. Returns (sent, failed):
    one channel failing holds up no other."""
    sent = failed = 0
    for delivery in Delivery.objects.due(now or timezone.now()).select_related("digest", "channel"):
        claimed_at = timezone.now()
        if not delivery.claim(claimed_at, LEASE):
            continue  # another sender has it
        try:
            _send(delivery)
        except Exception as error:  # the mail server's or service's refusal or absence: keep it pending
            failed += 1
            reason = f"{type(error).__name__}: {error}"
            if delivery.channel_id:
                reason = redact(reason, delivery.channel.url)
            delivery.mark_failed(timezone.now(), reason, backoff(delivery.attempts + 1))
            level = logging.ERROR if delivery.created_at < failing_since() else logging.WARNING
            to = (
                f"channel {delivery.channel_id} ({masked(delivery.channel.url)})"
                if delivery.channel_id
                else delivery.email
            )
            log.log(level, "Alert digest %s to %s failed (%s); will retry.", delivery.digest_id, to, reason)
        else:
            sent += 1
            delivery.mark_sent(timezone.now())
    return sent, failed


@dataclass
class NoticeResult:
    digests: list[Digest]
    sent: int
    failed: int

    def __str__(self):
        recorded = counted(len(self.digests), "digest")
        return f"{recorded} recorded; {counted(self.sent, 'notice')} sent, {self.failed} failed"


def send_notices(now=None):
    """Between scans: lapse acknowledgements, record the digests now due, send what is pending."""
    now = now or timezone.now()
    expire_acknowledgements(now)
    digests = record_digests(now)
    sent, failed = send_pending(now)
    return NoticeResult(digests, sent, failed)


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
        due_again = expire_acknowledgements(now)
        warn_of_unreachable_audiences(now)
        return ScanResult(opened=opened, resolved=resolved, due_again=due_again, digests=record_digests(now))

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
