import datetime

import factory
from factory.django import DjangoModelFactory

from casetracker.dates import Precision
from events.models import Contact, Incident, IncidentKind, Organisation, Party, Source, SourceKind, Visibility
from prisoners.models import (
    Charge,
    CustodyPeriod,
    Facility,
    FacilityKind,
    FacilityNameVariant,
    Lawyer,
    NameVariant,
    Prisoner,
    Recognition,
    RegisterEntry,
    Representation,
    Sentence,
    Tag,
)
from prisoners.status import Status


class PrisonerFactory(DjangoModelFactory):
    class Meta:
        model = Prisoner

    name = factory.Sequence(lambda n: f"Prisoner {n}")
    status = Status.DETAINED
    detained = datetime.date(2020, 9, 1)
    detained_precision = Precision.DAY
    published = True


class NameVariantFactory(DjangoModelFactory):
    class Meta:
        model = NameVariant

    prisoner = factory.SubFactory(PrisonerFactory)
    name = factory.Sequence(lambda n: f"Variant {n}")
    public = True  # most tests search public spellings; the model's own default is internal


class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Facility {n}")
    kind = FacilityKind.PENAL_COLONY
    city = "Homiel"
    country = "Belarus"


class CustodyPeriodFactory(DjangoModelFactory):
    class Meta:
        model = CustodyPeriod

    prisoner = factory.SubFactory(PrisonerFactory)
    facility = factory.SubFactory(FacilityFactory)
    start = datetime.date(2021, 1, 1)


class LawyerFactory(DjangoModelFactory):
    class Meta:
        model = Lawyer

    name = factory.Sequence(lambda n: f"Lawyer {n}")


class RepresentationFactory(DjangoModelFactory):
    class Meta:
        model = Representation

    prisoner = factory.SubFactory(PrisonerFactory)
    lawyer = factory.SubFactory(LawyerFactory)


class ChargeFactory(DjangoModelFactory):
    class Meta:
        model = Charge

    prisoner = factory.SubFactory(PrisonerFactory)
    label = "extremism"


class SentenceFactory(DjangoModelFactory):
    class Meta:
        model = Sentence

    prisoner = factory.SubFactory(PrisonerFactory)
    date = datetime.date(2021, 9, 6)
    term_years = 11


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    kind = SourceKind.STATEMENT
    confidential = False


class IncidentFactory(DjangoModelFactory):
    class Meta:
        model = Incident
        skip_postgeneration_save = True

    prisoner = factory.SubFactory(PrisonerFactory)
    kind = IncidentKind.SHIZO
    start = datetime.date(2022, 11, 18)
    description = "Placed in a punishment cell."
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    prisoner = factory.SubFactory(PrisonerFactory)
    party = Party.LAWYER
    date = datetime.date(2023, 2, 7)
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)


class FacilityNameVariantFactory(DjangoModelFactory):
    class Meta:
        model = FacilityNameVariant

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Facility variant {n}")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Case group {n}")


class RegisterEntryFactory(DjangoModelFactory):
    class Meta:
        model = RegisterEntry

    prisoner = factory.SubFactory(PrisonerFactory)
    register = "Viasna"
    identifier = factory.Sequence(lambda n: str(1000 + n))


class RecognitionFactory(DjangoModelFactory):
    class Meta:
        model = Recognition
        skip_postgeneration_save = True

    prisoner = factory.SubFactory(PrisonerFactory)
    date = datetime.date(2021, 1, 1)
    date_precision = Precision.MONTH

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)
