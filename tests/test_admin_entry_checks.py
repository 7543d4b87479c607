"""Entering a case in the admin: every rule is checked on the add page as on the change page, the message
stands next to its field, what else was typed is kept, and nothing is ever a 500."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from events.models import Contact
from prisoners.models import CustodyPeriod, FacilityNameVariant, NameVariant, Prisoner, Sentence
from tests.admin_forms import add_inline_row, admin_form_data
from tests.factories import (
    CustodyPeriodFactory,
    FacilityFactory,
    FacilityNameVariantFactory,
    NameVariantFactory,
    PrisonerFactory,
)
from tests.test_roles import PRISONER_FORM

pytestmark = pytest.mark.django_db
D = datetime.date
ADD = "/admin/prisoners/prisoner/add/"


def inline_errors(response, prefix):
    """Errors of each row of the inline formset `prefix`, and its non-form errors."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return [form.errors for form in inline.formset.forms], list(inline.formset.non_form_errors())
    raise AssertionError(f"no inline {prefix}")


def test_a_duplicate_name_variant_on_the_prisoner_page_is_a_message_not_a_500(today, editor, as_user):
    variant = NameVariantFactory(name="Kolesnikova")
    prisoner = variant.prisoner
    client = as_user(editor)
    data = admin_form_data(client.get(f"/admin/prisoners/prisoner/{prisoner.pk}/change/"))
    data["bio"] = "Musician and activist."
    add_inline_row(data, "name_variants", {"name": "KOLESNIKOVA", "language": "", "note": ""})

    response = client.post(f"/admin/prisoners/prisoner/{prisoner.pk}/change/", data)

    assert response.status_code == 200
    rows, _ = inline_errors(response, "name_variants")
    assert rows[1]["name"] == ["This prisoner already has this name variant."]
    assert response.context["adminform"].form["bio"].value() == "Musician and activist."  # kept for the next try
    assert NameVariant.objects.filter(prisoner=prisoner).count() == 1
    assert Prisoner.objects.get(pk=prisoner.pk).bio != "Musician and activist."  # nothing saved


def test_two_equal_new_name_variants_on_the_add_page_are_a_message_not_a_500(today, editor, as_user):
    data = {**PRISONER_FORM, "name_variants-TOTAL_FORMS": "0"}
    for name in ("Алесь Бяляцкі", "алесь бяляцкі"):
        add_inline_row(data, "name_variants", {"name": name, "language": "", "note": ""})

    response = as_user(editor).post(ADD, data)

    assert response.status_code == 200
    rows, _ = inline_errors(response, "name_variants")
    assert rows[0] == {} and rows[1]["name"] == ["This prisoner already has this name variant."]
    assert not Prisoner.objects.exists()


def test_a_duplicate_facility_name_variant_is_a_message_not_a_500(editor, as_user):
    facility = FacilityNameVariantFactory(name="ИК-4").facility
    client = as_user(editor)
    data = admin_form_data(client.get(f"/admin/prisoners/facility/{facility.pk}/change/"))
    add_inline_row(data, "name_variants", {"name": "ик-4", "language": "", "note": ""})

    response = client.post(f"/admin/prisoners/facility/{facility.pk}/change/", data)

    assert response.status_code == 200
    rows, _ = inline_errors(response, "name_variants")
    assert rows[1]["name"] == ["This facility already has this name variant."]
    assert FacilityNameVariant.objects.filter(facility=facility).count() == 1


def test_deleting_a_variant_and_typing_it_again_differently_is_allowed(today, editor, as_user):
    variant = NameVariantFactory(name="Kolesnikova")
    client = as_user(editor)
    url = f"/admin/prisoners/prisoner/{variant.prisoner.pk}/change/"
    data = admin_form_data(client.get(url))
    data["name_variants-0-DELETE"] = "on"
    add_inline_row(data, "name_variants", {"name": "KOLESNIKOVA", "language": "", "note": ""})
    assert client.post(url, data).status_code == 302
    assert list(NameVariant.objects.values_list("name", flat=True)) == ["KOLESNIKOVA"]


