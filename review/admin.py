"""The editors' review page: researchers' held changes to approve or return, and what others changed since the
editor last looked."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casetracker.held_changes import discard_files, replay

from .models import HeldChange, State
from .recent import changed_since, last_review, mark_reviewed


@admin.register(HeldChange)
class HeldChangeAdmin(admin.ModelAdmin):
    list_display = ["made_at", "author", "record_link", "cases_list", "summary", "state", "decided_by"]
    list_display_links = ["made_at"]
    list_filter = ["state", "author"]
    list_select_related = ["author", "decided_by", "content_type"]
    readonly_fields = ["record_link", "author", "made_at", "cases_list", "changes_table", "state", "decided_by",
                       "decided_at", "comment"]  # fmt: skip
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).prefetch_related("cases")

    def has_add_permission(self, request):
        return False  # made only by holding a save

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was decided stays

    def has_view_permission(self, request, obj=None):
        # Researchers see their own (to read why one came back); editors everyone's.
        return request.user.has_perm("review.view_heldchange") or self.has_change_permission(request, obj)

    def get_urls(self):
        return [
            path("<int:pk>/approve/", self.admin_site.admin_view(self.approve_view), name="review_heldchange_approve"),
            path("<int:pk>/return/", self.admin_site.admin_view(self.return_view), name="review_heldchange_return"),
            path("reviewed/", self.admin_site.admin_view(self.reviewed_view), name="review_heldchange_reviewed"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and not request.GET:
            return HttpResponseRedirect(f"{request.path}?state__exact={State.PENDING}")
        extra_context = dict(extra_context or {})
        if self.has_change_permission(request):
            since = last_review(request.user)
            extra_context.update(
                reviewed_up_to=since,
                recent_cases=changed_since(since, exclude=request.user),
            )
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            raise PermissionDenied  # decided with the buttons, never edited
        held = self.get_object(request, object_id) if object_id else None
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "can_decide": held is not None and held.state == State.PENDING and self.has_change_permission(request),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description=gettext_lazy("record"))
    def record_link(self, held):
        return format_html('<a href="{}">{}</a>', held.record_url(), held.record)

    @admin.display(description=gettext_lazy("cases"))
    def cases_list(self, held):
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:prisoners_prisoner_case_history", args=[case.pk]), case) for case in held.cases.all()),
        )

    @admin.display(description=gettext_lazy("changes"))
    def summary(self, held):
        fields = sorted({change["field"] for change in held.changes if change["field"]})
        return ", ".join(fields) or "—"

    @admin.display(description=gettext_lazy("what it changes"))
    def changes_table(self, held):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td class='was'>{}</td><td class='now'>{}</td></tr>",
            ((c["record"], c["field"], c["was"], c["now"]) for c in held.changes),
        )
        return format_html(
            '<table id="held-changes"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            _("record"),
            _("field"),
            _("was"),
            _("becomes"),
            rows,
        )

    def _pending(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(HeldChange, pk=pk)

    @staticmethod
    def _back(held):
        return HttpResponseRedirect(reverse("admin:review_heldchange_change", args=[held.pk]))

    def approve_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        held = self._pending(request, pk)
        with transaction.atomic():
            if not held.decide(State.APPROVED, request.user, request.POST.get("comment", "").strip()):
                self.message_user(request, _("Already decided by someone else: nothing done."), messages.WARNING)
                return self._back(held)
            errors = replay(held, request, request.user)
            if errors:
                transaction.set_rollback(True)
        if errors:
            self.message_user(
                request,
                _(
                    "Not approved, nothing changed: %(errors)s Return it to the researcher to enter again if it still "
                    "holds."
                )
                % {"errors": " ".join(strip_tags(error) for error in errors)},
                messages.ERROR,
            )
        else:
            discard_files(held)
            self.message_user(
                request, _("Approved and published: %(record)s.") % {"record": held.record}, messages.SUCCESS
            )
        return self._back(held)

    def return_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        held = self._pending(request, pk)
        comment = request.POST.get("comment", "").strip()
        if not comment:
            self.message_user(request, _("Say why it goes back: the researcher reads the comment."), messages.ERROR)
        elif held.decide(State.RETURNED, request.user, comment):
            discard_files(held)
            self.message_user(
                request,
                _("Returned to %(author)s: %(record)s.") % {"author": held.author, "record": held.record},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Already decided by someone else: nothing done."), messages.WARNING)
        return self._back(held)

    def reviewed_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        mark_reviewed(request.user, timezone.now())
        self.message_user(request, _("Marked as reviewed up to now."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:review_heldchange_changelist"))
