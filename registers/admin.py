"""Importing a register in the admin, for editors: upload, preview (a dry run), confirm.

The upload is kept (ImportRun) so the confirmation imports exactly the file that was previewed;
the confirmation runs the same import for real, in one transaction, or refuses it."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import importer, reading
from .columns import FACILITY_COLUMNS, PRISONER_COLUMNS
from .management.commands._import import column_mapping
from .models import ImportRun

SHOWN_ROWS = 500  # rows listed on the preview; every problem is always listed


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("register import", "Kind"), choices=ImportRun.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=pgettext_lazy("register import", "File"),
        help_text=gettext_lazy("CSV (UTF-8, comma, semicolon or tab) or XLSX; the first row names the columns."),
    )
    register = forms.CharField(
        label=pgettext_lazy("register import", "Register"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Whose IDs the register_id column holds, e.g. Viasna."),
    )
    columns = forms.CharField(
        label=pgettext_lazy("register import", "Columns"),
        required=False,
        help_text=gettext_lazy("Other headers mapped onto fields, e.g. “Full name=name, Articles=charges”."),
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > reading.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is over %(megabytes)s MB: split it.") % {"megabytes": reading.MAX_BYTES // 2**20}
            )
        return upload

    def clean_columns(self):
        try:
            return column_mapping(self.cleaned_data["columns"])
        except Exception as error:  # CommandError: the same message the command gives
            raise forms.ValidationError(str(error)) from None


def report_data(report):
    """What the preview page shows, kept with the run."""
    return {
        "summary": report.summary(),
        "counts": dict(report.counts),
        "problems": [str(problem) for problem in report.problems],
        "rows": [
            {
                "row": outcome.row,
                "action": outcome.action,
                "name": outcome.name,
                "changes": outcome.changes,
                "candidates": [
                    {"name": str(record), "matched": matched, "url": _admin_url(record)}
                    for record, matched in outcome.candidates
                ],
            }
            for outcome in report.outcomes
            if outcome.action != "unchanged"
        ],
    }


def _admin_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "state", "created_by", "created_at", "summary"]
    list_filter = ["kind", "state"]
    fields = ["file_name", "kind", "register", "columns", "state", "summary", "created_by", "created_at", "imported_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # through the upload page

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="registers_importrun_upload"),
            path(
                "<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="registers_importrun_preview"
            ),
            *super().get_urls(),
        ]

    def _may_import(self, request):
        if not request.user.has_perm("registers.run_import"):
            raise PermissionDenied

    def upload_view(self, request):
        self._may_import(request)
        form = UploadForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
        if form.is_valid():
            upload = form.cleaned_data["file"]
            run = ImportRun.objects.create(
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                content=upload.read(),
                register=form.cleaned_data["register"],
                columns=form.cleaned_data["columns"],
                created_by=request.user,
            )
            self._import(run, request.user, dry_run=True)
            return redirect("admin:registers_importrun_preview", pk=run.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import a register"),
            "opts": self.model._meta,
            "form": form,
            "prisoner_columns": PRISONER_COLUMNS,
            "facility_columns": FACILITY_COLUMNS,
        }
        return TemplateResponse(request, "admin/registers/importrun/upload.html", context)

    def preview_view(self, request, pk):
        self._may_import(request)
        run = get_object_or_404(ImportRun, pk=pk)
        if request.method == "POST" and run.state == ImportRun.State.PREVIEWED:
            report = self._import(run, request.user, dry_run=False)
            if report.written:
                messages.success(
                    request, _("Imported %(file)s: %(summary)s") % {"file": run.file_name, "summary": report.summary()}
                )
            else:
                messages.error(
                    request,
                    _("Nothing was imported from %(file)s: %(summary)s")
                    % {"file": run.file_name, "summary": report.summary()},
                )
            return redirect("admin:registers_importrun_preview", pk=run.pk)
        data = run.report or {}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import of %(file)s") % {"file": run.file_name},
            "opts": self.model._meta,
            "run": run,
            "report": data,
            "rows": data.get("rows", [])[:SHOWN_ROWS],
            "more_rows": max(len(data.get("rows", [])) - SHOWN_ROWS, 0),
            "can_confirm": run.state == ImportRun.State.PREVIEWED and not data.get("problems"),
        }
        return TemplateResponse(request, "admin/registers/importrun/preview.html", context)

    @staticmethod
    def _import(run, user, dry_run):
        report = importer.run(
            run.kind,
            file_name=run.file_name,
            data=bytes(run.content),
            mapping=run.columns,
            register=run.register,
            user=user,
            dry_run=dry_run,
        )
        run.report, run.summary = report_data(report), report.summary()
        if not report.ok:
            run.state = ImportRun.State.REFUSED
        elif report.written:
            run.state, run.imported_at = ImportRun.State.IMPORTED, timezone.now()
        run.save()
        return report
