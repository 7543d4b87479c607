"""Stored export rows (publicsite.export_rows): /prisoners.csv and .json read from them say, byte for byte, what
the exports built from the records say, after every kind of write, before and after the rows are stored again."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Visibility
from prisoners.models import Facility, NameVariant, Prisoner, Tag
from prisoners.status import Status
from publicsite import export_rows
from publicsite.casefile import listed_prisoners
from publicsite.models import ExportRow, SharedRecords
from tests.factories import (
    ContactFactory,
    CustodyPeriodFactory,
    FacilityFactory,
    NameVariantFactory,
    OrganisationFactory,
    PrisonerFactory,
    RecognitionFactory,
    RegisterEntryFactory,
    SentenceFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
EXPORTS = ["/prisoners.csv", "/prisoners.json", "/prisoners.csv?status=detained", "/prisoners.json?q=Kalesnikava"]


def exported(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return response.getvalue().decode()


def built_from_the_records(client, address):
    """The export with no stored row: every row built from the records (rolled back with the test)."""
    saved = list(ExportRow.objects.all())
    ExportRow.objects.all().delete()
    try:
        return exported(client, address)
    finally:
        ExportRow.objects.bulk_create(saved)


def assert_exports_true(client):
    for address in EXPORTS:
        assert exported(client, address) == built_from_the_records(client, address), address


@pytest.fixture
def register(demo):
    """The demo and a second case with every kind of fact an export row shows."""
    prisoner = PrisonerFactory(
        name='Vitold Ashurak, "Vitia"',  # a comma and quotes: quoted in CSV, escaped in JSON
        status=Status.DETAINED,
        born=D(1970, 1, 1),
        born_precision="year",
        home_town="Biaroza",
        bio="=1+1 on the first line\nand a second",  # a would-be formula, a line break
    )
    NameVariantFactory(prisoner=prisoner, name="Вітольд Ашурак")
    prisoner.tags.set([TagFactory(name="Biaroza case")])
    RecognitionFactory(prisoner=prisoner, organisations=[OrganisationFactory(name="Viasna")])
    RegisterEntryFactory(prisoner=prisoner, register="Viasna", identifier="57")
    SentenceFactory(prisoner=prisoner, date=D(2021, 1, 18), term_years=5)
    CustodyPeriodFactory(prisoner=prisoner, facility=FacilityFactory(name="Penal colony No. 1", region="Hrodna"))
    ContactFactory(prisoner=prisoner)
    PrisonerFactory(name="Released Person", status=Status.RELEASED)
    return prisoner


def test_stored_rows_say_what_the_records_say(register, client):
    assert export_rows.refresh() == (Prisoner.objects.public().count(), 0)
    assert ExportRow.objects.count() == Prisoner.objects.public().count()
    assert_exports_true(client)
    assert export_rows.refresh() == (0, 0)  # nothing out of date: nothing built again


def rename(prisoner):
    prisoner.name = 'Vitold Ashurak, "Vitia", renamed'
    prisoner.save()


def add_variant(prisoner):
    NameVariantFactory(prisoner=prisoner, name="Витольд Ашурак")


def make_variant_internal(prisoner):
    variant = NameVariant.objects.get(name="Вітольд Ашурак")
    variant.public = False
    variant.save()


def release(prisoner):
    prisoner.status = Status.RELEASED
    prisoner.save()


def add_contact(prisoner):
    ContactFactory(prisoner=prisoner, visibility=Visibility.PUBLIC)


def rename_facility(prisoner):
    facility = Facility.objects.get(name="Penal colony No. 1")
    facility.name = "Penal colony No. 1 (renamed)"
    facility.save()


def rename_tag(prisoner):
    tag = Tag.objects.get(name="Biaroza case")
    tag.name = "Biaroza case (renamed)"
    tag.save()


def rename_organisation(prisoner):
    organisation = prisoner.recognitions.get().organisations.get()
    organisation.name = "Human Rights Centre Viasna"
    organisation.save()


def unpublish(prisoner):
    prisoner.published = False
    prisoner.save()


@pytest.mark.parametrize(
    "change",
    [rename, add_variant, make_variant_internal, release, add_contact, rename_facility, rename_tag,
     rename_organisation, unpublish],
)  # fmt: skip
def test_after_any_write_the_exports_still_say_what_the_records_say(
    register, client, clock, change, django_capture_on_commit_callbacks
):
    export_rows.refresh()
    before = exported(client, "/prisoners.json")
    clock.shift(datetime.timedelta(seconds=1))  # a later write than the one the row was built from
    with django_capture_on_commit_callbacks(execute=True):  # as when the change commits
        change(register)
    after = exported(client, "/prisoners.json")
    assert after != before  # the change shows at once, before any row is stored again
    assert_exports_true(client)
    export_rows.refresh()
    assert exported(client, "/prisoners.json") == after
    assert_exports_true(client)


def test_rows_stored_by_another_version_of_the_code_are_never_used(register, client):
    export_rows.refresh()
    ExportRow.objects.update(format="0:an older layout", csv="stale,row\r\n", json='{"stale": true}')
    assert "stale" not in exported(client, "/prisoners.csv") + exported(client, "/prisoners.json")
    assert_exports_true(client)
    assert export_rows.refresh() == (ExportRow.objects.count(), 0)


def test_an_unpublished_prisoners_row_is_dropped_and_never_exported(register, client, clock):
    export_rows.refresh()
    clock.shift(datetime.timedelta(seconds=1))
    unpublish(register)
    assert "Vitold Ashurak" not in exported(client, "/prisoners.csv")
    assert export_rows.refresh() == (0, 1)
    assert not ExportRow.objects.filter(prisoner=register).exists()


def test_the_moving_columns_move_with_the_calendar_and_the_settings(register, client, clock, settings):
    export_rows.refresh()
    before = exported(client, "/prisoners.csv")
    clock.shift(datetime.timedelta(days=40))  # days in detention and without contact grow
    assert exported(client, "/prisoners.csv") != before
    assert_exports_true(client)
    settings.CONTACT_THRESHOLD_DAYS = {"lawyer": 3000, "family": 3000}  # nobody past it now
    assert '"lawyer_contact_overdue": true' not in exported(client, "/prisoners.json")
    assert_exports_true(client)
    assert export_rows.current(SharedRecords.read()).count() == ExportRow.objects.count()  # none rebuilt


@pytest.mark.parametrize(
    "text", ["a record separator \x1e in a bio", "a private-use mark \ue000 in a bio", "\ue000 first in a bio"]
)
def test_a_row_holding_the_stored_rows_own_marks_is_built_from_the_records(register, client, clock, text):
    export_rows.refresh()
    clock.shift(datetime.timedelta(seconds=1))
    register.bio = text
    register.save()
    export_rows.refresh()
    assert not ExportRow.objects.filter(prisoner=register).exists()
    assert text in exported(client, "/prisoners.csv")
    assert_exports_true(client)


def test_an_export_from_stored_rows_runs_a_fixed_number_of_queries(today, client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            exported(client, "/prisoners.csv")
        return len(captured)

    def add_prisoner():
        prisoner = PrisonerFactory()
        CustodyPeriodFactory(prisoner=prisoner)
        ContactFactory(prisoner=prisoner)

    add_prisoner()
    export_rows.refresh()
    few = queries()
    for _ in range(30):
        add_prisoner()
    export_rows.refresh()
    assert queries() == few


def test_no_stored_row_holds_anything_internal(register):
    NameVariantFactory(prisoner=register, name="Canary Internal Spelling", public=False)
    ContactFactory(prisoner=register, visibility=Visibility.INTERNAL)
    export_rows.refresh()
    stored = " ".join(text for row in ExportRow.objects.all() for text in (row.csv, row.json))
    for internal in ["Canary Internal Spelling", "Never disclose the channel", "Private channels"]:
        assert internal not in stored
    assert "Вітольд Ашурак" in stored  # the public spelling is there


def test_a_new_shared_record_leaves_every_row_current(register, django_capture_on_commit_callbacks):
    export_rows.refresh()
    with django_capture_on_commit_callbacks(execute=True):
        TagFactory(name="A new case group")
        FacilityFactory(name="A new colony")
    assert export_rows.current(SharedRecords.read()).count() == ExportRow.objects.count()


def test_a_write_that_sends_no_signal_is_caught_by_rebuilding_everything(register, client, clock):
    export_rows.refresh()
    clock.shift(datetime.timedelta(seconds=1))
    register.register_entries.update(identifier="Bulk-58")  # no signal, no date moved
    assert "Bulk-58" not in exported(client, "/prisoners.csv")  # the stored row, as the night before
    call_command("refresh_export_rows", "--all")  # nightly (beat), and after every migrate
    assert "Viasna: Bulk-58" in exported(client, "/prisoners.csv")
    assert_exports_true(client)


def test_a_migrate_retires_every_stored_row(register):
    export_rows.refresh()
    call_command("migrate", verbosity=0)  # a deploy: data migrations and new code may change any column
    assert not export_rows.current(SharedRecords.read()).exists()


def test_a_prisoner_withdrawn_during_an_export_is_left_out(register, client, clock, monkeypatch):
    export_rows.refresh()
    clock.shift(datetime.timedelta(seconds=1))
    register.bio = "a newer bio"
    register.save()  # the stored row is out of date
    # Withdrawn after the export read its list, before it built the rows out of date: neither the old stored row
    # nor anything else of the case is written.
    listed = export_rows.listed_prisoners
    monkeypatch.setattr(export_rows, "listed_prisoners", lambda *day: listed(*day).exclude(pk=register.pk))
    text = exported(client, "/prisoners.csv")
    assert "Vitold" not in text and "Maria Kalesnikava" in text


def test_an_export_across_midnight_counts_every_row_to_the_day_it_began(register, clock):
    export_rows.refresh()
    clock.shift(datetime.timedelta(seconds=1))
    register.bio = "a newer bio"
    register.save()  # out of date: its row is built during the export, after the stored ones before it
    clock.move_to(datetime.datetime(2024, 6, 1, 23, 59, 59, tzinfo=datetime.UTC))

    def export():
        return export_rows.Export(listed_prisoners().order_by("pk"), "http://testserver", chunk=1)._csv_lines()

    on_the_day = list(export())
    lines = export()
    first = next(lines)  # the demo's case, from its stored row
    clock.shift(datetime.timedelta(seconds=2))  # midnight passes
    assert [first, *lines] == on_the_day
    assert register.days_in_detention_on(D(2024, 6, 1)) is not None  # a count that would have moved


def test_the_command_stores_and_says_how_many(register, capsys):
    call_command("refresh_export_rows")
    assert f"{Prisoner.objects.public().count()} export rows stored, 0 dropped" in capsys.readouterr().out
