"""The Belarusian and Russian catalogues: complete, current with the code, and compiled as shipped.

The compiled catalogues (.mo) are in the repository, so a fresh machine needs no GNU gettext to show the site in
three languages; these tests make sure they say what the .po files say, and that the .po files hold every string
the code marks. Extracting the strings needs xgettext (Debian's gettext): without it that test skips, and under
CI a skip fails (.ci/run installs it)."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["be", "ru"]


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_has_a_translation(language):
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    for entry in po.translated_entries():
        for placeholder in ("%(", "{"):
            if placeholder in entry.msgid:
                wanted = sorted(_placeholders(entry.msgid))
                translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
                for text in translations:
                    assert sorted(_placeholders(text)) == wanted or entry.msgid_plural, (entry.msgid, text)


def _placeholders(text):
    import re

    return re.findall(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(language):
    po = catalogue(language)
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as file:
        compiled = gettext.GNUTranslations(file)
    for entry in po.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            assert compiled._catalog[(key, 0)] == entry.msgstr_plural[0], entry.msgid
        else:
            assert compiled._catalog[key] == entry.msgstr, entry.msgid


SOURCES = ["alerts", "casetracker", "events", "prisoners", "publicsite", "registers", "review", "templates"]


def keys(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def test_the_catalogues_hold_every_string_the_code_marks(tmp_path):
    """Extracted afresh from a copy of the code (so the repository's catalogues are not touched), the strings are
    exactly the catalogues' strings: none missing, none left over."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed (apt-get install gettext); CI installs it")
    for source in SOURCES:
        shutil.copytree(
            Path(settings.BASE_DIR) / source, tmp_path / source, ignore=shutil.ignore_patterns("migrations")
        )
    (tmp_path / "locale").mkdir()
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "--locale=be", "--extension=html,txt,py"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": os.environ["PATH"]},
    )
    fresh = keys(polib.pofile(str(tmp_path / "locale" / "be" / "LC_MESSAGES" / "django.po")))
    shipped = keys(catalogue("be"))
    assert sorted(fresh - shipped, key=str) == [], "marked in the code, missing from the catalogues: bin/i18n-update"
    assert sorted(shipped - fresh, key=str) == [], "in the catalogues, no longer in the code: bin/i18n-update"
    assert keys(catalogue("ru")) == shipped
