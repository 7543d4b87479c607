"""Helpers for the public site's tests."""

import html
import re


def page_text(response):
    """A page's text without tags, entities or repeated whitespace, for reading assertions."""
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# One of each kind of public page, including the states that add markup: a search with results, one with
# none (suggestions), a bad filter (the notice), a facility with a postal address (how to write), a 404.
PAGES = [
    "/",
    "/prisoners/",
    "/prisoners/?q=Kolesnikova",
    "/prisoners/?q=Kalesnikxyz",
    "/prisoners/?status=nonsense&cut_off_lawyer=on",
    "/prisoners/maria-kalesnikava/",
    "/prisoners/ihar-losik/",
    "/facilities/",
    "/facilities/?q=homiel",
    "/facilities/penal-colony-no-4-homiel/",
    "/facilities/homiel-emergency-hospital-homiel/",
    "/statistics/",
    "/map/",
    "/data/",
    "/nowhere/",
]
# The same pages in Belarusian and Russian.
PAGES_IN_EVERY_LANGUAGE = [*PAGES, *(f"/{language}{path}" for language in ("be", "ru") for path in PAGES)]
