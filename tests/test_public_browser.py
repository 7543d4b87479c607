"""End to end in a real Chromium (Debian's, driven by Playwright) against the live server and the demo.

Outside CI these tests skip when /usr/bin/chromium is missing; under CI=true a skip is a failure
(tests/conftest.py), and .ci/run installs Chromium first.
"""

import datetime
import os
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from casetracker.text import span

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CASE = "/prisoners/maria-kalesnikava/"
EVERY_PAGE = [
    "/",
    "/prisoners/",
    CASE,
    "/facilities/",
    "/facilities/penal-colony-no-4-homiel/",
    "/statistics/",
    "/map/",
    "/data/",
    "/nowhere/",
]


@pytest.fixture
def site(live_server, committed_demo):
    """The live server's address, with the demo loaded (before the browser starts its event loop)."""
    return live_server.url


@contextmanager
def chromium():
    """Debian's Chromium, driven by Playwright; a skip (a failure under CI) when it is not installed."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(site):
    with chromium() as browser:
        yield browser


def open_page(browser, *, width=1280, javascript=False):
    """A page in a fresh context; JavaScript off by default, since the site must work without it."""
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def admin_page(browser, base_url, username, url):
    """A JavaScript-enabled page logged in to the admin as `username` (the test password), showing `url`."""
    page = open_page(browser, javascript=True)
    page.goto(f"{base_url}/admin/login/?next={url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    return page


def rows(page):
    return page.locator("table.prisoners tbody tr")


def test_search_kolesnikova_and_read_her_case_file(site, browser):
    from playwright.sync_api import expect

    page = open_page(browser)
    page.goto(f"{site}/prisoners/")
    page.get_by_label("Name").fill("Kolesnikova")
    page.get_by_role("button", name="Show").click()
    expect(rows(page)).to_have_count(1)
    page.get_by_role("link", name="Maria Kalesnikava").click()

    expect(page).to_have_url(f"{site}{CASE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maria Kalesnikava")
    timeline = page.locator("section[aria-labelledby=timeline-heading]")
    expect(timeline).to_contain_text("mid-February 2023")
    expect(timeline.locator("li", has_text="Family contact denied")).to_contain_text("mid-February 2023")
    days = (timezone.localdate() - datetime.date(2023, 2, 7)).days
    lawyer = page.locator(".lapse", has_text="No lawyer contact")
    how_long = span(datetime.date(2023, 2, 7), timezone.localdate())
    expect(lawyer).to_contain_text(
        f"No lawyer contact on record for at least {days:,} days ({how_long}), since 7 February 2023"
    )
    expect(lawyer).to_have_class("lapse lapse-overdue")
    # The stylesheet is served by the app and applied: the overdue lapse is marked in red.
    expect(lawyer).to_have_css("border-left-color", "rgb(163, 33, 27)")


@pytest.mark.parametrize(
    "query, person, matched",
    [
        ("Мария Колесникова", "Maria Kalesnikava", ("ru", "Мария Колесникова")),
        ("Kolesnikova Maria", "Maria Kalesnikava", ("en", "Kolesnikova")),
        ("Тихановский", "Siarhei Tsikhanouski", None),
    ],
)
def test_the_header_search_finds_anyone_from_any_page_without_javascript(site, browser, query, person, matched):
    from playwright.sync_api import expect

    page = open_page(browser)
    for path in EVERY_PAGE:
        page.goto(f"{site}{path}")
        page.get_by_role("search").first.get_by_label("Find a person by any spelling").fill(query)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{site}/prisoners/?q=*")
        expect(page).to_have_title(f"“{query}”: 1 person found · Prisoners · Casetracker")
        expect(rows(page).first).to_contain_text(person)
        if matched:
            language, spelling = matched
            expect(rows(page).first.locator(".matched span")).to_have_attribute("lang", language)
            expect(rows(page).first.locator(".matched")).to_have_text(f"matched: {spelling}")
    page.get_by_role("link", name=person).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(person)


def test_filter_by_facility_and_cut_off_from_family_keeps_the_choices(site, browser):
    from playwright.sync_api import expect

    page = open_page(browser)
    page.goto(f"{site}/prisoners/")
    expect(rows(page)).to_have_count(6)
    page.get_by_label("Held at").select_option(label="Penal colony No. 4, Homiel")
    page.get_by_label("Cut off from their family now").check()
    page.get_by_role("button", name="Show").click()

    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_contain_text("Maria Kalesnikava")
    assert "facility=penal-colony-no-4-homiel" in page.url and "cut_off_family=on" in page.url
    expect(page.get_by_label("Cut off from their family now")).to_be_checked()
    csv_link = urlsplit(page.get_by_role("link", name="CSV").get_attribute("href"))
    assert csv_link.path == "/prisoners.csv"
    assert parse_qs(csv_link.query) == {"facility": ["penal-colony-no-4-homiel"], "cut_off_family": ["on"]}

    page.get_by_label("Status").select_option(label="released")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status")).to_contain_text("No one matches.")


def test_no_horizontal_scrolling_on_a_375_pixel_wide_screen(site, browser):
    page = open_page(browser, width=375)
    for path in EVERY_PAGE:
        page.goto(f"{site}{path}")
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll_width <= client_width, f"{path} scrolls sideways at 375 px: {scroll_width} > {client_width}"


@pytest.mark.parametrize("width, height", [(375, 667), (1280, 800)])
def test_the_first_screen_tells_who_where_for_how_long_and_since_when_cut_off(site, browser, width, height):
    """On a phone (375 × 667) as on a desktop, without scrolling: status and time in detention, where she is held,
    the sentence, and how long she has been cut off from lawyer and family."""
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}{CASE}")
    expected = {
        "Status": "Detained since September 2020",
        "Held at": "Penal colony No. 4, Homiel",
        "Sentence": "expected release September 2031",
        "Lawyer contact": "None on record since 7 February 2023: at least",
        "Family contact": "None on record since mid-February 2023: at least",
    }
    for label, text in expected.items():
        fact = page.locator(f'.key-facts dt:text-is("{label}") + dd')
        assert text in fact.inner_text()
        box = fact.bounding_box()
        assert box["y"] + box["height"] <= height, f"{label} is below the first screen at {width} px"
        assert box["x"] + box["width"] <= width


def test_on_a_phone_the_filters_fold_away_until_opened_or_in_use(site, browser):
    from playwright.sync_api import expect

    page = open_page(browser, width=375)  # no JavaScript: <details> opens by itself
    page.goto(f"{site}/prisoners/")
    expect(page.get_by_label("Name")).to_be_visible()
    expect(page.get_by_label("Status")).to_be_hidden()
    page.get_by_text("Filter and sort").click()
    expect(page.get_by_label("Status")).to_be_visible()
    page.goto(f"{site}/prisoners/?cut_off_family=on")
    expect(page.get_by_text("Filter and sort (1 in use)")).to_be_visible()
    expect(page.get_by_label("Cut off from their family now")).to_be_checked()
    wide = open_page(browser, width=1280)
    wide.goto(f"{site}/prisoners/")
    expect(wide.get_by_label("Status")).to_be_visible()  # room for them: nothing to open
    expect(wide.get_by_text("Filter and sort")).to_be_hidden()


def test_pages_load_nothing_from_anywhere_else(site, browser):
    page = open_page(browser, javascript=True)
    requested, console_errors = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    for path in EVERY_PAGE:
        page.goto(f"{site}{path}")
    assert requested and all(url.startswith(site) for url in requested), requested
    assert [error for error in console_errors if "404" not in error] == []


def test_the_case_prints_without_navigation_and_forms(site, browser):
    from playwright.sync_api import expect

    page = open_page(browser)
    page.goto(f"{site}{CASE}")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Language")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("ol.timeline").first).to_be_visible()
    expect(page.locator(".legend dd").first).to_be_visible()  # on paper the legend cannot be opened
    expect(page.locator(".legend summary")).to_be_hidden()
    expect(page.locator(".printed-on")).to_be_visible()  # the paper says when the page was retrieved, and as of when
    expect(page.locator(".printed-on")).to_contain_text("information as of May 2023")
    link = page.locator(".case-footer a.address")  # its text is the address: not printed twice
    assert link.evaluate("a => getComputedStyle(a, '::after').content") == "none"


def test_the_language_switcher_works_without_javascript_and_is_remembered(site, browser):
    from playwright.sync_api import expect

    page = open_page(browser)  # JavaScript off
    page.goto(f"{site}{CASE}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Беларуская").click()
    expect(page).to_have_url(f"{site}/be{CASE}")
    expect(page.locator("html")).to_have_attribute("lang", "be")
    expect(page.get_by_role("heading", level=1)).to_have_text("Марыя Калеснікава")
    expect(page.locator("section[aria-labelledby=timeline-heading]")).to_contain_text("сярэдзіна лютага 2023")
    page.goto(f"{site}/")  # the choice is remembered where the site chooses: its home page
    expect(page).to_have_url(f"{site}/be/")
    page.get_by_role("navigation", name="Мова").get_by_role("link", name="Русский").click()
    expect(page).to_have_url(f"{site}/ru/")
    expect(page.get_by_role("navigation", name="Язык").get_by_role("link", name="Русский")).to_have_attribute(
        "aria-current", "true"
    )
