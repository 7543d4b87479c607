"""Helpers for the public site's tests."""

import html
import re


def page_text(response):
    """A page's text without tags, entities or repeated whitespace, for reading assertions."""
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
