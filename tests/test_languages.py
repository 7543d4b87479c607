"""The site in English, Belarusian and Russian: addresses, negotiation, the switcher, hreflang, names in the
reader's script, translated texts, date grammar and plural forms (README, "Languages")."""

import datetime
import html
import re

import pytest
from django.utils import translation

from casetracker.dates import ApproximateDate, Precision, date_range
from prisoners.models import NameVariant
from tests.factories import (
    CustodyPeriodFactory,
    FacilityFactory,
    FacilityNameVariantFactory,
    NameVariantFactory,
    PrisonerFactory,
)
from tests.public_site import page_text

CASE = "/prisoners/maria-kalesnikava/"


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize("prefix, language", [("", "en"), ("/be", "be"), ("/ru", "ru")])
def test_each_language_has_its_own_address_and_says_which_it_is(demo, client, prefix, language):
    response = client.get(f"{prefix}{CASE}")
    assert response.status_code == 200
    assert html_lang(response) == language
    assert response["Content-Language"] == language
    assert "Accept-Language" not in response.get("Vary", "")  # the address alone decides: one cached page


@pytest.mark.parametrize(
    "accept, home",
    [("be,ru;q=0.9,en;q=0.5", "/be/"), ("ru-RU,ru;q=0.9", "/ru/"), ("be-BY", "/be/")],
)
def test_a_first_visit_to_the_home_page_goes_to_the_browsers_language(demo, client, accept, home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302 and response["Location"] == home
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("accept", ["en-GB,en;q=0.9", "de-DE,de;q=0.9", ""])
def test_english_and_unknown_languages_get_the_english_home_page(demo, client, accept):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200 and html_lang(response) == "en"
    assert "private" in response["Cache-Control"]  # chosen per reader: no shared cache keeps it


def test_a_shared_link_keeps_its_language_whatever_the_browser_prefers(demo, client):
    response = client.get(CASE, HTTP_ACCEPT_LANGUAGE="be")
    assert response.status_code == 200 and html_lang(response) == "en"
    response = client.get(f"/ru{CASE}", HTTP_ACCEPT_LANGUAGE="be")
    assert response.status_code == 200 and html_lang(response) == "ru"


def test_the_switcher_remembers_the_choice_for_the_home_page(demo, client):
    response = client.get(f"/language/ru/?next=/ru{CASE}")
    assert response.status_code == 302 and response["Location"] == f"/ru{CASE}"
    assert response.cookies["django_language"].value == "ru"
    assert "no-store" in response["Cache-Control"]
    # Remembered: the home page follows the choice, not the browser.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="be")["Location"] == "/ru/"
    client.get("/language/en/?next=/")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="be").status_code == 200


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"])
def test_the_switcher_never_sends_a_reader_off_the_site(demo, client, target):
    response = client.get("/language/be/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/be/"


def test_every_page_links_its_other_languages_and_the_switcher_needs_no_script(demo, client):
    body = client.get(f"/be{CASE}?").content.decode()
    for language, address in [("en", CASE), ("be", f"/be{CASE}"), ("ru", f"/ru{CASE}"), ("x-default", CASE)]:
        assert f'<link rel="alternate" hreflang="{language}" href="http://testserver{address}' in body
    switcher = re.search(r'<nav class="languages".*?</nav>', body, re.S).group(0)
    assert 'aria-current="true" lang="be">Беларуская</a>' in switcher
    assert f'href="/language/ru/?next=%2Fru{CASE.replace("/", "%2F")}' in switcher
    assert f'href="/language/en/?next={CASE.replace("/", "%2F")}' in switcher


def test_a_list_keeps_its_filters_in_the_other_languages(demo, client):
    body = client.get("/ru/prisoners/?q=Kolesnikova").content.decode()
    assert 'hreflang="be" href="http://testserver/be/prisoners/?q=Kolesnikova"' in body


def test_the_sitemap_lists_every_page_in_each_language_with_its_alternates(demo, client):
    body = client.get("/sitemap-prisoners.xml").content.decode()
    for address in [CASE, f"/be{CASE}", f"/ru{CASE}"]:
        assert f"<loc>http://testserver{address}</loc>" in body
    assert f'hreflang="x-default" href="http://testserver{CASE}"' in body


@pytest.mark.parametrize("path", ["/prisoners.csv", "/prisoners.json", f"{CASE[:-1]}.json", "/sitemap.xml"])
def test_data_has_one_address_in_english_for_every_language(demo, client, path):
    english = client.get(path)
    for prefix in ("/be", "/ru"):
        response = client.get(f"{prefix}{path}")
        assert response.status_code == 301 and response["Location"] == path
    assert english.status_code == 200


def test_a_case_shows_her_name_as_each_languages_speakers_write_it(demo, client):
    assert "<h1>Maria Kalesnikava</h1>" in client.get(CASE).content.decode()
    belarusian = client.get(f"/be{CASE}").content.decode()
    assert "<h1>Марыя Калеснікава</h1>" in belarusian
    assert "Яе бацьку дазволілі наведаць яе." in belarusian  # the case told in Belarusian: contacts too
    assert "Maria Kalesnikava" in belarusian  # among the other spellings
    assert "<h1>Мария Колесникова</h1>" in client.get(f"/ru{CASE}").content.decode()
    assert "Мария Колесникова" in page_text(client.get("/ru/prisoners/"))


def test_a_facility_is_named_in_the_readers_language(db, client):
    prisoner = PrisonerFactory()
    colony = FacilityFactory(name="Penal Colony No. 4", city="Homiel")
    FacilityNameVariantFactory(facility=colony, name="ИК-4, Гомель", language="ru", display=True)
    CustodyPeriodFactory(prisoner=prisoner, facility=colony, start=datetime.date(2021, 1, 1))
    assert "<h1>ИК-4, Гомель</h1>" in client.get(f"/ru{colony.get_absolute_url()}").content.decode()
    assert "<h1>Penal Colony No. 4</h1>" in client.get(colony.get_absolute_url()).content.decode()
    assert "ИК-4, Гомель" in page_text(client.get(f"/ru{prisoner.get_absolute_url()}"))  # wherever it is named


def test_an_internal_spelling_is_never_a_display_name(db, client):
    prisoner = PrisonerFactory(name="Public Name")
    variant = NameVariantFactory(prisoner=prisoner, name="Прыватнае Імя", language="be", public=False)
    variant.display = True
    with pytest.raises(Exception, match="Only a public spelling"):
        variant.full_clean()
    variant.save()  # past validation (a script): still not shown
    prisoner.refresh_from_db()
    assert prisoner.display_names == {}
    assert "Прыватнае Імя" not in client.get(f"/be{prisoner.get_absolute_url()}").content.decode()
    NameVariant.objects.filter(pk=variant.pk).update(public=True)
    variant.refresh_from_db()
    variant.save()
    prisoner.refresh_from_db()
    assert prisoner.display_names == {"be": "Прыватнае Імя"}
    variant.delete()
    prisoner.refresh_from_db()
    assert prisoner.display_names == {}


def test_a_translated_text_is_shown_and_an_untranslated_one_says_its_language(db, client):
    prisoner = PrisonerFactory(bio="Musician and opposition figure.", bio_ru="Музыкант и оппозиционный политик.")
    ru = client.get(f"/ru{prisoner.get_absolute_url()}").content.decode()
    assert "Музыкант и оппозиционный политик." in ru and "Musician and" not in ru
    be = client.get(f"/be{prisoner.get_absolute_url()}").content.decode()
    note = '<span class="muted" lang="be">(па-англійску)</span>'
    assert f'<p class="bio" lang="en">Musician and opposition figure. {note}</p>' in be
    assert "па-англійску" in be
    english = client.get(prisoner.get_absolute_url()).content.decode()
    assert '<p class="bio">Musician and opposition figure.</p>' in english and "(in English)" not in english


DATES = {
    Precision.DAY: ("15 February 2023", "15 лютага 2023", "15 февраля 2023"),
    Precision.EARLY: ("early February 2023", "пачатак лютага 2023", "начало февраля 2023"),
    Precision.MID: ("mid-February 2023", "сярэдзіна лютага 2023", "середина февраля 2023"),
    Precision.LATE: ("late February 2023", "канец лютага 2023", "конец февраля 2023"),
    Precision.MONTH: ("February 2023", "люты 2023", "февраль 2023"),
    Precision.YEAR: ("2023", "2023", "2023"),
}
AFTER_SINCE = {
    Precision.DAY: ("15 February 2023", "15 лютага 2023", "15 февраля 2023"),
    Precision.EARLY: ("early February 2023", "пачатку лютага 2023", "начала февраля 2023"),
    Precision.MID: ("mid-February 2023", "сярэдзіны лютага 2023", "середины февраля 2023"),
    Precision.LATE: ("late February 2023", "канца лютага 2023", "конца февраля 2023"),
    Precision.MONTH: ("February 2023", "лютага 2023", "февраля 2023"),
    Precision.YEAR: ("2023", "2023 года", "2023 года"),
}


@pytest.mark.parametrize("precision", list(Precision))
def test_an_approximate_date_in_each_languages_grammar(precision):
    date = ApproximateDate(datetime.date(2023, 2, 15), precision)
    for language, written, after_since in zip(("en", "be", "ru"), DATES[precision], AFTER_SINCE[precision]):
        with translation.override(language):
            assert str(date) == written
            assert date.genitive == after_since


def test_a_range_and_an_open_start_in_each_language():
    start = ApproximateDate(datetime.date(2022, 11, 28))
    end = ApproximateDate(datetime.date(2022, 12, 1), Precision.EARLY)
    with translation.override("ru"):
        assert date_range(start, end) == "28 ноября – начало декабря 2022"
        assert date_range(None, end) == "до начала декабря 2022"
        assert date_range(start, None) == "28 ноября 2022 – сейчас"
    with translation.override("be"):
        assert date_range(None, end) == "да пачатку снежня 2022"
        assert date_range(start, None) == "28 лістапада 2022 – цяпер"


DAYS = {
    "be": {1: "1 дзень", 2: "2 дні", 5: "5 дзён", 11: "11 дзён", 21: "21 дзень", 22: "22 дні", 25: "25 дзён"},
    "ru": {1: "1 день", 2: "2 дня", 5: "5 дней", 11: "11 дней", 21: "21 день", 22: "22 дня", 25: "25 дней"},
    "en": {1: "1 day", 2: "2 days", 5: "5 days", 11: "11 days", 21: "21 days", 22: "22 days", 25: "25 days"},
}
# Grouped as each language writes numbers (Belarusian's formats are the project's own: casetracker/formats).
THOUSANDS = {"en": "1,389 days", "be": "1\xa0389 дзён", "ru": "1\xa0389 дней"}


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_day_counts_take_each_languages_plural_forms(language):
    from casetracker.text import days

    with translation.override(language):
        for number, expected in DAYS[language].items():
            assert days(number) == expected
        assert days(1389) == THOUSANDS[language]


# Words of the site's own that stay in Latin letters in every language: its name, formats and standards, the map's
# source, and the search box's example of a Latin spelling it takes ("Kalesn …").
LATIN_EVERYWHERE = {"Casetracker", "CSV", "JSON", "json", "Atom", "URL", "ISO", "UTC", "UTF", "WGS", "Natural", "Earth"}
LATIN_EVERYWHERE |= {"Kalesn", "slug"}  # and the exports' word for a case's address


def latin_words_of_the_record():
    """Every Latin word in the case records (names, places, original texts, addresses): data, not the site's text."""
    from django.apps import apps
    from django.db import models

    words = set()
    for label in ("prisoners", "events"):
        for model in apps.get_app_config(label).get_models():
            text_fields = [
                f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))
            ]
            for row in model.objects.values_list(*text_fields):
                for value in row:
                    words.update(re.findall(r"[A-Za-z]{3,}", value if isinstance(value, str) else ""))
    return words


