"""The name index search reads stays equal to the records' names: on every save and delete of a prisoner, facility,
lawyer or name variant, and rebuilt from scratch by `manage.py reindex_names` after bulk writes."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners.models import Facility, Lawyer, Prisoner
from prisoners.search import IndexedName, IndexedWord, index_rows, rebuild
from tests.factories import (
    FacilityFactory,
    FacilityNameVariantFactory,
    LawyerFactory,
    NameVariantFactory,
    PrisonerFactory,
)

pytestmark = pytest.mark.django_db


def found(model, query):
    return [record.name for record in model.objects.search(query)]


def indexed(record):
    """The index rows of a record, as (folded spelling) and (word, key) sets."""
    kind, pk = record._meta.model_name, record.pk
    return (
        set(IndexedName.objects.filter(kind=kind, owner_id=pk).values_list("folded", flat=True)),
        set(IndexedWord.objects.filter(kind=kind, owner_id=pk).values_list("word", "key")),
    )


def expected(record):
    names, words = index_rows(record)
    return {name.folded for name in names}, {(word.word, word.key) for word in words}


def test_a_new_prisoner_and_each_variant_are_indexed_at_once(today):
    prisoner = PrisonerFactory(name="Ihar Losik")
    variant = NameVariantFactory(prisoner=prisoner, name="Игорь Лосик")
    assert indexed(prisoner) == ({"ihar losik", "igor losik"}, {("ihar", "igar"), ("losik", "lasik"), ("igor", "igar")})
    assert found(Prisoner, "Игорь") == ["Ihar Losik"]

    variant.name = "Ігар Лосік"
    variant.save()
    words = {("ihar", "igar"), ("losik", "lasik"), ("igar", "igar")}
    assert indexed(prisoner) == expected(prisoner) == ({"ihar losik", "igar losik"}, words)

    variant.delete()
    assert indexed(prisoner) == ({"ihar losik"}, {("ihar", "igar"), ("losik", "lasik")})


def test_renaming_reindexes_and_saving_other_fields_leaves_the_index_alone(today):
    prisoner = PrisonerFactory(name="Maksim Znak", published=False)  # a published one's slug would have to change too
    prisoner.name = "Maxim Znak"
    prisoner.save()
    assert indexed(prisoner) == ({"maxim znak"}, {("maxim", "maksim"), ("znak", "znak")})
    with CaptureQueriesContext(connection) as queries:
        prisoner.save(update_fields=["status"])
    assert not [query for query in queries if "indexed" in query["sql"]]


def test_deleting_a_record_removes_its_rows(today):
    prisoner = PrisonerFactory(name="Ihar Losik")
    NameVariantFactory(prisoner=prisoner, name="Ігар Лосік")
    facility = FacilityFactory(name="Prison No. 8")
    FacilityNameVariantFactory(facility=facility, name="Турма № 8")
    lawyer = LawyerFactory(name="Liudmila Kazak")
    for record in (prisoner, facility, lawyer):
        record.delete()
    assert not IndexedName.objects.exists() and not IndexedWord.objects.exists()


def test_facilities_and_lawyers_are_indexed_like_prisoners(today):
    facility = FacilityFactory(name="Penal colony No. 4")
    FacilityNameVariantFactory(facility=facility, name="Gomel penal colony No. 4")
    lawyer = LawyerFactory(name="Liudmila Kazak")
    assert indexed(facility) == expected(facility) and "gomel penal colony no 4" in indexed(facility)[0]
    assert indexed(lawyer) == ({"liudmila kazak"}, {("liudmila", "ludmil"), ("kazak", "kazak")})
    assert found(Facility, "Гомель") == ["Penal colony No. 4"] and found(Lawyer, "Людмила") == ["Liudmila Kazak"]


def test_the_demo_is_indexed(demo):
    for model in (Prisoner, Facility, Lawyer):
        for record in model.objects.all():
            assert indexed(record) == expected(record), record


def test_bulk_writes_are_found_after_reindex_names(today, capsys):
    # bulk_create and update() send no signals, as an importer loading a register with COPY does not either.
    Prisoner.objects.bulk_create([Prisoner(name="Ales Bialiatski", slug="ales-bialiatski")])
    Facility.objects.bulk_create([Facility(name="Prison No. 8", slug="prison-8", kind="prison")])
    renamed = PrisonerFactory(name="Old Name")
    Prisoner.objects.filter(pk=renamed.pk).update(name="Marfa Rabkova")
    assert found(Prisoner, "Bialiatski") == found(Prisoner, "Rabkova") == found(Facility, "Prison") == []

    call_command("reindex_names")

    assert capsys.readouterr().out == "Name index rebuilt: 2 prisoner records, 1 facility records, 0 lawyer records.\n"
    assert found(Prisoner, "Бяляцкі") == ["Ales Bialiatski"] and found(Prisoner, "Рабкова") == ["Marfa Rabkova"]
    assert found(Prisoner, "Old Name") == [] and found(Facility, "Турма") == []
    assert found(Facility, "prison") == ["Prison No. 8"]


def test_a_rebuild_gives_the_rows_saving_gave(demo):
    before = sorted(IndexedWord.objects.values_list("kind", "owner_id", "word", "key"))
    assert rebuild() == {"prisoner": 6, "facility": 2, "lawyer": 3}
    assert sorted(IndexedWord.objects.values_list("kind", "owner_id", "word", "key")) == before
