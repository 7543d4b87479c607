"""The public case page reads like a case file: facts, lapses, lawyers, a dated timeline with sources."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casetracker.dates import Precision
from events.models import Incident, IncidentKind, Visibility
from prisoners.models import SentenceKind
from prisoners.status import Status
from tests.factories import (
    ContactFactory,
    CustodyPeriodFactory,
    IncidentFactory,
    LawyerFactory,
    OrganisationFactory,
    PrisonerFactory,
    RecognitionFactory,
    RegisterEntryFactory,
    SentenceFactory,
    SourceFactory,
    TagFactory,
)
from tests.public_site import page_text

pytestmark = pytest.mark.django_db
D = datetime.date
CASE = "/prisoners/maria-kalesnikava/"


def test_shows_the_seed_case_completely(demo, client):
    page = page_text(client.get(CASE))
    for fact in [
        "Maria Kalesnikava",
        "Also written: Kalesnikova · Kolesnikova · Maryia Kalesnikava · Калеснікава · Колесникова",
        "Musician, prominent opposition figure",
        "Detained September 2020",
        "In detention 3 years 8 months (1,340 days",  # 1 June 2024 - 30 September 2020
        "Held at Penal colony No. 4, Homiel",
        "extremism",
        "trying to seize power",
        "calls for actions causing harm to national security",
        "11 years, sentenced 6 September 2021",
        "Expected release September 2031",
    ]:
        assert fact in page


def test_shows_the_public_lapses_highlighted_past_the_threshold(demo, client):
    response = client.get(CASE)
    page = page_text(response)
    assert (
        "No lawyer contact on record for at least 480 days (1 year 3 months), since 7 February 2023 "
        "Cut off: past the 30-day threshold" in page
    )
    assert (
        "No family contact on record for at least 467 days (1 year 3 months), since mid-February 2023 "
        "Cut off: past the 30-day threshold" in page
    )
    assert "from the latest day “mid-February 2023” can mean" in page
    assert response.content.decode().count('class="lapse lapse-overdue"') == 2


def test_a_lapse_within_the_threshold_is_not_highlighted(today, client):
    prisoner = PrisonerFactory(slug="p1")
    ContactFactory(prisoner=prisoner, date=D(2024, 5, 25))
    response = client.get("/prisoners/p1/")
    assert "No lawyer contact on record for at least 7 days, since 25 May 2024" in page_text(response)
    assert response.content.decode().count("lapse-overdue") == 1  # the family lapse, counted from detention


def test_no_lapse_is_shown_for_someone_released(today, client):
    PrisonerFactory(name="Freed", slug="p1", status=Status.RELEASED)
    response = client.get("/prisoners/p1/")
    page = page_text(response)
    assert "contact for" not in page and "Days in detention" not in page
    assert '<meta property="og:description" content="Freed (released).">' in response.content.decode()


def test_lawyers_with_the_reprisals_against_them(demo, client):
    page = page_text(client.get(CASE))
    for name in ["Aliaksandr Pylchenka", "Liudmila Kazak", "Vladimir Pylchenko"]:
        assert f"{name} Reprisal: disbarment of lawyer , October 2020 – December 2022 ( in the timeline )" in page


def test_one_fact_about_three_lawyers_is_told_once(demo, client):
    """The statement tells the three disbarments as one fact in the same words: one entry naming all three, each
    record still reachable by its own anchor (feeds and exports link to them)."""
    response = client.get(CASE)
    html, page = response.content.decode(), page_text(response)
    told = "Disbarred in retaliation for representing her."
    assert page.count(told) == 1
    assert "Disbarment of lawyer Lawyers: Aliaksandr Pylchenka, Liudmila Kazak, Vladimir Pylchenko " + told in page
    for disbarment in Incident.objects.filter(kind=IncidentKind.DISBARMENT):
        assert f'id="{disbarment.anchor}"' in html
        assert f'href="#{disbarment.anchor}"' in html  # from the lawyer it names


def test_the_timeline_is_chronological_with_dates_as_written(demo, client):
    page = page_text(client.get(CASE))
    timeline = page[page.index("Timeline What happened") : page.index("Sources Belarus")]
    dates_in_order = [
        "2020 September 2020 Arrest",
        "October 2020 – December 2022 Disbarment of lawyer",  # a range stands at the latest day its start can mean
        "2021 6 September 2021 Sentencing",
        "2022 November – 28 November 2022 Punishment Punishment isolation cell (ShIZO)",  # began by the 28th
        "28 November – early December 2022 Health Hospitalisation",
        "5 December 2022 Family contact (visit)",
        "early December 2022 Transfer",  # "early December" may be after the 5th
        "2023 10 January 2023 Ill-treatment Forced labour",
        "7 February 2023 Lawyer contact",
        "7 February 2023 Cut off Lawyer access denied",
        "mid-February 2023 Family contact",
        "mid-February 2023 Cut off Family contact denied",
        "late March 2023 Punishment Cell-type premises (PKT)",
        "May 2023 Health Deterioration of health",
        "2023 Punishment Solitary confinement",  # "2023" may be any day of it: after the year's precise dates
    ]
    positions = [timeline.index(entry) for entry in dates_in_order]
    assert positions == sorted(positions)
    assert "Held at" not in timeline  # custody is told as spans, under "Where held"


def test_custody_is_shown_as_spans_where_she_was_held(demo, client):
    page = page_text(client.get(CASE))
    assert (
        "Where held "
        "until 28 November 2022 Penal colony No. 4, Homiel (penal colony) "  # the start is not known
        "28 November – early December 2022 Homiel emergency hospital, Homiel (hospital) "
        "early December 2022 – now Penal colony No. 4, Homiel (penal colony) "
        "Timeline"
    ) in page


def test_a_period_with_no_date_comes_last_and_a_vaguer_date_after_the_precise_ones(today, client):
    prisoner = PrisonerFactory(slug="case")
    IncidentFactory(
        prisoner=prisoner, kind=IncidentKind.TRANSFER, start=D(2025, 10, 1), start_precision=Precision.EARLY
    )
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.SHIZO, start=D(2025, 10, 2))
    CustodyPeriodFactory(prisoner=prisoner, start=None)  # held now, since a date not known
    page = page_text(client.get("/prisoners/case/"))
    assert "Where held start not known – now Facility" in page
    timeline = page[page.index("Timeline") :]
    order = ["2025 2 October 2025 Punishment Punishment isolation cell", "early October 2025 Transfer"]
    positions = [timeline.index(entry) for entry in order]
    assert positions == sorted(positions)


def test_each_fact_cites_its_public_sources_by_number_listed_once_at_the_end(today, client):
    prisoner = PrisonerFactory(slug="p1")
    first = IncidentFactory(prisoner=prisoner, description="In a punishment cell.", start=D(2023, 1, 1))
    second = IncidentFactory(prisoner=prisoner, description="Beaten.", start=D(2023, 2, 1))
    linked = SourceFactory(title="Report with a link", url="https://example.org/report")
    paper = SourceFactory(title="Statement on paper")
    first.sources.set([linked, paper])
    second.sources.set([paper])
    response = client.get("/prisoners/p1/")
    html, page = response.content.decode(), page_text(response)
    assert "In a punishment cell. Sources: [ source 1] [ source 2]" in page
    assert "Beaten. Source: [ source 2]" in page
    assert html.count("<cite>Statement on paper</cite>") == 1  # listed once, at the end
    linked = '<a href="https://example.org/report" rel="external noopener noreferrer"><cite>Report with a link</cite>'
    assert f'<li id="source-1">\n        {linked}' in html
    assert '<li id="source-2">\n        <cite>Statement on paper</cite>' in html
    assert '<a href="#source-2" title="Statement on paper">' in html


def test_a_fact_without_a_public_source_says_so(today, client):
    IncidentFactory(prisoner=PrisonerFactory(slug="p1"), description="In a punishment cell.")
    assert "In a punishment cell. No public source" in page_text(client.get("/prisoners/p1/"))


def test_two_facts_in_the_same_words_are_two_entries_unless_they_differ_only_in_the_lawyer(today, client):
    prisoner = PrisonerFactory(slug="p1")
    for _ in range(2):  # "placed in ShIZO twice in March 2023", recorded as two incidents
        IncidentFactory(prisoner=prisoner, kind=IncidentKind.SHIZO, start=D(2023, 3, 1), description="In ShIZO.")
    lawyer = LawyerFactory(name="Lawyer One")
    for _ in range(2):  # one lawyer's disbarment, recorded twice by mistake: both shown, so it can be seen
        IncidentFactory(prisoner=prisoner, kind=IncidentKind.DISBARMENT, lawyer=lawyer, description="Disbarred.")
    page = page_text(client.get("/prisoners/p1/"))
    assert page.count("In ShIZO.") == 2 and page.count("Disbarred.") == 2
    assert "Lawyers: Lawyer One, Lawyer One" not in page


def test_harms_are_marked_and_counted_by_kind(today, client):
    prisoner = PrisonerFactory(slug="p1")
    for day in (1, 2, 3):
        IncidentFactory(prisoner=prisoner, kind=IncidentKind.SHIZO, start=D(2023, 1, day))
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.HOSPITALISATION, start=D(2023, 1, 4))
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.TRANSFER, start=D(2023, 1, 5))
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.SOLITARY, start=D(2023, 1, 6), visibility="internal")
    page = page_text(client.get("/prisoners/p1/"))
    assert (
        "Harms on record, by kind: Punishment punishment isolation cell (ShIZO) ×3 Health hospitalisation ×1 "
        "What “reported”"
    ) in page  # an internal incident is not counted
    assert "3 January 2023 Punishment Punishment isolation cell (ShIZO)" in page
    assert "4 January 2023 Health Hospitalisation" in page
    assert "5 January 2023 Transfer" in page  # a step of the case, not a harm


def test_the_timeline_is_grouped_by_year(today, client):
    prisoner = PrisonerFactory(slug="p1")
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.TRANSFER, start=D(2021, 3, 1), description="First.")
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.TRANSFER, start=D(2023, 3, 1), description="Second.")
    ContactFactory(prisoner=prisoner, date=D(2023, 5, 1), description="Third.")
    html = client.get("/prisoners/p1/").content.decode()
    assert re.findall(r'<h3 class="year">([^<]+)</h3>', html) == ["2021", "2023"]


def test_the_verification_grades_are_explained(demo, client):
    page = page_text(client.get(CASE))
    assert "What “reported”, “credible” and “confirmed” mean Reported Published by the source named" in page
    assert "Credible From a source with a record of accurate reporting" in page


def test_the_sources_section_lists_signatories(demo, client):
    page = page_text(client.get(CASE))
    assert "Signed by 20 organisations: Amnesty International" in page
    assert "Viasna: Kalesnikava placed in a cell-type premises (PKT) — news or report, late March 2023" in page


def test_last_updated_follows_the_newest_public_change(today, client):
    prisoner = PrisonerFactory(slug="p1")
    IncidentFactory(prisoner=prisoner)
    page = page_text(client.get("/prisoners/p1/"))
    assert "Last updated 1 June 2024" in page


def test_links_its_feed_json_and_canonical_address(demo, client):
    html = client.get(CASE).content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Casetracker: Maria Kalesnikava" '
        'href="/prisoners/maria-kalesnikava/feed/">' in html
    )
    assert 'type="application/json" title="Maria Kalesnikava (JSON)" href="/prisoners/maria-kalesnikava.json"' in html
    assert '<link rel="canonical" href="http://testserver/prisoners/maria-kalesnikava/">' in html


def test_opengraph_and_twitter_meta_preview_the_case(demo, client):
    html = client.get(CASE).content.decode()
    summary = (
        "Maria Kalesnikava, detained since September 2020, held at Penal colony No. 4, Homiel. "
        "No lawyer contact on record for at least 480 days (1 year 3 months), since 7 February 2023. "
        "No family contact on record for at least 467 days (1 year 3 months), since mid-February 2023."
    )
    assert f'<meta property="og:description" content="{summary}">' in html
    assert '<meta property="og:title" content="Maria Kalesnikava">' in html
    assert '<meta property="og:url" content="http://testserver/prisoners/maria-kalesnikava/">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert f'<meta name="twitter:description" content="{summary}">' in html


def test_user_text_is_plain_text(today, client):
    prisoner = PrisonerFactory(slug="p1", bio='Bio <b>bold</b> & "quoted"')
    IncidentFactory(prisoner=prisoner, description="<script>alert(1)</script>\nsecond line")
    html = client.get("/prisoners/p1/").content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>second line" in html
    assert "Bio &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in html


def test_has_a_print_stylesheet_and_only_its_own_assets(demo, client):
    html = client.get(CASE).content.decode()
    absolute = re.findall(r'(?:href|src|content)="((?:https?:)?//[^"]*)"', html)
    assert absolute and all(url.startswith("http://testserver/") for url in absolute)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    css = Path(finders.find("publicsite/site.css")).read_text(encoding="utf-8")
    assert "@media print" in css and "@import" not in css and "url(" not in css


def test_an_unknown_or_unpublished_case_is_not_found(today, client):
    PrisonerFactory(slug="hidden", published=False)
    assert client.get("/prisoners/hidden/").status_code == 404
    assert client.get("/prisoners/nobody/").status_code == 404


def test_renders_in_a_fixed_number_of_queries(today, client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # the page's own queries, not the page cache's

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/prisoners/p1/").status_code == 200
        return len(captured)

    prisoner = PrisonerFactory(slug="p1")
    CustodyPeriodFactory(prisoner=prisoner)
    IncidentFactory(prisoner=prisoner, sources=[SourceFactory()])
    ContactFactory(prisoner=prisoner, sources=[SourceFactory()])
    few = queries()
    for day in range(1, 20):
        IncidentFactory(prisoner=prisoner, start=D(2023, 1, day), sources=[SourceFactory(), SourceFactory()])
        ContactFactory(prisoner=prisoner, date=D(2023, 2, day), sources=[SourceFactory()])
    IncidentFactory(prisoner=prisoner, kind=IncidentKind.SHIZO, start=D(2023, 3, 1), start_precision=Precision.MONTH)
    assert queries() == few <= 20


def test_internal_incidents_do_not_appear(today, client):
    prisoner = PrisonerFactory(slug="p1")
    IncidentFactory(prisoner=prisoner, description="shown")
    IncidentFactory(prisoner=prisoner, description="kept inside", visibility=Visibility.INTERNAL)
    page = page_text(client.get("/prisoners/p1/"))
    assert "shown" in page and "kept inside" not in page


def test_a_death_is_said_plainly(today, client):
    PrisonerFactory(
        slug="p1",
        status=Status.DECEASED,
        died=D(2023, 3, 3),
        died_in_custody=True,
        death_cause="denied medical care after a stroke",
    )
    page = page_text(client.get("/prisoners/p1/"))
    assert "Died in custody on 3 March 2023. Cause of death: denied medical care after a stroke." in page
    assert "Contact with lawyer and family" not in page  # a lapse means nothing any more


def test_the_person_recognitions_and_register_entries(today, client):
    prisoner = PrisonerFactory(
        slug="p1", born=D(1982, 1, 1), born_precision=Precision.YEAR, home_town="Minsk", occupation="flautist"
    )
    prisoner.tags.set([TagFactory(name="Coordination Council")])
    RecognitionFactory(prisoner=prisoner, organisations=[OrganisationFactory(name="Viasna")])
    RegisterEntryFactory(prisoner=prisoner, register="Viasna", identifier="1234", url="https://prisoners.spring96.org/")
    page = page_text(client.get("/prisoners/p1/"))
    assert "Born 1982 From Minsk Occupation flautist Case groups Coordination Council" in page
    assert "Recognised as a political prisoner January 2021, by Viasna" in page
    assert "In other registers Viasna: 1234" in page


@pytest.mark.parametrize(
    "sentence, shown",
    [
        ({"kind": SentenceKind.LIFE, "term_years": 0}, "Sentence Life imprisonment, sentenced 6 September 2021"),
        ({"kind": SentenceKind.FINE, "term_years": 0, "fine": "100 base units"}, "Sentence Fine (100 base units)"),
        (
            {"kind": SentenceKind.RESTRICTED_FREEDOM, "term_years": 3},
            "Sentence 3 years restricted freedom, sentenced 6 September 2021",
        ),
    ],
)
def test_sentences_short_of_prison_and_life(today, client, sentence, shown):
    SentenceFactory(prisoner=PrisonerFactory(slug="p1"), **sentence)
    page = page_text(client.get("/prisoners/p1/"))
    assert shown in page and "Expected release" not in page


def test_a_term_without_any_date_says_the_release_is_not_known(today, client):
    SentenceFactory(prisoner=PrisonerFactory(slug="p1", detained=None), date=None, term_years=5)
    page = page_text(client.get("/prisoners/p1/"))
    assert "Sentence 5 years, date of sentence not known" in page
    assert "Expected release Not known: neither the detention nor the sentence date is known." in page


def test_a_photo_shows_only_once_an_editor_cleared_it(today, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    prisoner = PrisonerFactory(slug="p1")
    prisoner.photo.save("p.png", ContentFile(b"PNG bytes"))
    assert "/prisoners/p1/photo" not in client.get("/prisoners/p1/").content.decode()
    assert client.get("/prisoners/p1/photo").status_code == 404
    prisoner.photo_public = True
    prisoner.save()
    assert '<img class="photo" src="/prisoners/p1/photo"' in client.get("/prisoners/p1/").content.decode()
    response = client.get("/prisoners/p1/photo")
    assert (response.status_code, response.getvalue()) == (200, b"PNG bytes")


def test_a_sentence_is_in_the_timeline_by_itself_without_a_sentencing_incident(client, today):
    prisoner = PrisonerFactory(name="Ihar Losik", slug="ihar-losik")
    SentenceFactory(
        prisoner=prisoner, kind=SentenceKind.IMPRISONMENT, term_years=15, date=datetime.date(2021, 12, 14),
        court="Homiel court",
    )  # fmt: skip
    page = client.get(prisoner.get_absolute_url()).content.decode()
    assert 'id="sentence-1"' in page and "Sentenced: 15 years" in page and "Sentenced by Homiel court." in page
    timeline = client.get(f"/prisoners/{prisoner.slug}.json").json()["timeline"]
    assert [(entry["type"], entry["date"]) for entry in timeline] == [("sentence", "14 December 2021")]

    # Entered the older way too (a sentencing incident of that date): told once, by the incident.
    IncidentFactory(prisoner=prisoner, kind="sentencing", start=datetime.date(2021, 12, 14), description="15 years.")
    timeline = client.get(f"/prisoners/{prisoner.slug}.json").json()["timeline"]
    assert [entry["type"] for entry in timeline] == ["incident"]
