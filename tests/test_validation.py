"""Bad input gets a clear message and saves nothing; the database backs the rules it can enforce."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from casetracker.dates import Precision
from events.models import Contact, Incident, IncidentKind, Organisation, Source
from prisoners.models import CustodyPeriod, NameVariant, Recognition, RegisterEntry, Sentence, SentenceKind
from tests.factories import (
    ContactFactory,
    CustodyPeriodFactory,
    FacilityFactory,
    IncidentFactory,
    LawyerFactory,
    NameVariantFactory,
    PrisonerFactory,
    RepresentationFactory,
    SentenceFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def messages(error, field):
    return " ".join(error.value.message_dict[field])


def test_an_end_before_its_start_is_refused(today):
    incident = IncidentFactory.build(prisoner=PrisonerFactory(), start=D(2023, 3, 10), end=D(2023, 3, 9))
    with pytest.raises(ValidationError) as error:
        incident.full_clean()
    assert "The end (9 March 2023) is before the start (10 March 2023)." in messages(error, "end")


def test_an_approximate_end_overlapping_its_start_is_accepted(today):
    incident = IncidentFactory.build(
        prisoner=PrisonerFactory(), start=D(2023, 3, 25), end=D(2023, 3, 1), end_precision=Precision.MONTH
    )
    incident.full_clean()


@pytest.mark.parametrize("factory", [IncidentFactory, CustodyPeriodFactory, RepresentationFactory])
def test_the_database_refuses_an_end_before_its_start(factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(start=D(2023, 3, 10), end=D(2023, 3, 9))


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: IncidentFactory.build(prisoner=PrisonerFactory(), start=D(2024, 6, 2)), "start"),
        (lambda: ContactFactory.build(prisoner=PrisonerFactory(), date=D(2024, 6, 2)), "date"),
        (lambda: PrisonerFactory.build(detained=D(2024, 6, 2)), "detained"),
        (
            lambda: CustodyPeriodFactory.build(
                prisoner=PrisonerFactory(), facility=FacilityFactory(), start=D(2024, 6, 2)
            ),
            "start",
        ),
        (lambda: SentenceFactory.build(prisoner=PrisonerFactory(), date=D(2024, 6, 2)), "date"),
    ],
)
def test_a_date_in_the_future_is_refused(today, build, field):
    with pytest.raises(ValidationError) as error:
        build().full_clean()
    assert "2 June 2024 is in the future." in messages(error, field)


def test_an_approximate_date_that_has_begun_is_not_in_the_future(today):
    ContactFactory.build(prisoner=PrisonerFactory(), date=D(2024, 6, 1), date_precision=Precision.MONTH).full_clean()


def test_a_contact_before_detention_is_refused(today):
    prisoner = PrisonerFactory(detained=D(2020, 9, 1), detained_precision=Precision.MONTH)
    with pytest.raises(ValidationError) as error:
        ContactFactory.build(prisoner=prisoner, date=D(2020, 8, 31)).full_clean()
    assert "The contact (31 August 2020) is before the detention (September 2020)." in messages(error, "date")
    ContactFactory.build(prisoner=prisoner, date=D(2020, 9, 1)).full_clean()


def test_an_incident_before_detention_is_refused_except_an_arrest(today):
    prisoner = PrisonerFactory(detained=D(2020, 9, 7))
    with pytest.raises(ValidationError) as error:
        IncidentFactory.build(prisoner=prisoner, start=D(2020, 9, 6)).full_clean()
    assert "before the detention (7 September 2020)" in messages(error, "start")
    IncidentFactory.build(prisoner=prisoner, kind=IncidentKind.ARREST, start=D(2020, 9, 6)).full_clean()


def test_a_custody_period_before_detention_is_refused(today):
    prisoner = PrisonerFactory(detained=D(2020, 9, 7))
    period = CustodyPeriodFactory.build(prisoner=prisoner, facility=FacilityFactory(), start=D(2020, 9, 1))
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert "The custody period (1 September 2020) is before the detention" in messages(error, "start")


def test_overlapping_custody_periods_are_refused(today):
    first = CustodyPeriodFactory(start=D(2021, 1, 1), end=D(2022, 1, 1))
    clash = CustodyPeriodFactory.build(prisoner=first.prisoner, facility=FacilityFactory(), start=D(2021, 6, 1))
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "This overlaps another custody period" in messages(error, "__all__")


def test_a_transfer_day_ends_one_period_and_starts_the_next(today):
    first = CustodyPeriodFactory(start=D(2021, 1, 1), end=D(2022, 11, 28))
    CustodyPeriodFactory.build(prisoner=first.prisoner, facility=FacilityFactory(), start=D(2022, 11, 28)).full_clean()


def test_two_open_ended_periods_overlap(today):
    first = CustodyPeriodFactory(start=None)
    later = CustodyPeriodFactory.build(prisoner=first.prisoner, facility=FacilityFactory(), start=D(2023, 1, 1))
    with pytest.raises(ValidationError):
        later.full_clean()


def test_postgresql_itself_refuses_overlapping_custody_periods():
    first = CustodyPeriodFactory(start=D(2021, 1, 1), end=D(2022, 1, 1))
    overlapping = CustodyPeriod(prisoner=first.prisoner, facility=first.facility, start=D(2021, 12, 1))
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            CustodyPeriod.objects.bulk_create([overlapping])
    else:
        # SQLite has no exclusion constraints: model validation is the only guard there.
        assert connection.vendor == "sqlite"
        CustodyPeriod.objects.bulk_create([overlapping])


def test_a_duplicate_name_variant_is_refused_whatever_its_case():
    variant = NameVariantFactory(name="Kolesnikova")
    duplicate = NameVariant(prisoner=variant.prisoner, name="KOLESNIKOVA")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "This prisoner already has this name variant." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    NameVariant(prisoner=PrisonerFactory(), name="Kolesnikova").full_clean()  # another prisoner may share it


def test_a_prison_sentence_needs_a_positive_term():
    sentence = Sentence(prisoner=PrisonerFactory(), date=D(2021, 9, 6), term_years=0, term_months=0)
    with pytest.raises(ValidationError) as error:
        sentence.full_clean()
    assert error.value.message_dict["term_years"] == ["A sentence of imprisonment needs a term."]
    with pytest.raises(IntegrityError), transaction.atomic():
        sentence.save()


@pytest.mark.parametrize("kind", [SentenceKind.LIFE, SentenceKind.DEATH, SentenceKind.FINE])
def test_life_death_and_fines_have_no_term(kind):
    sentence = Sentence(prisoner=PrisonerFactory(), kind=kind, term_years=5)
    with pytest.raises(ValidationError) as error:
        sentence.full_clean()
    assert error.value.message_dict["term_years"] == [f"A sentence of {sentence.get_kind_display()} has no term."]
    with pytest.raises(IntegrityError), transaction.atomic():
        sentence.save()


def test_only_a_fine_has_an_amount():
    sentence = Sentence(prisoner=PrisonerFactory(), term_years=2, fine="100 base units")
    with pytest.raises(ValidationError) as error:
        sentence.full_clean()
    assert error.value.message_dict["fine"] == ["Only a fine has an amount."]


def test_a_sentence_may_be_known_by_its_term_alone():
    Sentence(prisoner=PrisonerFactory(detained=None), term_years=3).full_clean()


@pytest.mark.parametrize("days", [0, 3651])
def test_absurd_thresholds_are_refused(days):
    prisoner = PrisonerFactory.build(lawyer_threshold_days=days, family_threshold_days=days)
    with pytest.raises(ValidationError) as error:
        prisoner.full_clean()
    assert set(error.value.message_dict) >= {"lawyer_threshold_days", "family_threshold_days"}


def test_a_disbarment_names_the_lawyer(today):
    incident = IncidentFactory.build(prisoner=PrisonerFactory(), kind=IncidentKind.DISBARMENT)
    with pytest.raises(ValidationError) as error:
        incident.full_clean()
    assert "Say which lawyer was disbarred." in messages(error, "lawyer")
    incident.lawyer = LawyerFactory()
    incident.full_clean()


def test_only_a_lawyer_contact_names_a_lawyer():
    contact = ContactFactory.build(prisoner=PrisonerFactory(), party="family", lawyer=LawyerFactory())
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert error.value.message_dict == {"lawyer": ["Only a lawyer contact can name a lawyer."]}  # next to the field


def test_the_admin_shows_the_error_next_to_the_field_and_saves_nothing(today, editor, as_user):
    prisoner = PrisonerFactory()
    response = as_user(editor).post(
        "/admin/events/incident/add/",
        {
            "prisoner": prisoner.pk,
            "kind": IncidentKind.SHIZO,
            "start": "2023-03-10",
            "start_precision": "day",
            "end": "2023-03-09",
            "end_precision": "day",
            "description": "Punishment cell",
            "visibility": "internal",
            "verification": "reported",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["end"] == ["The end (9 March 2023) is before the start (10 March 2023)."]
    assert "errorlist" in response.content.decode()
    assert Incident.objects.count() == 0


def test_the_admin_refuses_a_contact_before_detention(today, editor, as_user):
    prisoner = PrisonerFactory(detained=D(2020, 9, 1), detained_precision=Precision.MONTH)
    response = as_user(editor).post(
        "/admin/events/contact/add/",
        {
            "prisoner": prisoner.pk,
            "party": "family",
            "date": "August 2020",
            "channel": "visit",
            "visibility": "internal",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [
        "The contact (August 2020) is before the detention (September 2020)."
    ]
    assert Contact.objects.count() == 0


def test_a_date_of_death_makes_no_sense_for_the_living():
    prisoner = PrisonerFactory.build(died=D(2023, 3, 1), died_in_custody=True)
    with pytest.raises(ValidationError) as error:
        prisoner.full_clean()
    assert messages(error, "status") == (
        "A prisoner with a date of death is deceased. A prisoner who died in custody is deceased."
    )


def test_a_death_before_the_birth_is_refused():
    prisoner = PrisonerFactory.build(status="deceased", born=D(1990, 1, 1), born_precision=Precision.YEAR)
    prisoner.died = D(1989, 5, 1)
    with pytest.raises(ValidationError) as error:
        prisoner.full_clean()
    assert messages(error, "died") == "The death (1 May 1989) is before the birth (1990)."


def test_a_birth_in_the_future_is_refused(today):
    prisoner = PrisonerFactory.build(born=D(2030, 1, 1), born_precision=Precision.YEAR)
    with pytest.raises(ValidationError) as error:
        prisoner.full_clean()
    assert messages(error, "born") == "2030 is in the future."


def test_facility_coordinates_come_as_a_pair_within_range():
    facility = FacilityFactory.build(latitude=52.4, longitude=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        facility.save()
    facility = FacilityFactory.build(latitude=95, longitude=30)
    with pytest.raises(ValidationError) as error:
        facility.full_clean()
    assert "latitude" in error.value.message_dict


WEB_ADDRESS_FIELDS = [
    (lambda: Source(title="Report", kind="news"), "url"),
    (lambda: Organisation(name="Viasna"), "url"),
    (lambda: Recognition(prisoner=PrisonerFactory()), "statement_url"),
    (lambda: RegisterEntry(prisoner=PrisonerFactory(), register="Viasna", identifier="1"), "url"),
]


@pytest.mark.parametrize("build, field", WEB_ADDRESS_FIELDS)
@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/file"])
def test_a_link_must_be_a_web_address(build, field, address):
    record = build()
    setattr(record, field, address)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert messages(error, field) == "Enter a web address starting with http:// or https://."


@pytest.mark.parametrize("build, field", WEB_ADDRESS_FIELDS)
def test_a_web_address_is_accepted_as_a_link(build, field):
    record = build()
    setattr(record, field, "https://spring96.org/en/news/1")
    record.full_clean()


def test_the_admin_refuses_a_script_address_next_to_the_field(editor, as_user):
    response = as_user(editor).post(
        "/admin/events/source/add/",
        {"title": "Report", "kind": "news", "url": "javascript:alert(1)", "published_precision": "day"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"] == [
        "Enter a web address starting with http:// or https://."
    ]
    assert not Source.objects.filter(title="Report").exists()


def test_a_date_before_1900_is_a_typo_and_refused(today):
    prisoner = PrisonerFactory.build(detained=datetime.date(1899, 9, 1), born=datetime.date(1020, 1, 1))
    with pytest.raises(ValidationError) as refused:
        prisoner.full_clean()
    assert refused.value.message_dict["detained"] == ["Dates before 1900 are not taken: check the year."]
    assert "born" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        prisoner.save()  # written past the form (a script, an import bug): the database refuses it too
