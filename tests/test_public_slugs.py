"""A case's public address never spells a name the public may not see: editors change slugs, an old slug
redirects only if the public saw it, and no slug tells the public about a record it cannot see."""

import datetime
import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import Client

from prisoners.models import PreviousSlug, Prisoner
from registers import importer
from review.models import HeldChange
from tests.admin_forms import add_inline_row, admin_form_data
from tests.factories import FacilityFactory, IncidentFactory, NameVariantFactory, PrisonerFactory
from tests.test_roles import PRISONER_FORM

pytestmark = pytest.mark.django_db
D = datetime.date
CODE = "[a-z0-9]{4}"  # the random code every new slug ends with


def change_url(prisoner):
    return f"/admin/prisoners/prisoner/{prisoner.pk}/change/"


def edit(client, prisoner, **fields):
    """Submit the prisoner's admin form as it was rendered, with `fields` changed."""
    data = admin_form_data(client.get(change_url(prisoner)))
    for name, value in fields.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return client.post(change_url(prisoner), data)


def every_public_text(client, prisoner):
    """What every public surface says while this prisoner is published: the case page (with its canonical and
    OpenGraph tags), its JSON and feed, the site feed, the sitemap, the exports and a search by display name."""
    public = Client()
    loc = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    sections = [urlsplit(e.text) for e in ET.fromstring(public.get("/sitemap.xml").content).iter(loc)]
    addresses = [
        prisoner.get_absolute_url(),
        f"/prisoners/{prisoner.slug}.json",
        f"/prisoners/{prisoner.slug}/feed/",
        "/feed/",
        "/prisoners.csv",
        "/prisoners.json",
        f"/prisoners/?q={prisoner.name}",
        *(f"{section.path}?{section.query}" for section in sections),
    ]
    texts = {}
    for address in addresses:
        response = public.get(address)
        assert response.status_code == 200, address
        texts[address] = response.getvalue().decode() + str(response.headers)
    return texts


def test_a_case_renamed_before_publication_shows_its_first_name_nowhere(editor, as_user, today):
    """Entered under a real name, shown as "Name withheld": the editor clears the slug, which is made again from the
    display name, and publishes; no public surface carries the real name, and its slug is unknown to the public."""
    prisoner = PrisonerFactory(name="Ihar Realname", published=False)
    first_slug = prisoner.slug
    assert "realname" in first_slug
    IncidentFactory(prisoner=prisoner, description="Placed in a punishment cell.")

    response = edit(as_user(editor), prisoner, name="Name withheld", slug="", published=True)

    assert response.status_code == 302
    prisoner.refresh_from_db()
    assert prisoner.published and re.fullmatch(f"name-withheld-{CODE}", prisoner.slug)
    texts = every_public_text(Client(), prisoner)
    assert (
        f'<link rel="canonical" href="http://testserver/prisoners/{prisoner.slug}/">'
        in texts[f"/prisoners/{prisoner.slug}/"]
    )
    assert (
        f'<meta property="og:url" content="http://testserver/prisoners/{prisoner.slug}/">'
        in texts[f"/prisoners/{prisoner.slug}/"]
    )
    for address, text in texts.items():
        assert "realname" not in text.lower(), f"the first name leaked on {address}"
    for address in [f"/prisoners/{first_slug}/", f"/prisoners/{first_slug}.json", f"/prisoners/{first_slug}/feed/"]:
        assert Client().get(address).status_code == 404  # like any slug no one has
    assert PreviousSlug.objects.get(slug=first_slug).was_public is False


