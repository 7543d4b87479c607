"""What others changed since an editor last reviewed: the cases touched, by whom, read from the history."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from prisoners.models import Prisoner
from prisoners.public_changes import PARTS

from .models import ReviewMark

# Without a review on record, the page looks this far back.
FIRST_LOOK = datetime.timedelta(days=30)
# The page lists the latest cases (each links its history), from at most this many (case, author) groups a table.
MOST_CASES = 100
MOST_GROUPS_A_TABLE = 1000


@dataclass
class CaseChanges:
    prisoner: Prisoner
    latest: datetime.datetime
    by: Counter = field(default_factory=Counter)  # author's name -> changes

    @property
    def authors(self):
        return ", ".join(f"{name} ({count})" for name, count in self.by.most_common())


def last_review(editor):
    mark = ReviewMark.objects.filter(editor=editor).first()
    return mark.reviewed_up_to if mark else timezone.now() - FIRST_LOOK


def mark_reviewed(editor, moment):
    ReviewMark.objects.update_or_create(editor=editor, defaults={"reviewed_up_to": moment})


def changed_since(moment, exclude=None):
    """Cases with records changed after `moment` by anyone but `exclude`, latest first: counted by the database,
    one grouped query a kind of record."""
    cases = {}
    for model in [Prisoner, *PARTS]:
        history = model.history.model.objects.filter(history_date__gt=moment)
        if exclude is not None:
            history = history.exclude(history_user=exclude)
        case = "id" if model is Prisoner else "prisoner_id"
        groups = (
            history.values_list(case, "history_user__username")
            .annotate(changes=Count("history_id"), latest=Max("history_date"))
            .order_by("-latest")[:MOST_GROUPS_A_TABLE]
        )
        for case_id, author, changes, latest in groups:
            entry = cases.setdefault(case_id, [latest, Counter()])
            entry[0] = max(entry[0], latest)
            entry[1][author or _("a command or import")] += changes
    latest = sorted(cases.items(), key=lambda item: item[1][0], reverse=True)[:MOST_CASES]
    prisoners = Prisoner._base_manager.in_bulk([case_id for case_id, _ in latest])
    return [CaseChanges(prisoners[case_id], when, by) for case_id, (when, by) in latest if case_id in prisoners]
