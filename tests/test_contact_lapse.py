"""The contact-lapse rule (PRODUCT.md, "Overdue contact"), computed in one query."""

import datetime

import pytest

from casetracker.dates import Precision
from events.models import IncidentKind, Party, Visibility
from prisoners.lapse import LapseBasis
from prisoners.models import Prisoner
from prisoners.status import IN_CUSTODY, Status
from tests.factories import ContactFactory, IncidentFactory, PrisonerFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def lapse(prisoner, party=Party.LAWYER, **options):
    return Prisoner.objects.with_contact_lapse(**options).get(pk=prisoner.pk).lapse(party)


def test_counts_from_the_latest_possible_day_of_an_approximate_contact(today):
    prisoner = PrisonerFactory()
    ContactFactory(prisoner=prisoner, party=Party.FAMILY, date=D(2024, 2, 1), date_precision=Precision.MID)
    result = lapse(prisoner, Party.FAMILY)
    assert result.basis == LapseBasis.CONTACT
    assert str(result.since) == "mid-February 2024"
    assert result.days == (today - D(2024, 2, 20)).days == 102
    assert str(result) == (
        "No family contact on record for at least 102 days (3 months 12 days), since mid-February 2024"
    )


def test_the_contact_with_the_latest_possible_day_wins(today):
    prisoner = PrisonerFactory()
    ContactFactory(prisoner=prisoner, date=D(2024, 2, 15))
    ContactFactory(prisoner=prisoner, date=D(2024, 2, 1), date_precision=Precision.MONTH)
    assert lapse(prisoner).days == (today - D(2024, 2, 29)).days


def test_only_contacts_with_that_party_count(today):
    prisoner = PrisonerFactory(detained=D(2023, 1, 1))
    ContactFactory(prisoner=prisoner, party=Party.FAMILY, date=D(2024, 5, 30))
    assert lapse(prisoner, Party.FAMILY).days == 2
    assert lapse(prisoner, Party.LAWYER).basis == LapseBasis.CUSTODY


def test_without_contact_counts_from_the_latest_day_detention_can_have_begun(today):
    prisoner = PrisonerFactory(detained=D(2023, 9, 1), detained_precision=Precision.MONTH)
    result = lapse(prisoner)
    assert result.basis == LapseBasis.CUSTODY
    assert result.days == (today - D(2023, 9, 30)).days
    assert str(result.since) == "September 2023"


def test_without_contact_or_detention_date_counts_from_the_earliest_denial(today):
    prisoner = PrisonerFactory(detained=None)
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.INCOMMUNICADO, start=D(2023, 1, 1), start_precision="year")
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.LAWYER_ACCESS_DENIED, start=D(2024, 3, 2))
    lawyer, family = lapse(prisoner, Party.LAWYER), lapse(prisoner, Party.FAMILY)
    assert lawyer.basis == family.basis == LapseBasis.DENIAL
    assert lawyer.days == family.days == (today - D(2023, 12, 31)).days
    assert str(lawyer.since) == "2023"


def test_a_denial_of_the_other_party_proves_nothing(today):
    prisoner = PrisonerFactory(detained=None)
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.FAMILY_CONTACT_DENIED, start=D(2024, 1, 10))
    assert lapse(prisoner, Party.FAMILY).basis == LapseBasis.DENIAL
    assert lapse(prisoner, Party.LAWYER).basis == LapseBasis.UNKNOWN


def test_denials_are_evidence_not_contact(today):
    prisoner = PrisonerFactory()
    ContactFactory(prisoner=prisoner, date=D(2024, 1, 1))
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.LAWYER_ACCESS_DENIED, start=D(2024, 5, 1))
    assert lapse(prisoner).since.earliest == D(2024, 1, 1)


def test_unknown_without_any_data_and_never_silently_fine(today):
    prisoner = PrisonerFactory(detained=None)
    result = lapse(prisoner)
    assert (result.basis, result.days, result.since, result.overdue) == (LapseBasis.UNKNOWN, None, None, False)
    assert str(result) == "No lawyer contact data"
    assert prisoner in Prisoner.objects.with_contact_lapse().filter(lawyer_basis=LapseBasis.UNKNOWN)


def test_overdue_only_past_the_threshold(today, settings):
    settings.CONTACT_THRESHOLD_DAYS = {"lawyer": 30, "family": 60}
    at_threshold = PrisonerFactory()
    ContactFactory(prisoner=at_threshold, date=today - datetime.timedelta(days=30))
    past = PrisonerFactory()
    ContactFactory(prisoner=past, date=today - datetime.timedelta(days=31))
    assert not lapse(at_threshold).overdue
    assert lapse(past).overdue and lapse(past).threshold == 30
    assert lapse(past, Party.FAMILY).threshold == 60


def test_a_prisoners_own_threshold_overrides_the_default(today, settings):
    settings.CONTACT_THRESHOLD_DAYS = {"lawyer": 30, "family": 30}
    patient = PrisonerFactory(lawyer_threshold_days=90)
    ContactFactory(prisoner=patient, date=today - datetime.timedelta(days=60))
    ContactFactory(prisoner=patient, party=Party.FAMILY, date=today)
    strict = PrisonerFactory(family_threshold_days=7)
    ContactFactory(prisoner=strict, party=Party.FAMILY, date=today - datetime.timedelta(days=8))
    assert not lapse(patient).overdue and lapse(patient).threshold == 90
    assert lapse(strict, Party.FAMILY).overdue and lapse(strict, Party.FAMILY).threshold == 7
    assert list(Prisoner.objects.overdue(Party.LAWYER)) == [strict]  # strict: no lawyer contact since 2020
    assert list(Prisoner.objects.overdue(Party.FAMILY)) == [strict]


