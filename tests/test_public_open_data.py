"""Open data: /prisoners.csv, /prisoners.json and /prisoners/<slug>.json carry the documented public columns."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casetracker.demo import OTHER_PRISONERS
from prisoners.status import Status
from publicsite.opendata import COLUMNS
from tests.factories import (
    ContactFactory,
    CustodyPeriodFactory,
    FacilityFactory,
    OrganisationFactory,
    PrisonerFactory,
    RecognitionFactory,
    RegisterEntryFactory,
    SentenceFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def json_body(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.getvalue())


MARIA = {
    "slug": "maria-kalesnikava",
    "url": "http://testserver/prisoners/maria-kalesnikava/",
    "name": "Maria Kalesnikava",
    "status": "detained",
    "detained": "September 2020",
    "detained_earliest": "2020-09-01",
    "detained_latest": "2020-09-30",
    "days_in_detention": 1340,
    "facility": "Penal colony No. 4, Homiel",
    "facility_url": "http://testserver/facilities/penal-colony-no-4-homiel/",
    "region": "Homiel Region",
    "charges": ["extremism", "trying to seize power", "calls for actions causing harm to national security"],
    "sentence": "11 years",
    "sentenced_on": "6 September 2021",
    "expected_release": "September 2031",
    "lawyer_contact_days": 480,
    "lawyer_contact_since": "7 February 2023",
    "lawyer_contact_basis": "contact",
    "lawyer_contact_threshold_days": 30,
    "lawyer_contact_overdue": True,
    "family_contact_days": 467,
    "family_contact_since": "mid-February 2023",
    "family_contact_basis": "contact",
    "family_contact_threshold_days": 30,
    "family_contact_overdue": True,
}


def test_json_lists_every_published_prisoner_with_the_documented_columns(demo, client):
    PrisonerFactory(published=False)
    body = json_body(client.get("/prisoners.json"))
    assert body["count"] == 6 == len(body["prisoners"])
    assert [p["name"] for p in body["prisoners"]] == sorted(["Maria Kalesnikava", *OTHER_PRISONERS])
    maria = next(p for p in body["prisoners"] if p["slug"] == "maria-kalesnikava")
    assert list(maria) == [column.name for column in COLUMNS]
    assert maria.items() >= MARIA.items()
    assert sorted(maria["name_variants"]) == sorted(
        [
            "Maryia Kalesnikava",
            "Kalesnikova",
            "Kolesnikova",
            "Калеснікава",
            "Колесникова",
            "Марыя Калеснікава",
            "Мария Колесникова",
        ]  # fmt: skip
    )
    assert maria["last_updated"].endswith("+00:00")


def test_csv_has_the_same_columns_as_text(demo, client):
    rows = csv_rows(client.get("/prisoners.csv"))
    assert len(rows) == 6 and list(rows[0]) == [column.name for column in COLUMNS]
    maria = next(row for row in rows if row["slug"] == "maria-kalesnikava")
    assert maria["charges"] == "extremism; trying to seize power; calls for actions causing harm to national security"
    assert maria["lawyer_contact_days"] == "480" and maria["lawyer_contact_overdue"] == "true"
    assert "Колесникова" in maria["name_variants"]
    znak = next(row for row in rows if row["name"] == "Maksim Znak")
    assert (znak["detained"], znak["facility"], znak["lawyer_contact_basis"]) == ("", "", "denial")


def test_exports_take_the_list_filters(demo, client):
    assert [row["name"] for row in csv_rows(client.get("/prisoners.csv", {"q": "Колесникова"}))] == [
        "Maria Kalesnikava"
    ]
    body = json_body(client.get("/prisoners.json", {"facility": "penal-colony-no-4-homiel"}))
    assert [p["name"] for p in body["prisoners"]] == ["Maria Kalesnikava"]
    assert json_body(client.get("/prisoners.json", {"cut_off_family": "on"}))["count"] == 6


@pytest.mark.parametrize("url", ["/prisoners.csv", "/prisoners.json"])
@pytest.mark.parametrize("params", [{"status": "nonsense"}, {"q": "k" * 10_000}, {"sort": "?"}])
def test_exports_refuse_a_bad_filter_with_a_message(demo, client, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().split(":")[0] in {"Status", "Name", "Sort by"}


def test_lapse_columns_are_empty_for_someone_no_longer_in_custody(today, client):
    PrisonerFactory(name="Freed", status=Status.RELEASED)
    (row,) = json_body(client.get("/prisoners.json"))["prisoners"]
    assert row["status"] == "released"
    assert all(row[f"{party}_contact_{part}"] is None for party in ["lawyer", "family"] for part in ["days", "overdue"])
    assert row["days_in_detention"] is None


def test_exports_run_a_fixed_number_of_queries(today, client):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add_prisoner():
        prisoner = PrisonerFactory()
        CustodyPeriodFactory(prisoner=prisoner)
        ContactFactory(prisoner=prisoner)

    add_prisoner()
    few = queries("/prisoners.csv"), queries("/prisoners.json")
    for _ in range(30):
        add_prisoner()
    assert (queries("/prisoners.csv"), queries("/prisoners.json")) == few


def test_one_case_as_json_with_lawyers_and_timeline(demo, client):
    body = json_body(client.get("/prisoners/maria-kalesnikava.json"))
    assert body.items() >= MARIA.items()
    assert [lawyer["name"] for lawyer in body["lawyers"]] == [
        "Aliaksandr Pylchenka",
        "Liudmila Kazak",
        "Vladimir Pylchenko",
    ]
    assert body["lawyers"][0]["reprisals"][0]["date"] == "October 2020 – December 2022"
    family_denied = next(entry for entry in body["timeline"] if entry["title"] == "family contact denied")
    assert family_denied["date"] == "mid-February 2023"
    assert family_denied["start"] == {
        "as_written": "mid-February 2023",
        "earliest": "2023-02-11",
        "latest": "2023-02-20",
    }
    assert family_denied["facility_url"] == "http://testserver/facilities/penal-colony-no-4-homiel/"
    assert family_denied["sources"][0]["title"] == "Belarus: Stop mistreating opposition politician"
    assert len(family_denied["sources"][0]["signatories"]) == 20
    assert {entry["type"] for entry in body["timeline"]} == {"incident", "contact", "custody"}
    health = next(entry for entry in body["timeline"] if entry["title"] == "deterioration of health")
    assert [source["title"] for source in health["sources"]] == ["Belarus: Stop mistreating opposition politician"]


def test_an_unknown_or_unpublished_case_has_no_json(today, client):
    PrisonerFactory(slug="hidden", published=False)
    assert client.get("/prisoners/hidden.json").status_code == 404
    assert client.get("/prisoners/nobody.json").status_code == 404


def test_the_columns_are_documented_on_the_open_data_page_and_in_the_readme(today, client):
    html = client.get("/data/").content.decode()
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in html
        assert f"`{column.name}`" in readme


def test_csv_cells_never_run_as_spreadsheet_formulas(today, client):
    PrisonerFactory(name='=HYPERLINK("http://evil.example","x")', bio="+1 well known")
    rows = csv_rows(client.get("/prisoners.csv"))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[0]["bio"] == "'+1 well known"
    assert json_body(client.get("/prisoners.json"))["prisoners"][0]["bio"] == "+1 well known"  # JSON is data, unchanged


def test_csv_cells_never_run_as_formulas_behind_leading_whitespace(today, client):
    PrisonerFactory(name=" -2+3", bio="  =1+1", occupation='\n=HYPERLINK("http://evil.example","x")')
    (row,) = csv_rows(client.get("/prisoners.csv"))
    assert (row["name"], row["bio"]) == ("' -2+3", "'  =1+1")  # spreadsheets skip the whitespace
    assert row["occupation"] == '\'\n=HYPERLINK("http://evil.example","x")'


def test_every_fact_of_a_real_register_row_is_exported(today, client):
    prisoner = PrisonerFactory(
        name="Vitold Ashurak",
        status=Status.DECEASED,
        born=D(1970, 1, 1),
        born_precision="year",
        gender="male",
        home_town="Biaroza",
        home_region="Brest Region",
        occupation="environmental activist",
        died=D(2021, 5, 21),
        died_in_custody=True,
        death_cause="officially, cardiac arrest",
    )
    prisoner.tags.set([TagFactory(name="Biaroza case")])
    RecognitionFactory(prisoner=prisoner, organisations=[OrganisationFactory(name="Viasna")])
    RegisterEntryFactory(prisoner=prisoner, register="Viasna", identifier="57")
    SentenceFactory(prisoner=prisoner, date=D(2021, 1, 18), term_years=5)
    (row,) = json_body(client.get("/prisoners.json"))["prisoners"]
    assert {key: row[key] for key in EXPORTED} == {
        "status": "deceased",
        "born": "1970",
        "gender": "male",
        "home_town": "Biaroza",
        "home_region": "Brest Region",
        "occupation": "environmental activist",
        "case_groups": ["Biaroza case"],
        "died": "21 May 2021",
        "died_in_custody": True,
        "death_cause": "officially, cardiac arrest",
        "recognised_by": ["Viasna"],
        "register_ids": ["Viasna: 57"],
        "sentence": "5 years",
        "sentence_kind": "imprisonment",
        "sentence_years": 5,
        "sentence_months": 0,
        "photo_url": None,
    }
    (line,) = csv_rows(client.get("/prisoners.csv"))
    assert (line["died_in_custody"], line["case_groups"], line["born"]) == ("true", "Biaroza case", "1970")


EXPORTED = [
    "status", "born", "gender", "home_town", "home_region", "occupation", "case_groups", "died", "died_in_custody",
    "death_cause", "recognised_by", "register_ids", "sentence", "sentence_kind", "sentence_years", "sentence_months",
    "photo_url",
]  # fmt: skip


def test_facilities_with_address_and_coordinates(today, client):
    facility = FacilityFactory(
        name="Penal colony No. 4",
        city="Homiel",
        postal_address="ul. Antonova 3, 246035 Homiel",
        latitude="52.4345",
        longitude="30.9754",
    )
    CustodyPeriodFactory(prisoner=PrisonerFactory(), facility=facility, start=D(2021, 1, 1))
    FacilityFactory(name="Known only to staff")
    body = json_body(client.get("/facilities.json"))
    assert body["count"] == 1
    (row,) = body["facilities"]
    assert row == {
        "slug": "penal-colony-no-4-homiel",
        "url": "http://testserver/facilities/penal-colony-no-4-homiel/",
        "name": "Penal colony No. 4",
        "name_variants": [],
        "kind": "penal_colony",
        "city": "Homiel",
        "region": "",
        "country": "Belarus",
        "postal_address": "ul. Antonova 3, 246035 Homiel",
        "latitude": 52.4345,
        "longitude": 30.9754,
        "held_count": 1,
    }
    (line,) = csv_rows(client.get("/facilities.csv"))
    assert (line["latitude"], line["held_count"]) == ("52.4345", "1")
    page = client.get("/facilities/penal-colony-no-4-homiel/").content.decode()
    assert "ul. Antonova 3, 246035 Homiel" in page and 'href="geo:52.434500,30.975400"' in page
