"""A researcher never silently creates a second copy of a person (or facility, or lawyer): adding one whose names
match or nearly match a record on file lists those records, and saves only with an explicit "save anyway" tick
for exactly the records listed. Importers call the same `duplicate_candidates` for each row."""

import pytest

from prisoners.models import Facility, Lawyer, Prisoner
from prisoners.search import RARE
from tests.admin_forms import add_inline_row
from tests.factories import FacilityFactory, LawyerFactory, NameVariantFactory, PrisonerFactory
from tests.spellings import PEOPLE
from tests.test_roles import PRISONER_FORM

pytestmark = pytest.mark.django_db
ADD = "/admin/prisoners/prisoner/add/"


@pytest.fixture
def gridin(today):
    return PrisonerFactory(name="Алесь Грыдзін")


def add_prisoner(client, name, *, variants=(), **extra):
    data = {**PRISONER_FORM, "name": name, **extra}
    for variant in variants:
        add_inline_row(data, "name_variants", {"name": variant, "language": "", "note": ""})
    return client.post(ADD, data)


def refusal(response):
    assert response.status_code == 200, "saved without a duplicate check"
    return " ".join(str(error) for error in response.context["adminform"].form.non_field_errors())


def test_candidates_are_found_across_scripts_with_the_spelling_that_matched(gridin):
    NameVariantFactory(prisoner=gridin, name="Ales Hrydzin")
    PrisonerFactory(name="Ales Pushkin")  # shares only the given name: no candidate
    [(record, matched, score)] = Prisoner.objects.duplicate_candidates(["Ales Gridin"])
    assert (record, matched) == (gridin, "Ales Hrydzin") and 0 < score < 1
    assert Prisoner.objects.duplicate_candidates(["Алесь Грыдзин", "Hrydzin Ales"])[0].record == gridin
    assert Prisoner.objects.duplicate_candidates(["Алесь Грыдзін"])[0][1:] == ("Алесь Грыдзін", 1.0)
    assert Prisoner.objects.duplicate_candidates(["Marfa Rabkova"]) == []


def test_a_given_name_in_another_form_is_found_by_the_surname(demo):
    # Nikolai is the Russian form of Mikola: no key or trigram joins them, but the rarest word (the surname) does.
    assert Prisoner.objects.rarest_word(["Nikolai Statkevich"]) == "statkevich"
    [(record, matched, _)] = Prisoner.objects.duplicate_candidates(["Nikolai Statkevich"])
    assert (record.name, matched) == ("Mikola Statkevich", "Mikola Statkevich")


def test_a_word_many_carry_points_at_no_one(today):
    # In a real register given names are common; in one of six, any shared word is rare.
    for n in range(RARE + 1):
        PrisonerFactory(name=f"Darya Surname{n}")
    assert Prisoner.objects.rarest_word(["Darya Bepaouski"]) == ""  # darya: too many; bepaouski: no one
    assert Prisoner.objects.duplicate_candidates(["Darya Bepaouski"]) == []


def test_candidates_are_best_first_and_limited(today):
    for n in [3, 1, 6, 0, 2, 5, 4]:
        PrisonerFactory(name=f"Maria Kalesnikava{' ' + 'x' * n if n else ''}")
    found = Prisoner.objects.duplicate_candidates(["Maria Kalesnikava"], limit=5)
    assert [candidate.matched for candidate in found] == [
        f"Maria Kalesnikava{s}" for s in ["", " x", " xx", " xxx", " xxxx"]
    ]
    assert found[0].score == 1.0 and found[1].score > found[4].score


def test_adding_a_person_on_file_under_another_spelling_is_refused_with_links(gridin, researcher, as_user):
    response = add_prisoner(as_user(researcher), "Ales Gridin")
    message = refusal(response)
    assert "This prisoner may already be on file" in message
    assert f'<a href="/admin/prisoners/prisoner/{gridin.pk}/change/"' in message and "Алесь Грыдзін" in message
    assert 'name="save_anyway"' in message and "checked" not in message
    assert not Prisoner.objects.filter(name="Ales Gridin").exists()


