"""Stored lapses (ContactClock) always equal the rule recomputed from the records, after every kind
of write; what bypasses the ORM's signals is caught and repaired by the consistency check."""

import datetime
import itertools

import pytest
from django.core.management import CommandError, call_command

from alerts import services
from casetracker.dates import ApproximateDate
from events.models import IncidentKind, Party, Visibility
from prisoners import clocks
from prisoners import lapse as lapse_rule
from prisoners.models import ContactClock, Prisoner
from prisoners.status import Status
from tests.factories import ContactFactory, IncidentFactory, PrisonerFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def recomputed(prisoner, party, public):
    """The rule applied to the records as plain Python reads them: independent of the clock's queries."""
    seen = [Visibility.PUBLIC] if public else Visibility.values
    contacts = [c for c in prisoner.contacts.all() if c.party == party and c.visibility in seen]
    denials = [i for i in prisoner.incidents.all() if i.kind in lapse_rule.DENIAL_KINDS[party] and i.visibility in seen]
    last = max(contacts, key=lambda c: (c.date_latest, c.date), default=None)
    first = min(denials, key=lambda i: (i.start, i.start_latest), default=None)
    return lapse_rule.since(
        monitored=prisoner.monitored,
        detained=prisoner.detained_approx,
        monitored_from=prisoner.monitored_from_approx,
        last_contact=last and last.date_approx,
        first_denial=first and first.start_approx,
    )


def stored(prisoner, party, public):
    clock = ContactClock.objects.get(prisoner=prisoner)
    column = lapse_rule.clock_field
    day = getattr(clock, column(party, "since", public=public))
    precision = getattr(clock, column(party, "since_precision", public=public))
    return lapse_rule.Since(
        getattr(clock, column(party, "basis", public=public)), day and ApproximateDate(day, precision)
    )


def assert_every_stored_lapse_is_the_rules():
    prisoners = Prisoner.objects.prefetch_related("contacts", "incidents")
    for prisoner in prisoners:
        for party in Party.values:
            for public in (False, True):
                assert stored(prisoner, party, public) == recomputed(prisoner, party, public), (
                    prisoner,
                    party,
                    public,
                )
    result = clocks.check(repair=False)
    assert (result.missing, result.drifted) == ([], [])


@pytest.fixture
def held(today):
    prisoner = PrisonerFactory(detained=D(2021, 3, 1))
    ContactFactory(prisoner=prisoner, party=Party.LAWYER, date=D(2024, 1, 10))
    ContactFactory(prisoner=prisoner, party=Party.FAMILY, date=D(2023, 6, 1), date_precision="month")
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.INCOMMUNICADO, start=D(2022, 1, 1))
    PrisonerFactory(detained=None)  # a bystander whose clock must stay right too
    return prisoner


def test_a_new_prisoner_has_a_stored_lapse_at_once(held):
    assert ContactClock.objects.count() == 2
    assert_every_stored_lapse_is_the_rules()


def test_a_contact_added(held):
    ContactFactory(prisoner=held, party=Party.FAMILY, date=D(2024, 5, 1))
    assert stored(held, Party.FAMILY, False).date == ApproximateDate(D(2024, 5, 1))
    assert_every_stored_lapse_is_the_rules()


def test_a_contact_edited_and_moved_to_another_prisoner(held):
    contact = held.contacts.get(party=Party.LAWYER)
    contact.date = D(2024, 5, 20)
    contact.save()
    assert stored(held, Party.LAWYER, False).date == ApproximateDate(D(2024, 5, 20))
    other = PrisonerFactory()
    contact.prisoner = other
    contact.save()
    assert stored(held, Party.LAWYER, False).basis == lapse_rule.LapseBasis.CUSTODY
    assert stored(other, Party.LAWYER, False).basis == lapse_rule.LapseBasis.CONTACT
    assert_every_stored_lapse_is_the_rules()


def test_a_contact_deleted(held):
    held.contacts.get(party=Party.LAWYER).delete()
    assert stored(held, Party.LAWYER, False).basis == lapse_rule.LapseBasis.CUSTODY
    assert_every_stored_lapse_is_the_rules()


def test_contacts_deleted_in_bulk(held):
    held.contacts.all().delete()
    assert_every_stored_lapse_is_the_rules()


def test_a_contact_made_internal_leaves_the_public_lapse(held):
    contact = held.contacts.get(party=Party.LAWYER)
    contact.visibility = Visibility.INTERNAL
    contact.save()
    assert stored(held, Party.LAWYER, public=False).basis == lapse_rule.LapseBasis.CONTACT
    assert stored(held, Party.LAWYER, public=True).basis == lapse_rule.LapseBasis.CUSTODY
    assert_every_stored_lapse_is_the_rules()


