"""Every kind of public page passes axe-core (WCAG 2.1 A and AA rules) at 375 and 1,280 px in a real Chromium, and
the Nu HTML checker, with the versions pinned in package.json (`make test` installs them with npm; Java runs the
checker).

Outside CI these tests skip when the validators or Java are missing; under CI=true a skip is a failure.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from prisoners.models import Facility
from tests.public_site import PAGES_IN_EVERY_LANGUAGE
from tests.test_public_browser import chromium

pytestmark = pytest.mark.slow

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ADDRESS = "ul. Example 1\n246000 Homiel\nBelarus"  # a test address: the demo holds none

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def with_an_address():
    """A postal address for the demo's colony, so the key facts and the facility show how to write."""
    Facility.objects.filter(slug="penal-colony-no-4-homiel").update(postal_address=ADDRESS)


def needed(path, what):
    if not path.exists():
        pytest.skip(f"{what} is not installed at {path} (make test installs it with npm); CI installs it")


@pytest.fixture
def site(live_server, committed_demo):
    with_an_address()
    return live_server.url


@pytest.mark.parametrize("width", [375, 1280])
def test_no_page_breaks_an_axe_rule_at_this_width(site, width):
    needed(AXE, "axe-core")
    axe = AXE.read_text()
    found = {}
    with chromium() as browser:
        # axe runs as a script: the pages' own Content-Security-Policy allows none, so it is bypassed for the check.
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        for path in PAGES_IN_EVERY_LANGUAGE:
            page.goto(f"{site}{path}")
            page.evaluate(axe)
            results = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                WCAG_21_AA,
            )
            assert results["passes"] is not None  # axe ran the rules
            violations = [
                f"{rule['id']} ({rule['impact']}): {[node['target'] for node in rule['nodes']]}"
                for rule in results["violations"]
            ]
            if violations:
                found[path] = violations
    assert found == {}


def test_no_page_has_an_html_error(demo, client, tmp_path):
    needed(VNU, "The Nu HTML checker (vnu-jar)")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (apt-get install default-jre-headless); CI machines have it")
    Facility.objects.filter(slug="penal-colony-no-4-homiel").update(postal_address=ADDRESS)
    files = {}
    for number, path in enumerate(PAGES_IN_EVERY_LANGUAGE):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.content)
        files[file.name] = path
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *map(str, sorted(tmp_path.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(checked.stdout)["messages"]
    errors = [
        f"{files[Path(message['url']).name]}:{message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]
    assert errors == []
    assert checked.returncode == 0