@pytest.mark.parametrize("status", [Status.RELEASED, Status.EXILE, Status.DECEASED, Status.UNKNOWN])
def test_only_prisoners_in_custody_are_overdue(today, status):
    prisoner = PrisonerFactory(status=status)
    result = lapse(prisoner)
    assert result.days > 1000 and not result.overdue
    assert not Prisoner.objects.overdue().exists()


def test_public_lapse_ignores_internal_contacts_and_denials(today):
    prisoner = PrisonerFactory(detained=None)
    ContactFactory(prisoner=prisoner, date=D(2024, 1, 10))
    ContactFactory(prisoner=prisoner, date=D(2024, 5, 20), visibility=Visibility.INTERNAL)
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.FAMILY_CONTACT_DENIED, visibility=Visibility.INTERNAL)
    assert lapse(prisoner).since.earliest == D(2024, 5, 20)
    assert lapse(prisoner, public=True).since.earliest == D(2024, 1, 10)
    assert lapse(prisoner, Party.FAMILY).basis == LapseBasis.DENIAL
    assert lapse(prisoner, Party.FAMILY, public=True).basis == LapseBasis.UNKNOWN


def test_all_prisoners_in_one_query(today, django_assert_num_queries):
    for n in range(5):
        prisoner = PrisonerFactory(detained=None if n % 2 else D(2022, 1, 1))
        ContactFactory(prisoner=prisoner, date=D(2024, 1, n + 1))
        IncidentFactory(prisoner=prisoner, kind=IncidentKind.INCOMMUNICADO, start=D(2023, 1, 1))
    with django_assert_num_queries(1):
        lapses = [(p.lapse(Party.LAWYER), p.lapse(Party.FAMILY)) for p in Prisoner.objects.with_contact_lapse()]
    assert len(lapses) == 5
    assert all(lawyer.basis == LapseBasis.CONTACT for lawyer, _ in lapses)


def test_sortable_and_filterable_in_the_database(today):
    recent, old = PrisonerFactory(), PrisonerFactory()
    ContactFactory(prisoner=recent, date=D(2024, 5, 20))
    ContactFactory(prisoner=old, date=D(2023, 5, 1))
    ordered = Prisoner.objects.with_contact_lapse().order_by("-lawyer_days")
    assert list(ordered) == [old, recent]
    assert list(Prisoner.objects.overdue(Party.LAWYER)) == [old]


def test_a_lapse_is_never_computed_behind_the_callers_back(today):
    prisoner = PrisonerFactory()
    with pytest.raises(ValueError, match="with_contact_lapse"):
        prisoner.lapse(Party.LAWYER)
    assert Prisoner.objects.with_contact_lapse(public=True).get().lapse_public is True
    assert Prisoner.objects.with_contact_lapse().get().lapse_public is False


NOT_IN_CUSTODY = [status for status in Status.values if status not in IN_CUSTODY]


@pytest.mark.parametrize("status", sorted(NOT_IN_CUSTODY))
def test_no_status_short_of_custody_is_ever_overdue(today, status):
    prisoner = PrisonerFactory(status=status)
    assert lapse(prisoner).days > 1000 and not lapse(prisoner).overdue
    assert not Prisoner.objects.overdue().exists()


def test_pre_trial_detention_is_custody(today):
    prisoner = PrisonerFactory(status=Status.PRE_TRIAL)
    assert lapse(prisoner).overdue
    assert list(Prisoner.objects.overdue(Party.LAWYER)) == [prisoner]


def test_an_unmonitored_prisoner_has_no_contact_data_and_is_never_overdue(today):
    prisoner = PrisonerFactory(monitored=False, detained=D(2014, 3, 1))
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.INCOMMUNICADO, start=D(2015, 1, 1))
    result = lapse(prisoner)
    assert (result.basis, result.days, result.overdue) == (LapseBasis.UNKNOWN, None, False)
    assert str(result) == "No lawyer contact data"
    assert not Prisoner.objects.overdue().exists()


def test_without_contact_counts_from_the_start_of_monitoring_when_later_than_detention(today):
    prisoner = PrisonerFactory(detained=D(2014, 3, 1), monitored_from=D(2024, 3, 1), monitored_from_precision="month")
    result = lapse(prisoner)
    assert result.basis == LapseBasis.MONITORING
    assert (str(result.since), result.days) == ("March 2024", (today - D(2024, 3, 31)).days)
    assert str(result) == "No lawyer contact on record for at least 62 days (2 months 1 day), since March 2024"


def test_monitoring_that_began_before_the_detention_counts_from_the_detention(today):
    prisoner = PrisonerFactory(detained=D(2023, 3, 1), monitored_from=D(2020, 1, 1))
    assert lapse(prisoner).basis == LapseBasis.CUSTODY


def test_a_contact_counts_whenever_monitoring_began(today):
    prisoner = PrisonerFactory(detained=D(2014, 3, 1), monitored_from=D(2024, 3, 1))
    ContactFactory(prisoner=prisoner, date=D(2020, 1, 1))
    assert lapse(prisoner).basis == LapseBasis.CONTACT
