"""Which facilities a public page may name is stored (Facility.named_publicly) and always equals its rule:
where a published prisoner is or was held, or a public incident happened."""

import pytest
from django.core.management import CommandError, call_command

from events.models import Visibility
from prisoners import facility_names
from prisoners.models import Facility, named_publicly
from prisoners.tasks import check_derived_data
from tests.factories import CustodyPeriodFactory, FacilityFactory, IncidentFactory, PrisonerFactory

pytestmark = pytest.mark.django_db


def assert_every_flag_is_the_rules():
    rule = set(Facility.objects.filter(named_publicly()).values_list("pk", flat=True))
    assert set(Facility.objects.public().values_list("pk", flat=True)) == rule
    assert facility_names.check(repair=False) == []


def test_custody_of_a_published_prisoner_names_the_facility(today):
    colony = FacilityFactory()
    period = CustodyPeriodFactory(facility=colony, prisoner=PrisonerFactory(published=False))
    assert not Facility.objects.public().exists()
    period.prisoner.published = True
    period.prisoner.save()
    assert list(Facility.objects.public()) == [colony]
    period.prisoner.published = False
    period.prisoner.save()
    assert_every_flag_is_the_rules()
    assert not Facility.objects.public().exists()


def test_a_public_incident_names_it_until_it_is_made_internal_moved_or_deleted(today):
    hospital, court = FacilityFactory(), FacilityFactory()
    incident = IncidentFactory(facility=hospital)
    assert list(Facility.objects.public()) == [hospital]
    incident.facility = court
    incident.save()
    assert list(Facility.objects.public()) == [court]
    incident.visibility = Visibility.INTERNAL
    incident.save()
    assert not Facility.objects.public().exists()
    incident.visibility = Visibility.PUBLIC
    incident.save()
    incident.delete()
    assert_every_flag_is_the_rules()


def test_drift_is_found_and_repaired(today, capsys):
    named = CustodyPeriodFactory().facility
    Facility.objects.filter(pk=named.pk).update(named_publicly=False)
    secret = FacilityFactory()
    Facility.objects.filter(pk=secret.pk).update(named_publicly=True)  # a leak, were it trusted
    with pytest.raises(CommandError, match="2 facilities disagree"):
        call_command("check_facilities", "--no-repair")
    call_command("check_facilities")
    assert "2 facilities repaired." in capsys.readouterr().out
    assert_every_flag_is_the_rules()


def test_the_demo_names_its_facilities(demo):
    assert Facility.objects.public().count() == 2
    assert_every_flag_is_the_rules()


def test_the_nightly_check_repairs_lapses_and_facility_flags(today):
    named = CustodyPeriodFactory().facility
    Facility.objects.filter(pk=named.pk).update(named_publicly=False)
    assert check_derived_data() == {"lapses_wrong": 0, "facilities_wrong": 1}
    assert_every_flag_is_the_rules()
