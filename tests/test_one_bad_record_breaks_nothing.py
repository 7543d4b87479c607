"""One extreme record must never break a page or an export for everyone: a term of thousands of years
(such sentences are handed down) renders everywhere, and terms past the bound are refused by the form
and by the database."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from prisoners.models import MAX_TERM_YEARS, Sentence
from tests.factories import PrisonerFactory, SentenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eight_thousand_years(today):
    prisoner = PrisonerFactory(name="Adnan Example", slug="adnan-example")
    SentenceFactory(prisoner=prisoner, term_years=8658)
    PrisonerFactory(name="Other Prisoner")  # everyone else's record is in the same exports
    return prisoner


def test_a_term_past_the_calendar_has_no_expected_release_and_says_why(eight_thousand_years):
    sentence = eight_thousand_years.sentences.get()
    assert sentence.expected_release is None
    assert sentence.release_unknown_because == "a term of 8658 years ends after the year 9999"


@pytest.mark.parametrize("path", ["/prisoners/adnan-example/", "/prisoners/adnan-example.json"])
def test_the_case_page_and_its_json_render(client, eight_thousand_years, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "8658 years" in response.content.decode()


def test_both_exports_list_everyone(client, eight_thousand_years):
    csv_lines = b"".join(client.get("/prisoners.csv").streaming_content).decode("utf-8-sig").splitlines()
    assert len(csv_lines) == 3 and any(line.startswith("adnan-example,") for line in csv_lines)
    records = json.loads(b"".join(client.get("/prisoners.json").streaming_content))["prisoners"]
    [adnan] = [record for record in records if record["slug"] == "adnan-example"]
    assert (adnan["sentence_years"], adnan["expected_release"]) == (8658, None)
    assert len(records) == 2


def test_a_term_past_the_bound_is_refused_by_the_form_and_the_database(today):
    sentence = SentenceFactory.build(prisoner=PrisonerFactory(), term_years=MAX_TERM_YEARS + 1)
    with pytest.raises(ValidationError) as refused:
        sentence.full_clean()
    assert "term_years" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        sentence.save()
    assert not Sentence.objects.exists()
