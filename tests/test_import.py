"""Importing a real register: preview first, row errors with row, column, value and message, all or
nothing, idempotent, never a silent second copy of a person, every fact on the case page and export."""

import datetime
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from alerts import services
from casetracker.dates import ApproximateDate
from events.models import Contact, IncidentKind, Party
from prisoners.lapse import LapseBasis
from prisoners.models import CustodyPeriod, Facility, Prisoner, SentenceKind
from prisoners.status import Status
from publicsite import opendata
from registers import importer
from registers.columns import DERIVED_EXPORT_COLUMNS, FACILITY_COLUMNS, PRISONER_COLUMNS, by_header, header_key
from tests.factories import FacilityFactory, FacilityNameVariantFactory, NameVariantFactory, PrisonerFactory
from tests.test_stored_lapse import assert_every_stored_lapse_is_the_rules

pytestmark = pytest.mark.django_db
D = datetime.date

# As a Viasna-style list writes it (its own column names), with a facility named by a variant.
VIASNA = (
    "name,status,birthday,arrested,articles,penalty,verdict_date,prison,register_id,died\n"
    "Ales Bialiatski,detained,1962,14.07.2021,ст. 228 ч. 4 | ст. 243 ч. 2,10 лет колонии особого режима,03.03.2023,"
    "Gomel penal colony No. 4,17,\n"
    "Vitold Ashurak,deceased,1970,18.09.2020,ст. 342 ч. 1,5 years,18.01.2021,,57,21.05.2021\n"
    "Palina Sharenda-Panasiuk,released,1977,03.01.2021,ст. 364; ст. 342,2 года,08.06.2021,,31,\n"
)


@pytest.fixture
def colony(today):
    colony = FacilityFactory(name="Penal colony No. 4", city="Homiel")
    FacilityNameVariantFactory(facility=colony, name="Gomel penal colony No. 4")
    return colony


def run(text, *, name="viasna.csv", dry_run=False, **options):
    return importer.run("prisoners", file_name=name, data=text.encode(), register="Viasna", dry_run=dry_run, **options)


