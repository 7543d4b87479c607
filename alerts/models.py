"""Overdue-contact alerts and the outbox of notices that report them.

An alert is opened once per (prisoner, party) while the contact lapse exceeds its
threshold, and resolved when it no longer does; the database refuses a second
unresolved alert for the same pair. While unresolved it needs someone: it is
*unattended* until staff acknowledge it (for ALERT_ACKNOWLEDGEMENT_DAYS, after which it
is due again if nothing changed) or assign it to a staff member (who then gets its
reminders); unattended past ALERT_ESCALATION_DAYS, it escalates to Editors. Every state
change is an `AlertEvent`.

Digests are recorded with one delivery row per recipient and channel (email, or an
Apprise URL) before anything is sent, so a failed or interrupted send is retried, never
lost. These are technical records: no simple-history here (the events are the history).
"""

import datetime
from urllib.parse import urlsplit

import apprise
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from casetracker.dates import DaysBetween, Precision, approximate_date
from events.models import Party
from prisoners.lapse import LapseBasis
from prisoners.lapse import names as lapse_names
from prisoners.models import CustodyPeriod, Facility


class Resolution(models.TextChoices):
    CONTACT = "contact", gettext_lazy("contact resumed")
    RELEASED = "released", gettext_lazy("no longer in custody")
    WITHIN_THRESHOLD = "within_threshold", gettext_lazy("no longer past its threshold")


def days(setting):
    return datetime.timedelta(days=getattr(settings, setting))


class AlertQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(resolved_at__isnull=True)

    def open(self):
        """Unresolved and not acknowledged: these are notified and reminded."""
        return self.unresolved().filter(acknowledged_at__isnull=True)

    def acknowledged(self):
        return self.unresolved().filter(acknowledged_at__isnull=False)

    def resolved(self):
        return self.filter(resolved_at__isnull=False)

    # Who is active is asked with a subquery, never a join: an UPDATE over a join becomes `id IN (SELECT …)`,
    # which PostgreSQL does not re-check against a row another claim changed meanwhile (two scans would then
    # both claim it). Without a join, the claim's conditions are re-checked on the row as committed.
    def unattended(self):
        """Open and nobody's (or a deactivated account's): notices go to all alert staff, and it
        escalates if left so."""
        inactive = get_user_model().objects.filter(is_active=False).values("pk")
        return self.open().filter(Q(assigned_to__isnull=True) | Q(assigned_to__in=inactive))

    def taken_on(self):
        """Unresolved and an active staff member's (acknowledged or not)."""
        return self.unresolved().filter(assigned_to__in=get_user_model().objects.filter(is_active=True).values("pk"))

    def assigned(self):
        """Open and an active staff member's: notices go to them."""
        return self.taken_on().filter(acknowledged_at__isnull=True)

    def never_notified(self):
        """Not yet notified since it opened, came back or changed hands."""
        return self.filter(notified_at__isnull=True)

    def due_for_reminder(self, now):
        return self.filter(notified_at__lte=now - days("ALERT_REMINDER_DAYS"))

    def due_a_notice(self, now):
        return self.filter(Q(notified_at__isnull=True) | Q(notified_at__lte=now - days("ALERT_REMINDER_DAYS")))

    def acknowledgement_lapsed(self, now):
        """Acknowledged longer ago than an acknowledgement lasts, and still unresolved."""
        return self.acknowledged().filter(acknowledged_at__lte=now - days("ALERT_ACKNOWLEDGEMENT_DAYS"))

    def due_for_escalation(self, now):
        """Unattended for ALERT_ESCALATION_DAYS since it last needed someone, and not yet escalated."""
        return self.unattended().filter(
            escalated_at__isnull=True, attention_since__lte=now - days("ALERT_ESCALATION_DAYS")
        )

    def with_days_now(self, today=None):
        """`days_now`: days cut off as of `today`, from the prisoner's stored lapse for the alert's party."""
        today = Value(today or timezone.localdate(), output_field=models.DateField())
        return self.annotate(
            days_now=Case(
                *(
                    When(party=party, then=DaysBetween(today, F(f"prisoner__clock__{party}_since_latest")))
                    for party in Party.values
                ),
                output_field=models.IntegerField(),
            )
        )

    def with_facility_now(self):
        """Where the prisoner is held now (see Alert.facility_now)."""
        held = CustodyPeriod.objects.current().filter(prisoner=OuterRef("prisoner")).order_by("-pk")
        return self.annotate(
            facility_now_name=Subquery(held.values("facility__name")[:1]),
            facility_now_city=Subquery(held.values("facility__city")[:1]),
        )


