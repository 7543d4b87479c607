"""The demo is the joint statement on Maria Kalesnikava, modelled completely, and loads idempotently."""

import datetime

import pytest
from django.core.management import call_command

from casetracker.demo import OTHER_PRISONERS, SIGNATORIES, load_demo
from events.models import Contact, Incident, IncidentKind, Party, Source, Visibility
from prisoners.lapse import LapseBasis
from prisoners.models import Prisoner

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def maria(today):
    load_demo()
    return Prisoner.objects.with_contact_lapse().get(slug="maria-kalesnikava")


def history_rows():
    from django.apps import apps

    return sum(m.objects.count() for m in apps.get_models() if m._meta.model_name.startswith("historical"))


def test_a_second_run_changes_nothing(today, capsys):
    call_command("load_demo")
    before = history_rows()
    call_command("load_demo")
    assert history_rows() == before
    assert "already up to date" in capsys.readouterr().out
    assert load_demo() == 0


def test_a_rerun_repairs_an_edited_fact(maria):
    Incident.objects.filter(kind=IncidentKind.SURGERY).update(description="tampered")
    assert load_demo() == 1
    assert Incident.objects.get(kind=IncidentKind.SURGERY).description == "Surgery for a perforated ulcer."


def test_maria_and_her_name_variants(maria):
    assert maria.name == "Maria Kalesnikava" and maria.published and maria.status == "detained"
    assert sorted(maria.name_variants.values_list("name", flat=True)) == sorted(
        ["Maryia Kalesnikava", "Kalesnikova", "Kolesnikova", "Калеснікава", "Колесникова", "Марыя Калеснікава",
         "Мария Колесникова"]
    )  # fmt: skip
    # The names Belarusian and Russian pages show, as their speakers write them.
    assert maria.display_names == {"be": "Марыя Калеснікава", "ru": "Мария Колесникова"}
    assert str(maria.detained_approx) == "September 2020"
    assert "musician" in maria.bio.lower() and "Coordination Council" in maria.bio


def test_charges_sentence_and_expected_release(maria):
    assert list(maria.charges.values_list("label", flat=True)) == [
        "extremism",
        "trying to seize power",
        "calls for actions causing harm to national security",
    ]
    sentence = maria.current_sentence
    assert (str(sentence.date_approx), sentence.term) == ("6 September 2021", "11 years")
    assert str(sentence.expected_release) == "September 2031"


def test_where_she_is_held_is_derived(maria):
    facility = maria.current_facility
    assert (facility.name, facility.city, facility.kind) == ("Penal colony No. 4", "Homiel", "penal_colony")
    assert "Gomel penal colony No. 4" in facility.name_variants.values_list("name", flat=True)
    assert [str(p) for p in maria.custody_periods.all()] == [
        "Penal colony No. 4, Homiel: until 28 November 2022",
        "Homiel emergency hospital, Homiel: 28 November – early December 2022",
        "Penal colony No. 4, Homiel: early December 2022 – now",
    ]


def incident(maria, kind):
    return maria.incidents.get(kind=kind)


def test_punishment_cell_hospital_and_surgery(maria):
    shizo = incident(maria, IncidentKind.SHIZO)
    assert shizo.end == D(2022, 11, 28) and "over 10 days" in shizo.description
    hospital = incident(maria, IncidentKind.HOSPITALISATION)
    assert hospital.date_range == "28 November – early December 2022"
    assert "intensive care" in hospital.description
    assert "perforated ulcer" in incident(maria, IncidentKind.SURGERY).description
    assert "did not inform her lawyer or family" in incident(maria, IncidentKind.NOT_INFORMED).description
    assert "medical facility" in incident(maria, IncidentKind.TRANSFER).description
    assert incident(maria, IncidentKind.FORCED_LABOUR).start == D(2023, 1, 10)
    assert str(incident(maria, IncidentKind.PKT).start_approx) == "late March 2023"


def test_contacts_and_denials(maria):
    father = maria.contacts.get(party=Party.FAMILY, date=D(2022, 12, 5))
    assert (father.channel, father.contact_person) == ("visit", "her father")
    assert str(maria.lapse(Party.LAWYER).since) == "7 February 2023"
    assert str(maria.lapse(Party.FAMILY).since) == "mid-February 2023"
    assert maria.lapse(Party.LAWYER).days == (D(2024, 6, 1) - D(2023, 2, 7)).days
    assert maria.lapse(Party.FAMILY).days == (D(2024, 6, 1) - D(2023, 2, 20)).days
    assert maria.lawyer_overdue and maria.family_overdue
    assert str(incident(maria, IncidentKind.FAMILY_CONTACT_DENIED).start_approx) == "mid-February 2023"
    assert str(incident(maria, IncidentKind.LAWYER_ACCESS_DENIED).start_approx) == "7 February 2023"


def test_disbarred_lawyers(maria):
    disbarments = maria.incidents.filter(kind=IncidentKind.DISBARMENT).select_related("lawyer")
    assert sorted(d.lawyer.name for d in disbarments) == [
        "Aliaksandr Pylchenka",
        "Liudmila Kazak",
        "Vladimir Pylchenko",
    ]
    assert {d.date_range for d in disbarments} == {"October 2020 – December 2022"}
    assert maria.representations.count() == 3


def test_five_other_prisoners_cut_off_from_lawyers_and_family(maria):
    for name in OTHER_PRISONERS:
        prisoner = Prisoner.objects.with_contact_lapse().get(name=name)
        assert prisoner.published and prisoner.incidents.get().kind == IncidentKind.INCOMMUNICADO
        assert prisoner.lapse(Party.LAWYER).basis == prisoner.lapse(Party.FAMILY).basis == LapseBasis.DENIAL
    assert Prisoner.objects.overdue().count() == 6


def test_the_statement_with_its_signatories(maria):
    statement = Source.objects.get(kind="statement")
    assert not statement.confidential
    assert statement.signatories.count() == len(SIGNATORIES) == 20
    assert "Human Rights Watch" in statement.signatories.values_list("name", flat=True)
    pkt = incident(maria, IncidentKind.PKT)
    assert pkt.sources.filter(publisher__name="Human Rights Center “Viasna”").exists()


def test_everything_public_except_the_private_channels_source(maria):
    assert not Incident.objects.exclude(visibility=Visibility.PUBLIC).exists()
    assert not Contact.objects.exclude(visibility=Visibility.PUBLIC).exists()
    assert not Prisoner.objects.filter(published=False).exists()
    confidential = Source.objects.get(confidential=True)
    assert confidential.kind == "private"
    health = incident(maria, IncidentKind.HEALTH_DETERIORATION)
    assert str(health.start_approx) == "May 2023" and confidential in health.sources.all()
    assert list(Source.objects.public().filter(incidents=health)) == [Source.objects.get(kind="statement")]