def command(tmp_path, text, *args, name="viasna.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_prisoners", str(path), "--register", "Viasna", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_preview_says_what_would_happen_and_writes_nothing(colony, tmp_path):
    out = command(tmp_path, VIASNA, "--dry-run")
    assert "row 2: create    Ales Bialiatski — + charge ст. 228 ч. 4; + charge ст. 243 ч. 2" in out
    assert "+ held at Penal colony No. 4, Homiel; + Viasna ID 17" in out
    assert out.endswith("3 to create. Nothing was written (dry run).\n")
    assert not Prisoner.objects.exists()


def test_a_confirmed_import_writes_every_fact(colony, tmp_path):
    assert command(tmp_path, VIASNA).endswith("3 to create. Imported.\n")
    ales = Prisoner.objects.get(name="Ales Bialiatski")
    assert (ales.status, str(ales.born_approx), str(ales.detained_approx)) == ("detained", "1962", "14 July 2021")
    assert [str(charge) for charge in ales.charges.all()] == ["ст. 228 ч. 4", "ст. 243 ч. 2"]
    sentence = ales.sentences.get()
    assert (sentence.kind, sentence.term_years, sentence.regime, str(sentence.date_approx)) == (
        SentenceKind.IMPRISONMENT,
        10,
        "special",
        "3 March 2023",
    )
    assert ales.current_facility == colony
    assert list(ales.register_entries.values_list("register", "identifier")) == [("Viasna", "17")]
    vitold = Prisoner.objects.get(name="Vitold Ashurak")
    assert (vitold.status, str(vitold.died_approx)) == (Status.DECEASED, "21 May 2021")
    assert not ales.published and not ales.monitored  # new records start unpublished; no contact data
    history = ales.history.get()
    assert (history.history_type, history.history_change_reason) == ("+", "import: viasna.csv")
    assert CustodyPeriod.history.get().history_change_reason == "import: viasna.csv"


def test_importing_the_same_file_again_changes_nothing(colony, tmp_path):
    command(tmp_path, VIASNA)
    history = sorted(Prisoner.history.values_list("history_id", flat=True))
    assert command(tmp_path, VIASNA).endswith("3 unchanged. Imported.\n")
    assert Prisoner.objects.count() == 3
    assert sorted(Prisoner.history.values_list("history_id", flat=True)) == history


def test_an_edited_row_updates_that_field_with_a_history_entry(colony, tmp_path, clock):
    command(tmp_path, VIASNA)
    clock.shift(datetime.timedelta(days=1))
    edited = VIASNA.replace("Palina Sharenda-Panasiuk,released", "Palina Sharenda-Panasiuk,exile")
    out = command(tmp_path, edited)
    assert "row 4: update    Palina Sharenda-Panasiuk — status: released → in exile" in out
    assert out.endswith("1 to update, 2 unchanged. Imported.\n")
    palina = Prisoner.objects.get(name="Palina Sharenda-Panasiuk")
    assert palina.status == Status.EXILE
    latest = palina.history.first()
    assert (latest.history_type, latest.history_change_reason, latest.prev_record.status) == (
        "~",
        "import: viasna.csv",
        "released",
    )


def test_a_bad_row_in_the_middle_writes_nothing(colony, tmp_path):
    broken = VIASNA.replace("18.09.2020", "32.13.2021").replace("5 years", "five years")
    with pytest.raises(CommandError, match="2 to create, 1 row with problems. Nothing was written."):
        command(tmp_path, broken)
    assert not Prisoner.objects.exists() and not Facility.objects.exclude(pk=colony.pk).exists()


def test_row_problems_name_the_row_the_column_and_the_value(colony):
    report = run(VIASNA.replace("18.09.2020", "32.13.2021").replace("Gomel penal", "Nowhere penal"))
    assert [str(problem) for problem in report.problems] == [
        'row 2, facility “Nowhere penal colony No. 4”: "Nowhere penal colony No. 4" is not a facility on record: '
        "import the facilities first, or use a name on record.",
        'row 3, detained “32.13.2021”: "32.13.2021" is not a date: there is no month 13; write 2021, 03.2021, '
        '14.03.2021, 2021-03-14 or "mid-March 2021" (Russian and Belarusian month names work too).',
    ]
    assert not report.written


def test_a_register_id_updates_that_person_whatever_the_spelling(colony, tmp_path):
    command(tmp_path, VIASNA)
    renamed = VIASNA.replace("Ales Bialiatski,", "Алесь Бяляцкі,")
    out = command(tmp_path, renamed)
    assert "row 2: update    Алесь Бяляцкі — + name Алесь Бяляцкі" in out
    ales = Prisoner.objects.get(register_entries__identifier="17")
    assert ales.name == "Ales Bialiatski" and Prisoner.objects.count() == 3  # the name on record stays


def test_the_same_id_twice_in_one_file_is_refused(colony):
    doubled = VIASNA + "Someone Else,detained,,,,,,,17,\n"
    report = run(doubled)
    assert [str(problem) for problem in report.problems] == [
        "row 5, register_id: Also on row 2: the same person twice in one file."
    ]


def test_someone_who_only_resembles_a_person_on_record_waits_for_a_decision(today):
    on_record = PrisonerFactory(name="Ihar Losik", born=D(1992, 1, 1), born_precision="year")
    file = "name,birthday\nIhar Losik,1980\n"
    report = run(file)
    assert not report.written
    assert report.problems[0].message.startswith(f"Probably already on record: Ihar Losik ({on_record.slug}).")
    assert [(record, matched) for record, matched in report.outcomes[0].candidates] == [(on_record, "Ihar Losik")]
    assert run("name,birthday,match\nIhar Losik,1980,new\n").counts == {"create": 1}
    assert Prisoner.objects.filter(name="Ihar Losik").count() == 2
    assert run(f"name,birthday,match\nIhar Losik,,{on_record.slug}\n").counts == {"unchanged": 1}


def test_the_same_name_and_birth_year_is_the_same_person(today):
    on_record = PrisonerFactory(name="Maria Kalesnikava")
    NameVariantFactory(prisoner=on_record, name="Kolesnikova")
    report = run("name,occupation\nKolesnikova,musician\n")
    assert report.written and report.counts == {"update": 1}
    on_record.refresh_from_db()
    assert on_record.occupation == "musician"


def test_imported_people_without_contact_data_raise_no_alert_those_with_it_are_monitored(clock):
    file = (
        "name,status,arrested,last_lawyer_contact\n"
        "Held Long Ago,detained,2014,\n"
        "Seen By Her Lawyer,detained,2020,01.03.2024\n"
    )
    assert run(file).written
    assert services.scan().opened == 2  # the monitored one, lawyer and family
    unmonitored = Prisoner.objects.with_contact_lapse().get(name="Held Long Ago")
    assert (unmonitored.monitored, unmonitored.lapse(Party.LAWYER).basis) == (False, LapseBasis.UNKNOWN)
    seen = Prisoner.objects.with_contact_lapse().get(name="Seen By Her Lawyer")
    assert seen.monitored and seen.lapse(Party.LAWYER).since == ApproximateDate(D(2024, 3, 1))
    assert Contact.objects.get().visibility == "internal"
    assert_every_stored_lapse_is_the_rules()


def test_xlsx_semicolons_a_bom_and_other_headers(colony, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["ФИО", "Статус", "Дата задержания", "Приговор"])
    workbook.active.append(["Марфа Рабкова", "в сизо", "17 сентября 2020", "14 лет 9 месяцев"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "row 2: create    Марфа Рабкова" in command(tmp_path, buffer.getvalue(), name="list.xlsx")
    marfa = Prisoner.objects.get()
    assert (marfa.status, str(marfa.detained_approx)) == (Status.PRE_TRIAL, "17 September 2020")
    semicolons = "\ufeffFull name;Cause\nMikalai Dziadok;\n"
    out = command(tmp_path, semicolons, "--columns", "Full name=name,Cause=death_cause", name="more.csv")
    assert "row 2: create    Mikalai Dziadok" in out


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "file: The file is empty."),
        ("name,shoe size\nA,42\n".encode(), "file, shoe size: Unknown column."),
        ("status\ndetained\n".encode(), "file, name: The file has no name column."),
        ("name,name\nA,B\n".encode(), "file, name: A second column for name."),
        ("name,status\nАлесь,задержан\n".encode("cp1251"), "file: The file looks like Windows-1251 (Cyrillic) text"),
        (b"PK\x03\x04 not really a spreadsheet", "file: The file is not a readable .xlsx spreadsheet"),
    ],
)
def test_a_bad_file_is_a_message_and_nothing_written(today, tmp_path, content, message):
    with pytest.raises(CommandError):
        command(tmp_path, content)
    report = run(content.decode("latin-1"))
    assert str(report.problems[0]).startswith(message) or not report.ok
    assert not Prisoner.objects.exists()


