"""The admin's case pages in a real Chromium: a case's page, with every inline, fits a 1,400-pixel screen (issue
13's bug 8: custody and contact rows ran off the right edge)."""

import os

import pytest

from casetracker.demo import load_demo
from prisoners.models import Prisoner
from tests.conftest import make_user
from tests.test_public_browser import CHROMIUM, CHROMIUM_ARGS, admin_page

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    """The demo and a researcher, before the browser starts its event loop."""
    load_demo()
    make_user("rita", "Researcher")
    return live_server.url, Prisoner.objects.get(slug="maria-kalesnikava").pk


@pytest.fixture
def browser(demo_site):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_the_prisoners_page_fits_a_1400_pixel_screen(demo_site, browser):
    site, maria = demo_site
    page = admin_page(browser, site, "rita", f"/admin/prisoners/prisoner/{maria}/change/")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_load_state()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
    # Every inline's rows fit in their box too (a wider row would scroll inside it rather than off the page).
    wider = page.evaluate(
        "[...document.querySelectorAll('.inline-group .tabular fieldset.module')]"
        ".filter(box => box.scrollWidth > box.clientWidth).map(box => box.closest('.inline-group').id)"
    )
    assert wider == []
