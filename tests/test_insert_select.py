"""casetracker.insert_select: rows made by the database from a query's rows (the alert scan opens alerts so)."""

import datetime

import pytest
from django.utils import timezone

from alerts.models import Alert
from casetracker.insert_select import insert_from
from events.models import Party
from prisoners.models import Prisoner
from publicsite.models import CutOffCount
from tests.factories import PrisonerFactory

pytestmark = pytest.mark.django_db


def opening(prisoners, now):
    return insert_from(prisoners.with_contact_lapse(), Alert, Alert.opening(Party.LAWYER, now))


def test_every_row_of_an_unfiltered_query_is_inserted_and_a_second_time_skipped(today):
    first, second = PrisonerFactory(), PrisonerFactory()
    now = timezone.now()
    inserted = opening(Prisoner.objects.all(), now)  # no WHERE of the query's own: SQLite reads it all the same
    assert sorted(inserted) == sorted(Alert.objects.values_list("pk", flat=True))
    assert set(Alert.objects.values_list("prisoner", flat=True)) == {first.pk, second.pk}
    assert opening(Prisoner.objects.all(), now + datetime.timedelta(hours=1)) == []  # one unresolved alert each


def test_an_empty_selection_inserts_nothing():
    assert opening(Prisoner.objects.filter(pk__in=[]), timezone.now()) == []
    assert not Alert.objects.exists()


def test_fields_it_cannot_fill_rightly_are_refused_before_any_sql(today):
    with pytest.raises(ValueError, match="has no field seen_at"):
        insert_from(Prisoner.objects.all(), Alert, {**Alert.opening(Party.LAWYER, timezone.now()), "seen_at": None})
    with pytest.raises(ValueError, match="counted_at is set by save"):  # auto_now: save() would set it
        insert_from(Prisoner.objects.all(), CutOffCount, {"day": timezone.localdate(), "lawyer": 0, "family": 0})
