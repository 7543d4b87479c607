"""Held changes: a researcher's edit that would change what the public sees waits here for an editor.

The record is not changed until an editor approves: the public site (and the admin form) keep showing
the approved version. What is held is the submitted form itself, replayed through the same admin form
on approval (review.replay), so an approved change is checked and saved exactly as a direct edit
would be, history and all, and refused if the record changed since the researcher read it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class State(models.TextChoices):
    PENDING = "pending", gettext_lazy("waiting for review")
    APPROVED = "approved", gettext_lazy("approved and published")
    RETURNED = "returned", gettext_lazy("returned to the researcher")


class HeldChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=State.PENDING)

    def of_record(self, model, pk):
        return self.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))

    def visible_to(self, user):
        """Editors review everyone's; a researcher sees their own (and why one was returned)."""
        if user.has_perm("review.change_heldchange"):
            return self
        return self.filter(author=user)


class HeldChange(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=gettext_lazy("kind of record"))
    object_id = models.CharField(
        gettext_lazy("object id"), max_length=64, blank=True, help_text=gettext_lazy("Empty for a record to be added.")
    )
    record = models.CharField(
        gettext_lazy("record"), max_length=300, help_text=gettext_lazy("The record as it was named when held.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="held_changes",
        verbose_name=gettext_lazy("author"),
    )
    made_at = models.DateTimeField(gettext_lazy("made at"), default=timezone.now, db_index=True)
    # The form as submitted (field name -> values), replayed through the admin on approval.
    form_data = models.JSONField(gettext_lazy("form data"))
    # What it changes, worked out when held: [{"record", "field", "was", "now"}].
    changes = models.JSONField(gettext_lazy("changes"), default=list)
    cases = models.ManyToManyField(
        "prisoners.Prisoner",
        related_name="held_changes",
        help_text=gettext_lazy("The published cases whose pages it changes."),
        verbose_name=gettext_lazy("cases"),
    )
    state = models.CharField(
        gettext_lazy("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("decided by"),
    )
    decided_at = models.DateTimeField(gettext_lazy("decided at"), null=True, blank=True)
    comment = models.TextField(
        gettext_lazy("comment"), blank=True, help_text=gettext_lazy("The editor's word to the researcher.")
    )

    objects = HeldChangeQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("held change")
        verbose_name_plural = gettext_lazy("held changes")
        ordering = ["made_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=State.PENDING, decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(state=State.PENDING) & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="held_change_decided_when_not_pending",
            )
        ]

    def __str__(self):
        return _("%(record)s (held %(when)s, %(author)s)") % {
            "record": self.record,
            "when": date_format(timezone.localtime(self.made_at), "d M Y H:i"),
            "author": self.author,
        }

    @property
    def model(self):
        return self.content_type.model_class()

    @property
    def adds(self):
        return not self.object_id

    def record_url(self):
        opts = self.model._meta
        if self.adds:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.object_id])

    def decide(self, state, editor, comment=""):
        """Claim the decision: True if this call made it, False if someone decided it first."""
        now = timezone.now()
        claimed = HeldChange.objects.filter(pk=self.pk, state=State.PENDING).update(
            state=state, decided_by=editor, decided_at=now, comment=comment
        )
        if claimed:
            self.state, self.decided_by, self.decided_at, self.comment = state, editor, now, comment
        return bool(claimed)


class ReviewMark(models.Model):
    """Up to when an editor has looked at what others changed: the review page lists what came after."""

    editor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_mark",
        verbose_name=gettext_lazy("editor"),
    )
    reviewed_up_to = models.DateTimeField(gettext_lazy("reviewed up to"))

    class Meta:
        verbose_name = gettext_lazy("review mark")
        verbose_name_plural = gettext_lazy("review marks")

    def __str__(self):
        return _("%(editor)s reviewed up to %(when)s") % {"editor": self.editor, "when": self.reviewed_up_to}