@pytest.mark.parametrize("language", ["be", "ru"])
def test_no_page_shows_an_untranslated_string(demo, client, language):
    """Every public page type in Belarusian and Russian: any Latin word on it comes from the record itself (a name,
    an address, an original text shown with its language) or is the site's own name, never from the site's text."""
    from tests.public_site import PAGES

    allowed = latin_words_of_the_record() | LATIN_EVERYWHERE
    found = {}
    for path in [*PAGES, "/feed/", f"{CASE}feed/"]:
        response = client.get(f"/{language}{path}")
        body = response.content.decode()
        # Not the site's text: machine values shown as code (export columns, formats) and the switcher's language names.
        body = re.sub(
            r"<(script|style|code)\b.*?</\1>|<nav class=\"languages\".*?</nav>|`[^`]*`", " ", body, flags=re.S
        )
        body = html.unescape(body)
        # What a reader sees: text, and the attributes read out or shown (alt, title, aria-label, placeholder).
        shown = " ".join(re.findall(r'(?:alt|title|aria-label|placeholder)="([^"]*)"', body))
        text = re.sub(r"<[^>]+>", " ", body) + " " + shown
        text = re.sub(r"https?://\S+|[\w.-]+@[\w.-]+|/[\w/.?=&%-]*", " ", text)
        typed = set(re.findall(r"[A-Za-z]{3,}", path.partition("?")[2]))  # what the reader typed, echoed
        stray = sorted(set(re.findall(r"[A-Za-z]{3,}", text)) - allowed - typed)
        if stray:
            found[path] = stray
    assert found == {}