def test_a_file_too_large_is_refused_before_reading(today, monkeypatch, tmp_path):
    monkeypatch.setattr("registers.reading.MAX_BYTES", 1000)
    with pytest.raises(CommandError):
        command(tmp_path, "name\n" + "A Person\n" * 200)
    assert str(run("name\n" + "A Person\n" * 200).problems[0]).startswith("file: The file is 0 MB; split it")


def test_a_missing_file_is_a_message(today):
    with pytest.raises(CommandError, match="Cannot read /nowhere.csv"):
        call_command("import_prisoners", "/nowhere.csv")


def test_an_export_imports_again_unchanged(demo, client):
    export = client.get("/prisoners.csv").getvalue().decode()
    report = importer.run("prisoners", file_name="prisoners.csv", data=export.encode(), dry_run=True)
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.counts == {"unchanged": 6}


def test_released_on_becomes_a_release_on_the_record(today):
    assert run("name,status,release_date\nFreed Person,released,05.02.2024\n").written
    release = Prisoner.objects.get().incidents.get()
    assert (release.kind, str(release.start_approx)) == (IncidentKind.RELEASE, "5 February 2024")
    report = run("name,status,release_date\nStill Held,detained,05.02.2024\n")
    assert report.problems[0].message == "A release date for someone in custody."