def test_a_variant_in_the_same_form_is_checked_too(gridin, researcher, as_user):
    response = add_prisoner(as_user(researcher), "A. Hrydzin", variants=["Алесь Грыдзін"])
    assert "Алесь Грыдзін" in refusal(response)


def test_save_anyway_creates_the_record_once_ticked_for_the_records_listed(gridin, researcher, as_user):
    client = as_user(researcher)
    form = refusal(add_prisoner(client, "Ales Gridin"))
    assert f'name="duplicates_seen" value="{gridin.pk}"' in form

    response = add_prisoner(client, "Ales Gridin", save_anyway="on", duplicates_seen=str(gridin.pk))

    assert response.status_code == 302
    assert Prisoner.objects.filter(name="Ales Gridin").count() == 1


def test_a_tick_without_having_seen_the_list_does_not_count(gridin, researcher, as_user):
    client = as_user(researcher)
    assert "Алесь Грыдзін" in refusal(add_prisoner(client, "Ales Gridin", save_anyway="on"))
    # Ticked for one list, then the name changed to match another record: the new list is shown first.
    other = PrisonerFactory(name="Ihar Losik")
    response = add_prisoner(client, "Igor Losik", save_anyway="on", duplicates_seen=str(gridin.pk))
    assert f"/admin/prisoners/prisoner/{other.pk}/change/" in refusal(response)
    assert not Prisoner.objects.filter(name="Igor Losik").exists()


def test_a_new_name_saves_at_once_and_changing_a_record_is_not_checked(gridin, researcher, as_user):
    client = as_user(researcher)
    assert add_prisoner(client, "Marfa Rabkova").status_code == 302
    rabkova = Prisoner.objects.get(name="Marfa Rabkova")
    response = client.post(f"/admin/prisoners/prisoner/{rabkova.pk}/change/", {**PRISONER_FORM, "name": "Ales Gridin"})
    assert response.status_code == 302


def test_facilities_and_lawyers_are_checked_too(today, researcher, as_user):
    FacilityFactory(name="Penal colony No. 4", city="Homiel")
    LawyerFactory(name="Liudmila Kazak")
    client = as_user(researcher)
    facility = {"name": "Penal colony No 4", "kind": "penal_colony", "city": "Gomel"}
    facility.update({"name_variants-TOTAL_FORMS": "0", "name_variants-INITIAL_FORMS": "0"})
    assert "Penal colony No. 4, Homiel" in refusal(client.post("/admin/prisoners/facility/add/", facility))
    assert "Liudmila Kazak" in refusal(client.post("/admin/prisoners/lawyer/add/", {"name": "Людмила Казак"}))
    assert not Facility.objects.filter(city="Gomel").exists() and Lawyer.objects.count() == 1


def test_the_add_form_shows_no_tick_before_it_is_needed(researcher, as_user):
    page = as_user(researcher).get(ADD).content.decode()
    assert "save_anyway" not in page and "duplicates_seen" not in page


@pytest.mark.parametrize("spellings", [group for group in PEOPLE if len(group[0].split()) > 1][:20])
def test_a_batch_finds_the_same_person_in_every_spelling(today, spellings):
    on_file, *others = spellings
    person = PrisonerFactory(name=on_file)
    PrisonerFactory(name="Someone Else Entirely")
    found = Prisoner.objects.duplicate_candidates_of_many([[spelling] for spelling in others])
    assert [[candidate.record for candidate in candidates] for candidates in found] == [[person]] * len(others)


def test_a_batch_costs_a_few_queries_however_many_names(today, django_assert_max_num_queries):
    for n in range(30):
        PrisonerFactory(name=f"Person Number{n}")
    with django_assert_max_num_queries(6):
        found = Prisoner.objects.duplicate_candidates_of_many([[f"Persan Numbir{n}"] for n in range(30)] + [["Nobody"]])
    assert found[-1] == [] and len(found) == 31