def test_each_staff_member_gets_the_digest_in_their_own_language(demo, clock, smtp_server):
    import email

    from alerts import services
    from alerts.models import StaffPreferences
    from casetracker.roles import ALERT_STAFF
    from tests.conftest import make_user

    make_user("alex", ALERT_STAFF)
    olga = make_user("olga", ALERT_STAFF)
    StaffPreferences.objects.create(user=olga, language="ru")
    digest = services.scan().digest
    assert {(d.email, d.language) for d in digest.deliveries.all()} == {
        ("alex@example.org", "en"),
        ("olga@example.org", "ru"),
    }
    assert services.send_pending() == (2, 0)
    received = {message.rcpt_tos[0]: email.message_from_bytes(message.content) for message in smtp_server.messages}

    def text(message):
        part = next(part for part in message.walk() if part.get_content_type() == "text/plain")
        return part.get_payload(decode=True).decode()

    english, russian = text(received["alex@example.org"]), text(received["olga@example.org"])
    assert "Maria Kalesnikava: no lawyer contact since 7 February 2023" in english
    assert "Мария Колесникова" in russian and "7 февраля 2023" in russian
    assert not re.search(r"\b(days|since|lawyer|contact)\b", russian)
    subject = str(email.header.make_header(email.header.decode_header(received["olga@example.org"]["Subject"])))
    assert re.search(r"[а-яё]", subject)
    # Sent again on a retry, the same text: it was rendered once, when the digest was recorded.
    assert digest.text_in("ru") == tuple(digest.translations["ru"])


