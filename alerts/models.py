"""Overdue-contact alerts and the outbox of digest mail that reports them.

An alert is opened once per (prisoner, party) while the contact lapse exceeds its
threshold, and resolved when it no longer does; the database refuses a second
unresolved alert for the same pair. Digests are recorded with one delivery row
per recipient before anything is sent, so a failed or interrupted send is retried,
never lost. These are technical records: no simple-history here.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from casetracker.dates import approximate_date
from events.models import Party
from prisoners.lapse import LapseBasis


class Resolution(models.TextChoices):
    CONTACT = "contact", "contact resumed"
    RELEASED = "released", "no longer in custody"
    WITHIN_THRESHOLD = "within_threshold", "no longer past its threshold"


class AlertQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(resolved_at__isnull=True)

    def open(self):
        """Unresolved and not yet acknowledged: these are mailed and reminded."""
        return self.unresolved().filter(acknowledged_at__isnull=True)

    def acknowledged(self):
        return self.unresolved().filter(acknowledged_at__isnull=False)

    def resolved(self):
        return self.filter(resolved_at__isnull=False)

    def never_notified(self):
        return self.open().filter(notified_at__isnull=True)

    def due_for_reminder(self, now):
        return self.open().filter(notified_at__lte=now - datetime.timedelta(days=settings.ALERT_REMINDER_DAYS))


class Alert(approximate_date("since", "cut off since", required=False), models.Model):
    prisoner = models.ForeignKey("prisoners.Prisoner", on_delete=models.CASCADE, related_name="alerts")
    party = models.CharField(max_length=10, choices=Party.choices)
    basis = models.CharField(
        "lapse counted from", max_length=10, choices=LapseBasis.choices, help_text="What `since` is."
    )
    days_at_opening = models.PositiveIntegerField()
    threshold_at_opening = models.PositiveIntegerField()
    opened_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When it last went out in a digest.")
    reminders_sent = models.PositiveIntegerField(default=0)
    last_digest = models.ForeignKey("Digest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["prisoner", "party"],
                condition=Q(resolved_at__isnull=True),
                name="one_unresolved_alert_per_prisoner_and_party",
                violation_error_message="This prisoner already has an unresolved alert for this party.",
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "acknowledged_at", "notified_at"])]

    def __str__(self):
        return f"{self.prisoner}: no {self.party} contact since {self.since_approx or 'unknown'}"

    @property
    def state(self):
        if self.resolved_at:
            return "resolved"
        return "acknowledged" if self.acknowledged_at else "open"

    def get_admin_url(self):
        return settings.SITE_URL.rstrip("/") + reverse("admin:alerts_alert_change", args=[self.pk])

    @classmethod
    def open_for(cls, prisoner, lapse, now):
        return cls(
            prisoner=prisoner,
            party=lapse.party,
            since_approx=lapse.since,
            basis=lapse.basis,
            days_at_opening=lapse.days,
            threshold_at_opening=lapse.threshold,
            opened_at=now,
        )

    def resolution_for(self, prisoner, lapse):
        """Why this alert no longer holds, given the prisoner's current (not overdue) lapse."""
        if not prisoner.in_custody:
            return Resolution.RELEASED
        newer_contact = lapse.basis == LapseBasis.CONTACT and (
            self.since_latest is None or lapse.since.latest > self.since_latest
        )
        return Resolution.CONTACT if newer_contact else Resolution.WITHIN_THRESHOLD

    def acknowledge(self, user, note="", now=None):
        """Staff have seen it and act on it: no more reminders. Only unresolved alerts."""
        return (
            Alert.objects.unresolved()
            .filter(pk=self.pk, acknowledged_at__isnull=True)
            .update(acknowledged_at=now or timezone.now(), acknowledged_by=user, acknowledgement_note=note)
        )


class Digest(models.Model):
    """One mail per scan to every alert recipient, rendered once so every retry sends the same text."""

    created_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField()
    new_count = models.PositiveIntegerField("new alerts", default=0)
    reminder_count = models.PositiveIntegerField("reminders", default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} ({self.created_at:%Y-%m-%d %H:%M})"


class DigestEntry(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", "new"
        REMINDER = "reminder", "reminder"

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="entries")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="digest_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    days = models.PositiveIntegerField()
    threshold = models.PositiveIntegerField()

    class Meta:
        verbose_name_plural = "digest entries"
        constraints = [models.UniqueConstraint(fields=["digest", "alert"], name="one_entry_per_alert_per_digest")]


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


class Delivery(models.Model):
    """The outbox: one digest to one recipient, pending until the mail server took it.

    A sender claims a row by setting a short lease with a conditional update; if it
    dies mid-send the lease runs out and the row is sent again (at worst a repeat,
    never a loss). A failed send stays pending with a growing back-off.
    """

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["digest", "email"], name="one_delivery_per_recipient")]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self):
        return f"{self.digest.subject} to {self.email}"

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

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    objects = ScanRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["finished_at"], name="scanrun_finished")]

    def __str__(self):
        return f"scan at {self.started_at:%Y-%m-%d %H:%M}: {self.error or self.outcome or 'running'}"

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

    name = models.CharField(max_length=20, primary_key=True)
    at = models.DateTimeField()

    WORKER = "worker"

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, now=None):
        cls.objects.update_or_create(name=cls.WORKER, defaults={"at": now or timezone.now()})

    @classmethod
    def last(cls):
        return cls.objects.filter(name=cls.WORKER).values_list("at", flat=True).first()
