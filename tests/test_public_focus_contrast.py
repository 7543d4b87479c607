"""Keyboard focus is visible on every background of the public site: WCAG 1.4.11 asks 3:1 against what it sits on.
The yellow ring alone was 1.6:1 on the white page."""

import re

from django.contrib.staticfiles import finders

STYLESHEET = finders.find("publicsite/site.css")


def colours():
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6});", open(STYLESHEET, encoding="utf-8").read()))


def contrast(first, second):
    """WCAG's contrast ratio of two #rrggbb colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_rings_stand_out_on_the_page_and_in_the_header():
    css = open(STYLESHEET, encoding="utf-8").read()
    rule = re.search(r"\n:focus-visible \{([^}]*)\}", css).group(1)
    assert "outline: 3px solid var(--focus-ring)" in rule and "box-shadow: 0 0 0 6px var(--focus)" in rule
    palette = colours()
    assert contrast(palette["focus-ring"], palette["background"]) >= 3  # the inner ring on the white page
    assert contrast(palette["focus"], palette["accent"]) >= 3  # the outer ring in the dark header
    assert contrast(palette["focus-ring"], palette["focus"]) >= 3  # the two rings apart
    assert contrast(palette["focus"], palette["background"]) < 3  # why the inner ring is needed