def test_the_admin_follows_the_staff_members_choice_then_the_browser(db, client, researcher):
    from alerts.models import StaffPreferences

    client.force_login(researcher)
    assert '<html lang="ru"' in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="en"' in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    StaffPreferences.objects.create(user=researcher, language="be")
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="be"' in page and "Палітвязні" in page  # the Prisoners app, in her language


@pytest.mark.parametrize(
    "path, target", [("/be", "/be/"), ("/ru/prisoners", "/ru/prisoners/"), ("/prisoners", "/prisoners/")]
)
def test_an_address_without_its_slash_is_sent_to_it_in_every_language(db, client, path, target):
    response = client.get(path)
    assert response.status_code == 301 and response["Location"] == target


def test_a_page_not_found_links_only_the_home_pages(db, client):
    body = client.get("/ru/prisoners/someone-typed/").content.decode()
    assert "someone-typed" not in body
    assert 'hreflang="be" href="http://testserver/be/"' in body


def test_a_stale_copy_of_a_record_never_writes_back_a_name_made_internal(db, client):
    prisoner = PrisonerFactory(name="Public Name")
    variant = NameVariantFactory(prisoner=prisoner, name="Публічнае Імя", language="be", public=True, display=True)
    stale = type(prisoner).objects.get(pk=prisoner.pk)
    assert stale.display_names == {"be": "Публічнае Імя"}
    variant.public, variant.display = False, False
    variant.save()
    stale.save()  # a form or a script holding the copy read before
    prisoner.refresh_from_db()
    assert prisoner.display_names == {}


def test_a_display_name_moved_to_another_record_leaves_the_first(db):
    first, second = PrisonerFactory(), PrisonerFactory()
    variant = NameVariantFactory(prisoner=first, name="Перамешчанае Імя", language="be", display=True)
    variant.prisoner = second
    variant.save()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.display_names, second.display_names) == ({}, {"be": "Перамешчанае Імя"})


def test_statistics_are_counted_and_exported_in_english_whoever_counts_them(demo, client):
    assert client.get("/ru/statistics/").status_code == 200  # counted (and kept) by a Russian page
    csv = client.get("/statistics/facilities.csv").content.decode()
    assert "Penal colony No. 4, Homiel" in csv and "ИК-4" not in csv
