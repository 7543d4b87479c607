"""Every link in an alert notice opens the right page, on whatever address and port the site runs: SITE_URL,
by default the address `make run` serves on."""

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from alerts import services
from casetracker.roles import ALERT_STAFF
from prisoners.models import Prisoner
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parent.parent


READ_SITE_URL = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def site_url(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "DEBUG"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "casetracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
def test_site_url_defaults_to_the_port_make_run_serves_on():
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8231") == "http://127.0.0.1:8231"
    assert site_url(PORT="8231", SITE_URL="https://cases.example.org/") == "https://cases.example.org"


def test_make_run_hands_its_port_to_the_web_server_and_the_worker():
    """bin/run-local serves on PORT and exports it, so the worker (which renders the notices) sees it too."""
    script = (ROOT / "bin" / "run-local").read_text()
    assert "export PORT=${1:-8000}" in script
    assert 'runserver "127.0.0.1:$PORT"' in script
    assert "exec bin/run-local $(PORT)" in (ROOT / "Makefile").read_text()


def fetch(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.geturl(), response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_every_link_in_a_notice_opens_the_right_page_on_a_non_default_port(live_server, settings, committed_demo):
    settings.SITE_URL = live_server.url  # a port picked at random, never 8000
    alex = make_user("alex", ALERT_STAFF)
    digest = services.scan().digest
    staff = Client()
    staff.force_login(alex)
    cookie = f"sessionid={staff.cookies['sessionid'].value}"

    links = re.findall(r"https?://\S+", digest.body_text)
    assert links and all(link.startswith(live_server.url + "/") for link in links)
    maria = Prisoner.objects.get(slug="maria-kalesnikava")
    for label, expected in [
        ("Case file", f"/admin/prisoners/prisoner/{maria.pk}/change/"),
        ("Public page", "/prisoners/maria-kalesnikava/"),
        ("Alert (acknowledge, assign)", "/admin/alerts/alert/"),
    ]:
        link = re.search(rf"{re.escape(label)}: (\S+)", digest.body_text)[1]
        assert link.startswith(live_server.url + expected)
        status, landed, page = fetch(link, cookie=None if label == "Public page" else cookie)
        assert (status, landed) == (200, link) and "Maria Kalesnikava" in page
    for link in links:  # every one, the list of all open alerts included
        assert fetch(link, cookie)[0] == 200


@pytest.mark.django_db
def test_an_unpublished_prisoner_gets_no_public_link(demo, clock):
    make_user("alex", ALERT_STAFF)
    Prisoner.objects.filter(slug="ihar-losik").update(published=False)
    text = services.scan().digest.body_text
    losik = text[text.index("- Ihar Losik") :].split("\n- ")[0]
    assert "Case file: http://127.0.0.1:8000/admin/prisoners/prisoner/" in losik
    assert "Public page" not in losik and "/prisoners/ihar-losik/" not in losik