def test_every_imported_fact_is_on_the_case_page_and_in_the_export(colony, client):
    file = (
        "name,public_name_variants,status,birthday,gender,home_town,occupation,case,arrested,articles,penalty,"
        "verdict_date,court,prison,register_id,register_url,recognised_by,recognised_on\n"
        "Ales Bialiatski,Алесь Бяляцкі | Ales Byalyatski,detained,1962,m,Vyartsilia,human rights defender,Viasna case,"
        "14.07.2021,ст. 228 ч. 4,10 лет колонии особого режима,03.03.2023,Minsk City Court,Gomel penal colony No. 4,"
        "17,https://prisoners.spring96.org/en/person/ales-bialiatski,Viasna | Memorial,2021\n"
    )
    assert run(file).written
    ales = Prisoner.objects.get()
    ales.published = True
    ales.save()
    page = client.get(ales.get_absolute_url()).content.decode()
    for fact in [
        "Алесь Бяляцкі",
        "Ales Byalyatski",
        "Born</dt><dd>1962",
        "Vyartsilia",
        "human rights defender",
        "Viasna case",
        "14 July 2021",
        "ст. 228 ч. 4",
        "10 years, special regime, sentenced 3 March 2023 by Minsk City Court",
        "Penal colony No. 4, Homiel",
        "Viasna: 17",
        "by Memorial, Viasna",
    ]:
        assert fact in page, fact
    (row,) = json.loads(client.get("/prisoners.json").getvalue())["prisoners"]
    assert row["register_ids"] == ["Viasna: 17"] and row["recognised_by"] == ["Memorial", "Viasna"]
    assert (row["gender"], row["case_groups"], row["sentence"]) == ("male", ["Viasna case"], "10 years")


def test_the_columns_are_documented_and_every_export_column_is_known():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for column in [*PRISONER_COLUMNS, *FACILITY_COLUMNS]:
        assert f"| `{column.field}` |" in readme
    for columns, export in ((PRISONER_COLUMNS, opendata.COLUMNS), (FACILITY_COLUMNS, opendata.FACILITY_COLUMNS)):
        known = set(by_header(columns)) | {header_key(name) for name in DERIVED_EXPORT_COLUMNS}
        assert {column.name for column in export if header_key(column.name) not in known} == set()


@pytest.mark.parametrize(
    "on_record, in_the_file",
    [
        ("Алесь Грыдзін", "Ales Gridin"),
        ("Maria Kalesnikava", "Мария Колесникова"),
        ("Siarhei Tsikhanouski", "Sergei Tikhanovsky"),
        ("Viktar Babaryka", "Viktor Babariko"),
    ],
)
def test_the_same_person_in_another_script_or_transliteration_waits_for_a_decision(today, on_record, in_the_file):
    person = PrisonerFactory(name=on_record)
    report = run(f"name\n{in_the_file}\n")
    assert not report.written and report.outcomes[0].candidates[0][0] == person
    assert report.problems[0].message.startswith(f"Probably already on record: {on_record} ({person.slug}).")
    assert run(f"name,match\n{in_the_file},{person.slug}\n").counts == {"update": 1}  # decided: it is them
    person.refresh_from_db()
    assert list(person.name_variants.values_list("name", flat=True)) == [in_the_file]


def test_imported_people_are_found_by_the_name_search(colony, client):
    assert run(VIASNA).written
    found = Prisoner.objects.search("Bialiatski")
    assert [prisoner.name for prisoner in found] == ["Ales Bialiatski"]


def test_an_imported_persons_facility_is_named_once_they_are_published(colony):
    assert run(VIASNA).written
    assert not Facility.objects.public().exists()  # imported people start unpublished
    ales = Prisoner.objects.get(name="Ales Bialiatski")
    ales.published = True
    ales.save()
    assert list(Facility.objects.public()) == [colony]


def test_a_verdict_before_the_arrest_is_a_row_problem_not_a_silent_fact(colony):
    report = run(VIASNA.replace("18.09.2020", "18.04.2021"))  # an arrest typed after the verdict
    assert [str(problem) for problem in report.problems] == [
        "row 3, date “2021-01-18”: The sentence (18 January 2021) is before the detention (18 April 2021)."
    ]
    assert not report.written
