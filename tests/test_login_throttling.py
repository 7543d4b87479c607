"""Failed admin logins are rate-limited (django-axes), per username and client address."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PROXY = "10.0.0.2"  # the reverse proxy's address: REMOTE_ADDR of every request that came through it


def login(client, password, address="203.0.113.5", **headers):
    return client.post(
        "/admin/login/?next=/admin/", {"username": "edna", "password": password}, REMOTE_ADDR=address, **headers
    )


def login_through_proxy(client, password, forwarded_for):
    return login(client, password, address=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def start(tmp_path, **variables):
    """Read the settings in a fresh process with these variables set, as a deployment would."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "BEHIND_PROXY", "PROXY_COUNT"}}
    env.update(VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="casetracker.settings", **variables)
    code = (
        "import json; from casetracker import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in dir(s) if k.startswith('AXES_') or k == 'PROXY_COUNT'}))"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def use_throttle_settings(settings, tmp_path, **variables):
    result = start(tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    for name, value in json.loads(result.stdout).items():
        setattr(settings, name, value)


def test_five_failures_lock_out_that_user_from_that_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    make_user("edna")
    for _ in range(4):
        assert login(client, "wrong").status_code == 200  # the form again, with an error
    assert login(client, "wrong").status_code == 429
    assert login(client, "correct horse battery").status_code == 429  # even the right password, for now
    assert login(client, "correct horse battery", address="198.51.100.7").status_code == 302  # not others


def test_a_success_resets_the_count(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_user("edna")
    login(client, "wrong")
    login(client, "wrong")
    assert login(client, "correct horse battery").status_code == 302
    client.logout()
    login(client, "wrong")
    assert login(client, "wrong").status_code == 200


@pytest.mark.slow
def test_behind_a_proxy_failures_lock_out_the_attackers_address_not_the_username(client, settings, tmp_path):
    use_throttle_settings(settings, tmp_path, BEHIND_PROXY="true", PROXY_COUNT="1", AXES_FAILURE_LIMIT="5")
    make_user("edna")
    for _ in range(4):
        assert login_through_proxy(client, "wrong", "203.0.113.5").status_code == 200
    assert login_through_proxy(client, "wrong", "203.0.113.5").status_code == 429
    assert login_through_proxy(client, "correct horse battery", "203.0.113.5").status_code == 429
    assert login_through_proxy(client, "correct horse battery", "198.51.100.7").status_code == 302


@pytest.mark.slow
def test_behind_a_proxy_one_proxy_is_assumed_and_none_refused(tmp_path):
    result = start(tmp_path, BEHIND_PROXY="true")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["PROXY_COUNT"] == 1
    result = start(tmp_path, BEHIND_PROXY="true", PROXY_COUNT="0")
    assert result.returncode != 0 and "PROXY_COUNT" in result.stderr


def test_addresses_the_client_adds_to_x_forwarded_for_are_not_believed(client, settings):
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 2
    make_user("edna")
    # The proxy appends the address it saw; whatever stands left of it came from the client.
    login_through_proxy(client, "wrong", "192.0.2.1, 203.0.113.5")
    assert login_through_proxy(client, "wrong", "192.0.2.2, 203.0.113.5").status_code == 429
    # Without a proxy in front, the header is the client's own word and counts for nothing.
    settings.PROXY_COUNT = 0
    login(client, "wrong", address="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.3")
    assert login(client, "wrong", address="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.4").status_code == 429


def test_without_a_forwarded_address_the_connections_own_counts_and_is_logged(client, settings, caplog):
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 2
    make_user("edna")
    with caplog.at_level(logging.WARNING, logger="casetracker.client_address"):
        login(client, "wrong", address="198.51.100.7")
        assert login(client, "wrong", address="198.51.100.7").status_code == 429
    assert "X-Forwarded-For (0 entries, PROXY_COUNT=1)" in caplog.text
    assert "198.51.100.7" not in caplog.text  # addresses stay out of the log
    assert login(client, "correct horse battery", address="198.51.100.8").status_code == 302