def test_the_add_page_checks_contacts_custody_and_sentences_against_the_detention_typed_there(today, editor, as_user):
    data = {**PRISONER_FORM, "detained": "2020-09-07"}
    add_inline_row(
        data,
        "contacts",
        {
            "party": "lawyer",
            "date": "2020-08-01",
            "date_precision": "day",
            "channel": "visit",
            "visibility": "internal",
        },
    )
    add_inline_row(
        data,
        "custody_periods",
        {"facility": FacilityFactory().pk, "start": "2020-09-01", "start_precision": "day", "end_precision": "day"},
    )
    add_inline_row(data, "sentences", {"kind": "fine", "date": "2020-06-01", "date_precision": "day", "fine": "100"})

    response = as_user(editor).post(ADD, data)

    assert response.status_code == 200
    assert inline_errors(response, "contacts")[0][0]["date"] == [
        "The contact (1 August 2020) is before the detention (7 September 2020)."
    ]
    assert inline_errors(response, "custody_periods")[0][0]["start"] == [
        "The custody period (1 September 2020) is before the detention (7 September 2020)."
    ]
    assert inline_errors(response, "sentences")[0][0]["date"] == [
        "The sentence (1 June 2020) is before the detention (7 September 2020)."
    ]
    assert not Prisoner.objects.exists() and not Contact.objects.exists() and not CustodyPeriod.objects.exists()


def test_the_add_page_saves_a_case_whose_dates_follow_the_detention(today, editor, as_user):
    data = {**PRISONER_FORM, "detained": "2020-09-07"}
    add_inline_row(
        data,
        "contacts",
        {
            "party": "lawyer",
            "date": "2020-10-01",
            "date_precision": "day",
            "channel": "visit",
            "visibility": "internal",
        },
    )
    add_inline_row(data, "name_variants", {"name": "Алесь Бяляцкі", "language": "", "note": ""})
    assert as_user(editor).post(ADD, data).status_code == 302
    assert Contact.objects.get().prisoner.name == "Ales Bialiatski"


def test_a_sentence_before_the_detention_is_refused(today):
    prisoner = PrisonerFactory(detained=D(2020, 9, 7))
    with pytest.raises(ValidationError, match=r"The sentence \(1 June 2020\) is before the detention"):
        Sentence(prisoner=prisoner, kind="fine", fine=100, date=D(2020, 6, 1)).full_clean()
    Sentence(prisoner=prisoner, kind="fine", fine=100, date=D(2021, 6, 1)).full_clean()


def test_an_overlap_is_shown_on_the_custody_row_that_overlaps(today, researcher, as_user):
    current = CustodyPeriodFactory(start=D(2021, 1, 1), end=None)
    client = as_user(researcher)
    url = f"/admin/prisoners/prisoner/{current.prisoner.pk}/change/"
    data = admin_form_data(client.get(url))
    add_inline_row(
        data,
        "custody_periods",
        {"facility": FacilityFactory().pk, "start": "2024-03-01", "start_precision": "day", "end_precision": "day"},
    )
    response = client.post(url, data)
    rows, above = inline_errors(response, "custody_periods")
    assert above == []
    assert rows[1]["start"] == [f"This overlaps another custody period ({current})."]


def test_a_name_longer_than_allowed_is_refused_with_a_message_not_cut_by_the_browser(today, editor, as_user):
    client = as_user(editor)
    page = client.get(ADD).content.decode()
    name_input = page.split('name="name"')[1].split(">")[0]
    assert "maxlength" not in name_input
    response = client.post(ADD, {**PRISONER_FORM, "name": "A" * 10_000})
    assert response.context["adminform"].form.errors["name"] == [
        "Ensure this value has at most 200 characters (it has 10000)."
    ]