def test_changing_a_published_slug_redirects_from_the_old_one(editor, as_user, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    prisoner = PrisonerFactory(name="Maria Kalesnikava", slug="maria-kalesnikava", photo_public=True)
    prisoner.photo.save("maria.png", ContentFile(b"a photo"))

    assert edit(as_user(editor), prisoner, slug="maria-kalesnikava-2020").status_code == 302

    public = Client()
    for old, new in [
        ("/prisoners/maria-kalesnikava/", "/prisoners/maria-kalesnikava-2020/"),
        ("/prisoners/maria-kalesnikava.json", "/prisoners/maria-kalesnikava-2020.json"),
        ("/prisoners/maria-kalesnikava/feed/", "/prisoners/maria-kalesnikava-2020/feed/"),
        ("/prisoners/maria-kalesnikava/photo", "/prisoners/maria-kalesnikava-2020/photo"),
    ]:
        response = public.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
        assert public.get(new).status_code == 200, new
    assert "maria-kalesnikava/" not in public.get("/sitemap-prisoners.xml").content.decode()

    prisoner.published = False  # withdrawn: its old address finds nothing either
    prisoner.save()
    assert public.get("/prisoners/maria-kalesnikava/").status_code == 404


def test_a_slug_seen_while_published_earlier_still_redirects(editor, as_user, today):
    prisoner = PrisonerFactory(name="Ihar Losik", slug="ihar-losik")
    prisoner.published = False
    prisoner.save()
    edit(as_user(editor), prisoner, slug="ihar-losik-2021")
    prisoner.refresh_from_db()
    prisoner.published = True
    prisoner.save()
    assert PreviousSlug.objects.get(slug="ihar-losik").was_public
    assert Client().get("/prisoners/ihar-losik/")["Location"] == "/prisoners/ihar-losik-2021/"


def test_going_back_to_a_former_slug_takes_it_back(editor, as_user, today):
    prisoner = PrisonerFactory(name="Ihar Losik", slug="ihar-losik")
    client = as_user(editor)
    edit(client, prisoner, slug="ihar-losik-2021")
    edit(client, prisoner, slug="ihar-losik")
    assert list(prisoner.previous_slugs.values_list("slug", "was_public")) == [("ihar-losik-2021", True)]
    assert Client().get("/prisoners/ihar-losik/").status_code == 200


def test_a_namesake_of_an_unpublished_record_gets_no_counter(today):
    """A counter (-2) would say that a record of that name exists, which the public cannot see; every new slug
    ends with a random code instead, namesake or not."""
    hidden = PrisonerFactory(name="Ivan Ivanov", published=False)
    namesake = PrisonerFactory(name="Ivan Ivanov")
    alone = PrisonerFactory(name="Piotr Petrov")
    assert re.fullmatch(f"ivan-ivanov-{CODE}", namesake.slug) and namesake.slug != hidden.slug
    assert re.fullmatch(f"piotr-petrov-{CODE}", alone.slug)  # the same shape with or without a namesake
    assert not namesake.slug.endswith("-2")


def test_a_facility_named_like_one_known_only_internally_gets_no_counter(today):
    hidden = FacilityFactory(name="Secret site", city="Minsk")
    public = FacilityFactory(name="Secret site", city="Minsk")
    assert hidden.slug == "secret-site-minsk"
    assert re.fullmatch(f"secret-site-minsk-{CODE}", public.slug) and not public.slug.endswith("-2")


def test_an_imported_namesake_of_an_unpublished_record_gets_no_counter(today):
    PrisonerFactory(name="Ivan Ivanov", published=False)
    report = importer.run(
        "prisoners",
        file_name="list.csv",
        data=b"name,born,match\nIvan Ivanov,1980,new\nIvan Ivanov,1990,new\n",
        dry_run=False,
    )
    assert report.written, [str(problem) for problem in report.problems]
    slugs = list(Prisoner.objects.filter(name="Ivan Ivanov").values_list("slug", flat=True))
    assert len(set(slugs)) == 3 and all(re.fullmatch(f"ivan-ivanov-{CODE}", slug) for slug in slugs)


def test_only_editors_change_the_slug(researcher, editor, as_user, today):
    prisoner = PrisonerFactory(name="Ihar Losik", slug="ihar-losik")
    client = as_user(researcher)
    assert 'name="slug"' not in client.get(change_url(prisoner)).content.decode()  # shown, read-only
    assert edit(client, prisoner, slug="ihar-losik-2021", bio="Blogger.").status_code == 302
    held = HeldChange.objects.get()  # a public edit, held for an editor; the slug typed in is not part of it
    assert not any(change["field"] == "Slug" for change in held.changes)
    as_user(editor).post(f"/admin/review/heldchange/{held.pk}/approve/")
    prisoner.refresh_from_db()
    assert (prisoner.slug, prisoner.bio) == ("ihar-losik", "Blogger.")

    client = as_user(editor)
    assert 'name="slug"' in client.get(change_url(prisoner)).content.decode()
    assert edit(client, prisoner, slug="ihar-losik-2021").status_code == 302
    prisoner.refresh_from_db()
    assert prisoner.slug == "ihar-losik-2021"


def test_a_researchers_new_prisoner_gets_a_slug_from_the_display_name(researcher, as_user, today):
    response = as_user(researcher).post("/admin/prisoners/prisoner/add/", {**PRISONER_FORM, "slug": "chosen"})
    assert response.status_code == 302
    assert re.fullmatch(f"ales-bialiatski-{CODE}", Prisoner.objects.get(name="Ales Bialiatski").slug)


@pytest.mark.parametrize(
    "slug, published, message",
    [
        ("taken-by-hidden", False, "Another prisoner has this slug."),
        ("was-someone-elses", False, "Another prisoner had this slug before"),
        ("Ihar-Losik", False, "Use lower-case letters a–z and digits"),
        ("ihar_losik", False, "Use lower-case letters a–z and digits"),
        ("ihar--losik", False, "Use lower-case letters a–z and digits"),
        ("ihar losik", False, "Enter a valid “slug”"),
        ("ihar-realname", True, "holds words that are not in the display name “Ihar Losik”: realname."),
    ],
)
def test_a_bad_slug_gets_a_message_next_to_the_field_and_nothing_is_saved(
    editor, as_user, today, slug, published, message
):
    PrisonerFactory(name="Someone Else", slug="taken-by-hidden", published=False)
    other = PrisonerFactory(name="Another Person", slug="was-someone-elses", published=False)
    other.slug = "another-person-2020"
    other.save()
    prisoner = PrisonerFactory(name="Ihar Losik", slug="ihar-losik", published=False, bio="Before.")
    client = as_user(editor)
    data = admin_form_data(client.get(change_url(prisoner)))
    data.update(slug=slug, bio="After.")
    if published:
        data["published"] = "on"
    add_inline_row(data, "name_variants", {"name": "Игорь Лосик", "language": "ru"})

    response = client.post(change_url(prisoner), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["slug"] and message in " ".join(errors["slug"])
    prisoner.refresh_from_db()
    assert (prisoner.slug, prisoner.bio, prisoner.published) == ("ihar-losik", "Before.", False)
    assert not prisoner.name_variants.exists() and not prisoner.previous_slugs.exists()


def test_publishing_a_slug_that_spells_another_name_is_refused_everywhere(editor, as_user, today):
    """In the admin form (above), in the list action and in any save: the model is the last guard."""
    prisoner = PrisonerFactory(name="Ihar Realname", published=False)
    prisoner.name = "Name withheld"
    prisoner.save()  # unpublished: no one sees the slug yet
    prisoner.published = True
    with pytest.raises(ValidationError, match="realname"):
        prisoner.save()

    response = as_user(editor).post(
        "/admin/prisoners/prisoner/", {"action": "make_public", "_selected_action": [prisoner.pk]}, follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any(message.startswith("Not changed: Name withheld. The slug") for message in messages)
    assert "Made public: 0" in messages
    assert Prisoner.objects.get(pk=prisoner.pk).published is False


def test_renaming_a_published_case_needs_a_new_slug(researcher, editor, as_user, today):
    """The display name changes to a pseudonym after publication: the slug, which spells the old name, must change
    with it; a researcher, who cannot change slugs, is told next to the name."""
    prisoner = PrisonerFactory(name="Ihar Realname")
    old_slug = prisoner.slug
    response = edit(as_user(researcher), prisoner, name="Name withheld")
    assert response.status_code == 200
    assert "Only an editor can change the slug." in " ".join(response.context["adminform"].form.errors["name"])
    assert Prisoner.objects.get(pk=prisoner.pk).name == "Ihar Realname"

    assert edit(as_user(editor), prisoner, name="Name withheld", slug="").status_code == 302
    prisoner.refresh_from_db()
    assert re.fullmatch(f"name-withheld-{CODE}", prisoner.slug)
    # The public saw the old address: it still leads to the case (an editor may retire it: see the next test).
    assert Client().get(f"/prisoners/{old_slug}/")["Location"] == prisoner.get_absolute_url()


def test_an_editor_can_retire_a_former_slug(editor, researcher, as_user, today):
    prisoner = PrisonerFactory(name="Ihar Losik", slug="ihar-losik")
    edit(as_user(editor), prisoner, slug="ihar-losik-2021")
    previous = prisoner.previous_slugs.get()
    assert 'name="previous_slugs-0-DELETE"' not in as_user(researcher).get(change_url(prisoner)).content.decode()
    page = as_user(editor).get(change_url(prisoner)).content.decode()
    assert "ihar-losik" in page and 'name="previous_slugs-0-DELETE"' in page

    data = admin_form_data(as_user(editor).get(change_url(prisoner)))
    data["previous_slugs-0-DELETE"] = "on"
    assert as_user(editor).post(change_url(prisoner), data).status_code == 302
    assert not PreviousSlug.objects.filter(pk=previous.pk).exists()
    assert Client().get("/prisoners/ihar-losik/").status_code == 404


def test_a_published_slug_from_before_the_rule_blocks_no_other_edit(today):
    """Only publishing, renaming and re-addressing are judged: other edits of an old record save as before."""
    prisoner = PrisonerFactory(name="Ihar Realname", published=False)
    Prisoner.objects.filter(pk=prisoner.pk).update(name="Name withheld", published=True)  # as it was before the rule
    prisoner = Prisoner.objects.get(pk=prisoner.pk)
    prisoner.bio = "Blogger."
    prisoner.full_clean()
    prisoner.save()
    NameVariantFactory(prisoner=prisoner, name="Ігар")


def test_published_slugs_from_before_the_rule_are_listed_for_an_editor(today):
    before_the_rule = PrisonerFactory(name="Name withheld", published=True)
    Prisoner.objects.filter(pk=before_the_rule.pk).update(slug="ivan-realname")  # as data from before the rule is
    PrisonerFactory(name="Maria Kalesnikava", slug="maria-kalesnikava-2", published=True)
    PrisonerFactory(name="Hidden", slug="hidden-realname", published=False)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 published slugs break the address rule"):
        call_command("check_slugs", stdout=out)
    assert "ivan-realname" in out.getvalue() and "realname" in out.getvalue()
    assert "maria-kalesnikava-2" not in out.getvalue() and "hidden-realname" not in out.getvalue()
