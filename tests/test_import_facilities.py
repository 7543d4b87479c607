"""Importing a list of facilities with postal addresses and coordinates, matched by any of their names."""

import pytest

from prisoners.models import Facility, FacilityKind
from registers import importer
from tests.factories import FacilityFactory, FacilityNameVariantFactory

pytestmark = pytest.mark.django_db

LIST = (
    "Название,Тип,Город,Область,Адрес,Широта,Долгота,Другие названия\n"
    'Исправительная колония № 4,ИК,Гомель,Гомельская,"ул. Антонова, 3, 246035 Гомель",52.4345,30.9754,'
    "ИК-4 | Gomel colony 4\n"
    'СИЗО № 1,СИЗО,Минск,,"ул. Володарского, 2, 220030 Минск","53,8986","27,5536",Valadarka\n'
)


def run(text, dry_run=False):
    return importer.run("facilities", file_name="facilities.csv", data=text.encode(), dry_run=dry_run)


def test_facilities_come_in_with_address_coordinates_kind_and_names(today):
    report = run(LIST)
    assert report.written and report.counts == {"create": 2}
    colony = Facility.objects.get(name="Исправительная колония № 4")
    assert (colony.kind, colony.city, colony.postal_address) == (
        FacilityKind.PENAL_COLONY,
        "Гомель",
        "ул. Антонова, 3, 246035 Гомель",
    )
    assert (str(colony.latitude), str(colony.longitude)) == ("52.434500", "30.975400")
    assert sorted(colony.name_variants.values_list("name", flat=True)) == ["Gomel colony 4", "ИК-4"]
    assert str(Facility.objects.get(kind=FacilityKind.PRE_TRIAL).latitude) == "53.898600"
    assert colony.history.get().history_change_reason == "import: facilities.csv"


def test_a_facility_on_record_under_another_name_is_updated_not_doubled(today):
    on_record = FacilityFactory(name="Penal colony No. 4", city="Гомель")
    FacilityNameVariantFactory(facility=on_record, name="Исправительная колония № 4")
    report = run(LIST)
    assert report.counts == {"update": 1, "create": 1}
    on_record.refresh_from_db()
    assert on_record.postal_address == "ул. Антонова, 3, 246035 Гомель"
    assert run(LIST).counts == {"unchanged": 2}  # again: nothing changes


def test_a_facility_that_only_resembles_one_on_record_waits_for_a_decision(today):
    on_record = FacilityFactory(name="Исправительная колония № 4", city="Гомель")
    report = run(LIST.replace("Исправительная колония № 4", "Исправительная колония №4а"))
    assert not report.written
    assert report.problems[0].message.startswith(f"Probably already on record: {on_record} ({on_record.slug}).")


@pytest.mark.parametrize(
    "change, message",
    [
        (("ИК,", "Шахта,"), '"Шахта" is not a kind of facility this import knows'),
        (("52.4345", "north"), '"north" is not a coordinate'),
        (("30.9754", ""), "Give both coordinates or neither."),
        (("52.4345", "95"), "Ensure this value is less than or equal to 90."),
    ],
)
def test_bad_values_are_row_problems(today, change, message):
    report = run(LIST.replace(*change))
    assert not report.written and not Facility.objects.exists()
    assert message in str(report.problems[0]) and report.problems[0].row == 2