def test_denials_added_changed_and_deleted(today):
    prisoner = PrisonerFactory(detained=None)
    denial = IncidentFactory(prisoner=prisoner, kind=IncidentKind.LAWYER_ACCESS_DENIED, start=D(2023, 4, 1))
    assert stored(prisoner, Party.LAWYER, False).basis == lapse_rule.LapseBasis.DENIAL
    denial.kind = IncidentKind.SHIZO  # no longer a denial
    denial.save()
    assert stored(prisoner, Party.LAWYER, False).basis == lapse_rule.LapseBasis.UNKNOWN
    denial.kind = IncidentKind.INCOMMUNICADO
    denial.save()
    assert stored(prisoner, Party.FAMILY, False).basis == lapse_rule.LapseBasis.DENIAL
    assert_every_stored_lapse_is_the_rules()
    denial.delete()
    assert_every_stored_lapse_is_the_rules()


def test_the_prisoners_own_dates_and_monitoring(held):
    held.contacts.all().delete()
    held.detained = D(2022, 2, 2)
    held.save()
    assert stored(held, Party.LAWYER, False).date == ApproximateDate(D(2022, 2, 2))
    held.monitored_from = D(2024, 1, 1)
    held.save()
    assert stored(held, Party.LAWYER, False).basis == lapse_rule.LapseBasis.MONITORING
    held.monitored = False
    held.save()
    assert stored(held, Party.LAWYER, False).basis == lapse_rule.LapseBasis.UNKNOWN
    assert_every_stored_lapse_is_the_rules()


def test_release_and_thresholds_change_the_verdict_not_the_clock(held, settings):
    settings.CONTACT_THRESHOLD_DAYS = {"lawyer": 30, "family": 30}
    before = ContactClock.objects.get(prisoner=held)
    assert Prisoner.objects.overdue(Party.LAWYER).filter(pk=held.pk).exists()
    held.lawyer_threshold_days = 365
    held.save()
    assert not Prisoner.objects.overdue(Party.LAWYER).filter(pk=held.pk).exists()
    held.status = Status.RELEASED
    held.save()
    assert not Prisoner.objects.overdue().filter(pk=held.pk).exists()
    assert clocks._values(ContactClock.objects.get(prisoner=held)) == clocks._values(before)
    assert_every_stored_lapse_is_the_rules()


def test_deleting_a_prisoner_takes_the_clock_with_it(held):
    held.delete()
    assert not ContactClock.objects.filter(prisoner_id=held.pk).exists()
    assert_every_stored_lapse_is_the_rules()


def test_writes_that_bypass_signals_are_found_and_repaired(held):
    held.contacts.filter(party=Party.LAWYER).update(date=D(2024, 5, 30), date_latest=D(2024, 5, 30))
    Prisoner.objects.bulk_create([Prisoner(name="Imported without signals", slug="imported")])
    result = clocks.check(repair=False)
    assert (result.drifted, len(result.missing)) == ([held.pk], 1)
    assert "1 missing, 1 drifted" in str(result)
    clocks.check()
    assert_every_stored_lapse_is_the_rules()


def test_check_lapses_command_reports_and_repairs(held, capsys):
    ContactClock.objects.filter(prisoner=held).update(lawyer_since_latest=D(2000, 1, 1))
    with pytest.raises(CommandError, match="1 drifted"):
        call_command("check_lapses", "--no-repair")
    call_command("check_lapses")
    assert "1 drifted" in capsys.readouterr().out
    call_command("check_lapses", "--no-repair")
    assert "all agree with the rule" in capsys.readouterr().out


def test_hourly_scans_verify_every_stored_lapse_in_turn(held, monkeypatch):
    monkeypatch.setattr(services, "CHECK_PER_SCAN", 2)
    for _ in range(4):
        PrisonerFactory()  # five prisoners: three slices, of at most two each
    ContactClock.objects.update(lawyer_since_latest=D(2000, 1, 1))  # every stored lapse drifted
    drifted = [5]
    for hour in range(3):
        services.check_stored_lapses(datetime.datetime(2026, 11, 26, 9 + hour, tzinfo=datetime.UTC))
        drifted.append(len(clocks.check(repair=False).drifted))
    assert drifted[-1] == 0  # all verified (and repaired) in three hours, at most two an hour
    assert all(0 < earlier - later <= 2 for earlier, later in itertools.pairwise(drifted))
    assert_every_stored_lapse_is_the_rules()


def test_the_scan_fills_missing_clocks_before_it_reads_them(held):
    ContactClock.objects.all().delete()
    services.scan()
    assert_every_stored_lapse_is_the_rules()


def test_the_demo_has_its_stored_lapses(demo):
    assert_every_stored_lapse_is_the_rules()


def test_an_upgrade_gives_existing_prisoners_their_stored_lapses(held):
    ContactClock.objects.all().delete()  # as before the clocks existed
    call_command("migrate", verbosity=0)
    assert_every_stored_lapse_is_the_rules()
