"""A register file on its way in: uploaded, previewed (a dry run), then imported or refused.

Kept so the editor who confirms imports exactly the file that was previewed, and as a record
of what came in, when and from whom. Technical records: no simple-history here (the imported
records carry their own history, with the file's name as the change reason)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        PRISONERS = "prisoners", pgettext_lazy("import kind", "prisoners")
        FACILITIES = "facilities", pgettext_lazy("import kind", "facilities")

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("previewed, not imported yet")
        IMPORTED = "imported", pgettext_lazy("import state", "imported")
        REFUSED = "refused", _("refused: the file has problems")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    register = models.CharField(
        _("register"), max_length=100, blank=True, help_text=_("Whose IDs the file's register_id column holds.")
    )
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PREVIEWED)
    summary = models.TextField(_("summary"), blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at"]
        permissions = [("run_import", "Can import register files")]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()}, {self.created_at:%Y-%m-%d %H:%M})"