class Notice(models.TextChoices):
    """Why an alert is in a digest."""

    NEW = "new", pgettext_lazy("alert notice", "new")
    REMINDER = "reminder", pgettext_lazy("alert notice", "still open")
    DUE_AGAIN = "due_again", pgettext_lazy("alert notice", "due again")
    ASSIGNED = "assigned", pgettext_lazy("alert notice", "assigned to you")
    ESCALATED = "escalated", pgettext_lazy("alert notice", "unattended")


# Alert.__str__, a sentence per party and whether the day is known (the party is declined in be/ru).
NO_CONTACT = {
    (Party.LAWYER, True): gettext_lazy("%(prisoner)s: no lawyer contact since %(since)s"),
    (Party.LAWYER, False): gettext_lazy("%(prisoner)s: no lawyer contact since unknown"),
    (Party.FAMILY, True): gettext_lazy("%(prisoner)s: no family contact since %(since)s"),
    (Party.FAMILY, False): gettext_lazy("%(prisoner)s: no family contact since unknown"),
}


class Alert(approximate_date("since", "cut off since", required=False), models.Model):
    prisoner = models.ForeignKey(
        "prisoners.Prisoner", on_delete=models.CASCADE, related_name="alerts", verbose_name=gettext_lazy("prisoner")
    )
    party = models.CharField(gettext_lazy("party"), max_length=10, choices=Party.choices)
    basis = models.CharField(
        gettext_lazy("lapse counted from"),
        max_length=10,
        choices=LapseBasis.choices,
        help_text=gettext_lazy("What `since` is."),
    )
    days_at_opening = models.PositiveIntegerField(gettext_lazy("days at opening"))
    threshold_at_opening = models.PositiveIntegerField(gettext_lazy("threshold at opening"))
    opened_at = models.DateTimeField(gettext_lazy("opened at"), default=timezone.now)
    attention_since = models.DateTimeField(
        gettext_lazy("attention since"),
        default=timezone.now,
        help_text=gettext_lazy("When it last came to need someone: opened, or due again."),
    )
    notified_at = models.DateTimeField(
        gettext_lazy("notified at"), null=True, blank=True, help_text=gettext_lazy("When it last went out in a digest.")
    )
    last_notice = models.CharField(
        gettext_lazy("last notice"),
        max_length=10,
        choices=Notice.choices,
        default=Notice.NEW,
        help_text=gettext_lazy("What its next or last notice says."),
    )
    reminders_sent = models.PositiveIntegerField(gettext_lazy("reminders sent"), default=0)
    last_digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("last digest"),
    )
    acknowledged_at = models.DateTimeField(gettext_lazy("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("acknowledged by"),
    )
    acknowledgement_note = models.TextField(gettext_lazy("acknowledgement note"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_alerts",
        verbose_name=gettext_lazy("assigned to"),
    )
    assigned_at = models.DateTimeField(gettext_lazy("assigned at"), null=True, blank=True)
    escalated_at = models.DateTimeField(
        gettext_lazy("escalated at"),
        null=True,
        blank=True,
        help_text=gettext_lazy("When it went to Editors, unattended."),
    )
    escalation_digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("escalation digest"),
    )
    resolved_at = models.DateTimeField(gettext_lazy("resolved at"), null=True, blank=True)
    resolution = models.CharField(gettext_lazy("resolution"), max_length=20, choices=Resolution.choices, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("alert")
        verbose_name_plural = gettext_lazy("alerts")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["prisoner", "party"],
                condition=Q(resolved_at__isnull=True),
                name="one_unresolved_alert_per_prisoner_and_party",
                violation_error_message=gettext_lazy("This prisoner already has an unresolved alert for this party."),
            )
        ]
        indexes = [
            models.Index(fields=["resolved_at", "acknowledged_at", "notified_at"]),
            models.Index(fields=["assigned_to", "resolved_at"], name="alert_by_assignee"),
        ]

    def __str__(self):
        said = NO_CONTACT.get((self.party, bool(self.since_approx)))
        if said is None:
            return f"{self.prisoner}: no {self.party} contact since {self.since_approx or 'unknown'}"
        return said % {"prisoner": self.prisoner, "since": self.since_approx and self.since_approx.genitive}

    @property
    def state(self):
        if self.resolved_at:
            return "resolved"
        return "acknowledged" if self.acknowledged_at else "open"

    @property
    def facility_now(self):
        """Where the prisoner is held now, as the facility names itself ("" when not known or not held);
        read from `with_facility_now()`."""
        return Facility.label(self.facility_now_name, self.facility_now_city) if self.facility_now_name else ""

    @property
    def next_step(self):
        """What happens next if nobody acts, and when: (what, when) or None once resolved."""
        if self.resolved_at:
            return None
        if self.acknowledged_at:
            return "due again", self.acknowledged_at + days("ALERT_ACKNOWLEDGEMENT_DAYS")
        if (self.assigned_to is None or not self.assigned_to.is_active) and self.escalated_at is None:
            return "escalates", self.attention_since + days("ALERT_ESCALATION_DAYS")
        return "reminder", (self.notified_at or timezone.now()) + days("ALERT_REMINDER_DAYS")

    def get_admin_url(self):
        return site_url(reverse("admin:alerts_alert_change", args=[self.pk]))

    @staticmethod
    def opening(party, now):
        """What an alert records as it opens ({field: expression}, for `casetracker.insert_select`), over prisoners
        annotated with their lapse (`with_contact_lapse()`): the lapse as it stands now."""
        name = lapse_names(party)
        return {
            "prisoner": F("pk"),
            "party": Value(party),
            "since": F(name.since_day),
            "since_precision": Coalesce(F(name.since_precision), Value(Precision.DAY.value)),
            "since_latest": F(name.since_latest),
            "basis": F(name.basis),
            "days_at_opening": F(name.days),
            "threshold_at_opening": F(name.threshold),
            "opened_at": Value(now),
            "attention_since": Value(now),
        }

    def resolution_for(self, prisoner, lapse):
        """Why this alert no longer holds, given the prisoner's current (not overdue) lapse."""
        if not prisoner.in_custody:
            return Resolution.RELEASED
        newer_contact = lapse.basis == LapseBasis.CONTACT and (
            self.since_latest is None or lapse.since.latest > self.since_latest
        )
        return Resolution.CONTACT if newer_contact else Resolution.WITHIN_THRESHOLD

    def acknowledge(self, user, note="", now=None):
        """Staff have seen it and act on it: no reminders for ALERT_ACKNOWLEDGEMENT_DAYS. Only
        unresolved, unacknowledged alerts; returns how many changed (0 or 1)."""
        now = now or timezone.now()
        with transaction.atomic():
            done = (
                Alert.objects.open()
                .filter(pk=self.pk)
                .update(acknowledged_at=now, acknowledged_by=user, acknowledgement_note=note)
            )
            if done:
                AlertEvent.objects.create(
                    alert_id=self.pk, at=now, kind=AlertEvent.Kind.ACKNOWLEDGED, user=user, note=note
                )
        return done

    def assign(self, assignee, by, note="", now=None):
        """Make it `assignee`'s: they get its notices (the next digest tells them). Only unresolved
        alerts; assigning to the current assignee changes nothing. Returns how many changed (0 or 1)."""
        now = now or timezone.now()
        with transaction.atomic():
            done = (
                Alert.objects.unresolved()
                .filter(pk=self.pk)
                .exclude(assigned_to=assignee)
                .update(assigned_to=assignee, assigned_at=now, notified_at=None, last_notice=Notice.ASSIGNED)
            )
            if done:
                AlertEvent.objects.create(
                    alert_id=self.pk,
                    at=now,
                    kind=AlertEvent.Kind.ASSIGNED,
                    user=by,
                    note=f"to {assignee.get_username()}" + (f": {note}" if note else ""),
                )
        return done


