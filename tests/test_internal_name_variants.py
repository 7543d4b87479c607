"""A name variant is internal until an editor marks it public: an internal one (a legal name behind a pseudonym)
is on no public page, export or feed and finds no one in the public search, but the admin's search and the
duplicate checks still find the person by it."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from prisoners.models import NameVariant, Prisoner
from prisoners.search import IndexedName, IndexedWord
from registers import importer
from tests.admin_forms import add_inline_row, admin_form_data
from tests.factories import IncidentFactory, NameVariantFactory, PrisonerFactory
from tests.test_duplicate_candidates import add_prisoner, refusal

pytestmark = pytest.mark.django_db
INTERNAL = "Secretname Realova"


@pytest.fixture
def pseudonymous(today):
    """A published case shown as "Maria K.", with a public spelling and the legal name as an internal one."""
    prisoner = PrisonerFactory(name="Maria K.", slug="maria-k")
    NameVariantFactory(prisoner=prisoner, name="Мария К.", language="ru")
    NameVariantFactory(prisoner=prisoner, name=INTERNAL, public=False)
    IncidentFactory(prisoner=prisoner, description="Placed in a punishment cell.")
    return prisoner


def test_a_new_variant_is_internal():
    assert NameVariant(name="Ihar Losik").public is False


def test_only_editors_make_a_variant_public(researcher, editor, as_user, today):
    prisoner = PrisonerFactory(name="Ihar Losik")
    url = f"/admin/prisoners/prisoner/{prisoner.pk}/change/"
    client = as_user(researcher)
    data = admin_form_data(client.get(url))
    add_inline_row(data, "name_variants", {"name": "Игорь Лосик", "language": "ru", "public": "on"})
    assert client.post(url, data).status_code == 302
    assert list(prisoner.name_variants.values_list("name", "public")) == [("Игорь Лосик", False)]
    assert 'name="name_variants-0-public"' not in client.get(url).content.decode()  # shown, read-only

    client = as_user(editor)
    data = admin_form_data(client.get(url))
    data["name_variants-0-public"] = "on"
    assert client.post(url, data).status_code == 302
    assert list(prisoner.name_variants.values_list("name", "public")) == [("Игорь Лосик", True)]


def test_an_internal_variant_is_on_no_public_surface(pseudonymous, client):
    addresses = [
        "/prisoners/maria-k/",
        "/prisoners/maria-k.json",
        "/prisoners/maria-k/feed/",
        "/prisoners/",
        "/prisoners/?q=Maria",
        "/prisoners.csv",
        "/prisoners.json",
        "/feed/",
        "/sitemap-prisoners.xml",
    ]
    for address in addresses:
        body = client.get(address).getvalue().decode()
        assert "Secretname" not in body and "Realova" not in body, address
    assert "Мария К." in client.get("/prisoners/maria-k/").content.decode()  # the public spelling is shown
    assert json.loads(client.get("/prisoners/maria-k.json").content)["name_variants"] == ["Мария К."]
    row = json.loads(client.get("/prisoners.json").getvalue())["prisoners"][0]
    assert row["name_variants"] == ["Мария К."]


@pytest.mark.parametrize("query", [INTERNAL, "Realova", "Maria Realova", "Secretnam", "Realva Secretname"])
def test_an_internal_variant_finds_no_one_publicly(pseudonymous, client, query):
    """Not by the whole name, a word, a prefix, with a public word, nor nearly; nor is it offered as a suggestion
    ("Maria Realova" may suggest Maria K. by the public "Maria", never by the internal spelling)."""
    response = client.get("/prisoners/", {"q": query})
    assert list(response.context["page"].object_list) == []
    assert json.loads(client.get("/prisoners.json", {"q": query}).getvalue())["count"] == 0
    assert [spelling.text for _, spelling in response.context["suggestions"]] in ([], ["Maria K."])
    assert "matched:" not in response.content.decode()


def test_a_public_spelling_still_finds_and_is_named(pseudonymous, client):
    response = client.get("/prisoners/", {"q": "Мария К"})
    assert [prisoner.name for prisoner in response.context["page"].object_list] == ["Maria K."]
    assert 'matched: <span lang="ru">Мария К.</span>' in response.content.decode()


def test_the_admin_and_duplicate_checks_still_find_by_an_internal_variant(pseudonymous, researcher, as_user):
    client = as_user(researcher)
    found = client.get("/admin/prisoners/prisoner/", {"q": "Realova"}).context["cl"].result_list
    assert list(found) == [pseudonymous]
    assert Prisoner.objects.duplicate_candidates([INTERNAL])[0].record == pseudonymous
    assert f"/admin/prisoners/prisoner/{pseudonymous.pk}/change/" in refusal(add_prisoner(client, INTERNAL))


def test_the_index_marks_which_spellings_are_public(pseudonymous):
    NameVariantFactory(prisoner=pseudonymous, name="Maria Realova", public=False)  # shares "maria" with the name
    names = dict(IndexedName.objects.filter(owner_id=pseudonymous.pk).values_list("folded", "public"))
    assert names == {"maria k": True, "mariya k": True, "secretname realova": False, "maria realova": False}
    words = dict(IndexedWord.objects.filter(owner_id=pseudonymous.pk).values_list("word", "public"))
    assert words == {"maria": True, "k": True, "mariya": True, "secretname": False, "realova": False}


def test_an_import_keeps_variants_internal_unless_the_file_says_public(today):
    report = importer.run(
        "prisoners",
        file_name="list.csv",
        data="name,name_variants,public_name_variants\nIhar Losik,Igar Losik,Игорь Лосик | Ігар Лосік\n".encode(),
        dry_run=False,
    )
    assert report.written, [str(problem) for problem in report.problems]
    assert report.outcomes[0].changes == ["+ public name Игорь Лосик", "+ public name Ігар Лосік", "+ name Igar Losik"]
    variants = dict(Prisoner.objects.get().name_variants.values_list("name", "public"))
    assert variants == {"Igar Losik": False, "Игорь Лосик": True, "Ігар Лосік": True}
    # The name of a row that finds someone shown by another name becomes an internal variant.
    prisoner = PrisonerFactory(name="Name withheld", published=False)
    importer.run(
        "prisoners", file_name="l.csv", data=f"name,match\nAles Real,{prisoner.slug}\n".encode(), dry_run=False
    )
    assert list(prisoner.name_variants.values_list("name", "public")) == [("Ales Real", False)]


@pytest.mark.django_db(transaction=True)
def test_variants_on_record_before_the_flag_stay_public():
    """Every variant was shown before the flag: the migration marks them public, so nothing visible disappears."""
    before, after = (
        [("prisoners", "0010_links_are_web_addresses")],
        [("prisoners", "0012_slugs_and_variant_visibility")],
    )
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        prisoner = old.get_model("prisoners", "Prisoner").objects.create(name="Ihar Losik", slug="ihar-losik")
        old.get_model("prisoners", "NameVariant").objects.create(prisoner_id=prisoner.pk, name="Ігар Лосік")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert list(NameVariant.objects.values_list("name", "public")) == [("Ігар Лосік", True)]
    finally:
        call_command("migrate", verbosity=0)