def site_url(path):
    """An absolute link for mail and chat: SITE_URL plus the path."""
    return settings.SITE_URL.rstrip("/") + path


class AlertEvent(models.Model):
    """A change in an alert's state, by whom (None: the scan) and why: the alert's history."""

    class Kind(models.TextChoices):
        OPENED = "opened", pgettext_lazy("alert event", "opened")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("alert event", "acknowledged")
        ASSIGNED = "assigned", pgettext_lazy("alert event", "assigned")
        DUE_AGAIN = "due_again", gettext_lazy("due again (acknowledgement lapsed)")
        ESCALATED = "escalated", gettext_lazy("escalated to Editors")
        RESOLVED = "resolved", pgettext_lazy("alert event", "resolved")

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="events", verbose_name=gettext_lazy("alert")
    )
    at = models.DateTimeField(gettext_lazy("at"), default=timezone.now)
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("user"),
    )
    note = models.TextField(gettext_lazy("note"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("alert event")
        verbose_name_plural = gettext_lazy("alert events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["alert", "at"], name="alertevent_by_alert")]

    def __str__(self):
        return _("%(kind)s at %(when)s") % {"kind": self.get_kind_display(), "when": f"{self.at:%Y-%m-%d %H:%M}"}

    @classmethod
    def record(cls, alert_ids, kind, now, note=""):
        """The same change to many alerts at once (the scan's): one row each."""
        cls.objects.bulk_create([cls(alert_id=pk, at=now, kind=kind, note=note) for pk in alert_ids])


class Digest(models.Model):
    """One notice to one audience, rendered once so every retry sends the same text: each scan's
    to all alert staff, each assignee's own, and the escalation to Editors."""

    class Audience(models.TextChoices):
        STAFF = "staff", gettext_lazy("alert staff")
        ASSIGNEE = "assignee", gettext_lazy("assignee")
        EDITORS = "editors", gettext_lazy("editors (escalation)")

    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)
    audience = models.CharField(
        gettext_lazy("audience"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    subject = models.CharField(gettext_lazy("subject"), max_length=200)
    body_text = models.TextField(gettext_lazy("body text"))
    body_html = models.TextField(gettext_lazy("body html"))
    new_count = models.PositiveIntegerField(gettext_lazy("new alerts"), default=0)
    reminder_count = models.PositiveIntegerField(gettext_lazy("reminders"), default=0)
    # The same notice in the other languages its recipients read (language -> [subject, text, html]); the fields
    # above hold it in the site's default language. Rendered with it, so every retry sends the same text.
    translations = models.JSONField(gettext_lazy("translations"), default=dict, blank=True)

    class Meta:
        verbose_name = gettext_lazy("digest")
        verbose_name_plural = gettext_lazy("digests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} ({self.created_at:%Y-%m-%d %H:%M})"

    def text_in(self, language):
        """(subject, text, html) in `language`, as rendered when the digest was recorded."""
        if language in self.translations:
            return tuple(self.translations[language])
        return self.subject, self.body_text, self.body_html


class DigestEntry(models.Model):
    """An alert as a digest listed it: the figures as of that day, where the prisoner was held."""

    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="entries", verbose_name=gettext_lazy("digest")
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="digest_entries", verbose_name=gettext_lazy("alert")
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=10, choices=Notice.choices)
    days = models.PositiveIntegerField(gettext_lazy("days"))
    threshold = models.PositiveIntegerField(gettext_lazy("threshold"))
    held_at = models.CharField(gettext_lazy("held at"), max_length=300, blank=True)

    class Meta:
        verbose_name = gettext_lazy("digest entry")
        verbose_name_plural = gettext_lazy("digest entries")
        constraints = [models.UniqueConstraint(fields=["digest", "alert"], name="one_entry_per_alert_per_digest")]

    def prisoner_admin_url(self):
        return site_url(reverse("admin:prisoners_prisoner_change", args=[self.alert.prisoner_id]))

    def prisoner_public_url(self):
        """The public case page, only for a published prisoner (anything else would be a 404, or worse a hint)."""
        prisoner = self.alert.prisoner
        return site_url(prisoner.get_absolute_url()) if prisoner.published else ""


def validate_channel_url(url):
    if apprise.Apprise.instantiate(url) is None:
        raise ValidationError(
            _(
                "This is not a channel address Apprise can use: check the service's format "
                "(e.g. mailto://, matrixs://, tgram://, signal://, json://)."
            )
        )


def masked(url):
    """What may be shown of a channel address: the service and host as Apprise masks them, never
    the path or query, where tokens and phone numbers sit."""
    channel = apprise.Apprise.instantiate(url)
    if channel is None:
        return _("(not a channel address)")
    parts = urlsplit(channel.url(privacy=True))
    host = parts.netloc.rsplit("@", 1)[-1] if "****" not in parts.netloc else parts.netloc
    return f"{parts.scheme}://{host}" + ("/…" if parts.path.strip("/") else "")


class ChannelQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(enabled=True)


class Channel(models.Model):
    """Where a staff member gets alert notices besides email: an Apprise URL (Matrix, Telegram,
    Signal through signal-cli's REST API, a webhook, …). The URL holds credentials: it is never
    shown back in full, never logged, and never in an error message."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alert_channels",
        verbose_name=gettext_lazy("user"),
    )
    label = models.CharField(
        gettext_lazy("label"), max_length=100, help_text=gettext_lazy("For you, e.g. “Signal, work phone”.")
    )
    url = models.TextField(
        gettext_lazy("address"),
        validators=[validate_channel_url],
        help_text=gettext_lazy(
            "An Apprise URL, e.g. matrixs://user:password@matrix.org/#room or tgram://bottoken/chat_id. "
            "Kept secret: never shown again."
        ),
    )
    enabled = models.BooleanField(gettext_lazy("enabled"), default=True)
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("channel")
        verbose_name_plural = gettext_lazy("channels")
        ordering = ["user", "label", "pk"]

    def __str__(self):
        return f"{self.label} ({self.masked_url})"

    @property
    def masked_url(self):
        return masked(self.url)


class DeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)

    def unleased(self, now):
        return self.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))

    def due(self, now):
        return self.pending().unleased(now).filter(next_attempt_at__lte=now)

    def failing_since(self, moment):
        """Still pending, tried and refused, and recorded before `moment`."""
        return self.pending().filter(attempts__gt=0, created_at__lt=moment)

    def by_mail(self):
        return self.filter(channel__isnull=True)

    def by_channel(self):
        return self.filter(channel__isnull=False)


class Delivery(models.Model):
    """The outbox: one digest to one recipient by email or through one of their channels,
    pending until the mail server or the channel's service took it.

    A sender claims a row by setting a short lease with a conditional update; if it
    dies mid-send the lease runs out and the row is sent again (at worst a repeat,
    never a loss). A failed send stays pending with a growing back-off.
    """

    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="deliveries", verbose_name=gettext_lazy("digest")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("user"),
    )
    email = models.EmailField(gettext_lazy("email"), blank=True)
    # A removed channel takes its undelivered notices with it: nobody is left to read them there.
    channel = models.ForeignKey(
        Channel,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=gettext_lazy("channel"),
    )
    language = models.CharField(
        gettext_lazy("language"), max_length=2, default=settings.LANGUAGE_CODE
    )  # the recipient's, when recorded
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(gettext_lazy("next attempt at"), default=timezone.now)
    lease_until = models.DateTimeField(gettext_lazy("lease until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(gettext_lazy("attempts"), default=0)
    last_error = models.TextField(gettext_lazy("last error"), blank=True)
    sent_at = models.DateTimeField(gettext_lazy("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("delivery")
        verbose_name_plural = gettext_lazy("deliveries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "email"], condition=Q(channel__isnull=True), name="one_delivery_per_recipient"
            ),
            models.UniqueConstraint(
                fields=["digest", "channel"], condition=Q(channel__isnull=False), name="one_delivery_per_channel"
            ),
            models.CheckConstraint(
                condition=(Q(channel__isnull=True) & ~Q(email="")) | (Q(channel__isnull=False) & Q(email="")),
                name="delivery_by_mail_or_channel",
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self):
        return _("%(subject)s to %(recipient)s") % {"subject": self.digest.subject, "recipient": self.recipient}

    @property
    def recipient(self):
        return str(self.channel) if self.channel_id else self.email

    def claim(self, now, lease):
        """True if this caller won the row: nobody else sends it until the lease ends."""
        return bool(Delivery.objects.filter(pk=self.pk).due(now).update(lease_until=now + lease))

    def mark_sent(self, now):
        Delivery.objects.filter(pk=self.pk).update(
            sent_at=now, attempts=F("attempts") + 1, lease_until=None, last_error=""
        )

    def mark_failed(self, now, error, backoff):
        Delivery.objects.filter(pk=self.pk).update(
            attempts=F("attempts") + 1, last_error=error[:2000], next_attempt_at=now + backoff, lease_until=None
        )


class ScanRunQuerySet(models.QuerySet):
    def succeeded(self):
        return self.filter(finished_at__isnull=False, error="")

    def last_success(self):
        """When the latest successful scan finished (None: none yet)."""
        return self.succeeded().order_by("-finished_at").values_list("finished_at", flat=True).first()


class ScanRun(models.Model):
    """One run of the contact scan: when it ran and what it did, or why it failed. /healthz
    reads the latest success: a scheduler that has gone quiet must not go unnoticed."""

    started_at = models.DateTimeField(gettext_lazy("started at"), default=timezone.now)
    finished_at = models.DateTimeField(gettext_lazy("finished at"), null=True, blank=True)
    outcome = models.CharField(gettext_lazy("outcome"), max_length=200, blank=True)
    error = models.TextField(gettext_lazy("error"), blank=True)

    objects = ScanRunQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("scan run")
        verbose_name_plural = gettext_lazy("scan runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["finished_at"], name="scanrun_finished")]

    def __str__(self):
        return _("scan at %(when)s: %(what)s") % {
            "when": f"{self.started_at:%Y-%m-%d %H:%M}",
            "what": self.error or self.outcome or pgettext("scan", "running"),
        }

    @classmethod
    def record(cls, scan):
        """Run `scan()` (returns what it did), keeping a row of it; a failure is stored and raised again."""
        run = cls.objects.create()
        try:
            outcome = scan()
        except Exception as error:
            cls.objects.filter(pk=run.pk).update(finished_at=timezone.now(), error=f"{type(error).__name__}: {error}")
            raise
        cls.objects.filter(pk=run.pk).update(finished_at=timezone.now(), outcome=str(outcome)[:200])
        return outcome


class Heartbeat(models.Model):
    """The scheduler's and a worker's sign of life, one row: beat queues the heartbeat task
    every ALERT_HEARTBEAT_SECONDS and a worker stores when it ran it."""

    name = models.CharField(gettext_lazy("name"), max_length=20, primary_key=True)
    at = models.DateTimeField(gettext_lazy("at"))

    WORKER = "worker"

    class Meta:
        verbose_name = gettext_lazy("heartbeat")
        verbose_name_plural = gettext_lazy("heartbeats")

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, now=None):
        cls.objects.update_or_create(name=cls.WORKER, defaults={"at": now or timezone.now()})

    @classmethod
    def last(cls):
        return cls.objects.filter(name=cls.WORKER).values_list("at", flat=True).first()


class StaffPreferences(models.Model):
    """What a staff member chose for themself: the language of the admin and of their alert notices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_preferences",
        verbose_name=gettext_lazy("user"),
    )
    language = models.CharField(
        gettext_lazy("language"), max_length=2, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = verbose_name_plural = "language preference"

    def __str__(self):
        return f"{self.user}: {self.get_language_display()}"

    @classmethod
    def languages_of(cls, users):
        """{user id: language} of these staff members, the site's default for those who chose none: one query."""
        chosen = dict(cls.objects.filter(user__in=users).values_list("user_id", "language"))
        return {user.pk: chosen.get(user.pk, settings.LANGUAGE_CODE) for user in users}
