"""Settings come from the environment; a bad value stops the start and names the variable."""

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from casetracker.env import ConfigurationError, Env
from casetracker.roles import EDITOR
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parent.parent


def start(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG"}}
    env.update(VAR_DIR=str(tmp_path), **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.filterwarnings("ignore:Engine not recognized")  # django-environ's, before our error
@pytest.mark.parametrize(
    "variable, value",
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "nonsense"),
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("LAWYER_CONTACT_THRESHOLD_DAYS", "thirty"),
        ("TIME_ZONE", "Mars/Olympus"),
        ("EMAIL_URL", "carrier-pigeon://coop"),
        ("REDIS_URL", "localhost:6379"),
        ("REDIS_URL", "redis://localhost:6379/zero"),
        ("CACHE_REDIS_URL", "localhost:6379"),
        ("PUBLIC_MAX_AGE_SECONDS", "-1"),
        ("ALERT_SCAN_MINUTES", "hourly"),
        ("ALERT_REMINDER_DAYS", "-1"),
        ("ALERT_MAIL_RETRY_SECONDS", "0"),
        ("ALERT_HEARTBEAT_SECONDS", "1"),
        ("ALERT_MAIL_FAILING_MINUTES", "soon"),
        ("ALERT_ACKNOWLEDGEMENT_DAYS", "0"),
        ("ALERT_ESCALATION_DAYS", "never"),
        ("SITE_URL", "cases.example.org"),
        ("SITE_URL", "ftp://cases.example.org"),
        ("SITE_URL", "https://cases.example.org:port"),
        ("PORT", "eighty"),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path, monkeypatch, variable, value):
    # The settings module run afresh in this process (a start costs a process each; how manage.py turns the
    # error into its message and exit code is the start below, without DEBUG's secrets).
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=variable):
        load_settings()


def postgresql(monkeypatch, tmp_path, **settings):
    for name in ("REDIS_URL", "EMAIL_URL", "DEBUG", "DATABASE_CONN_MAX_AGE", "DATABASE_CONNECT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://casetracker@db:5432/casetracker")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    "variable, value",
    [("DATABASE_CONN_MAX_AGE", "forever"), ("DATABASE_CONN_MAX_AGE", "-1"), ("DATABASE_CONNECT_TIMEOUT", "0")],
)
def test_a_bad_postgresql_connection_setting_stops_the_start_naming_it(tmp_path, monkeypatch, variable, value):
    postgresql(monkeypatch, tmp_path, **{variable: value})
    with pytest.raises(ConfigurationError, match=variable):
        load_settings()


def test_postgresql_connections_are_kept_checked_before_reuse_and_given_up_on_in_the_connect_timeout(
    tmp_path, monkeypatch
):
    postgresql(monkeypatch, tmp_path, DATABASE_CONN_MAX_AGE="120", DATABASE_CONNECT_TIMEOUT="7")
    database = load_settings().DATABASES["default"]
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (120, True)
    assert database["OPTIONS"]["connect_timeout"] == 7
    assert database["OPTIONS"]["tcp_user_timeout"] == 7000  # a vanished host ends a kept connection as quickly
    assert database["OPTIONS"]["keepalives"] == 1


def load_settings():
    """casetracker/settings.py executed as a new module (the loaded settings stay as they are)."""
    spec = importlib.util.spec_from_file_location("casetracker.settings_under_test", ROOT / "casetracker/settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_default_threshold_out_of_range_stops_the_start_naming_it(tmp_path):
    result = start(tmp_path, FAMILY_CONTACT_THRESHOLD_DAYS="0")  # checked once the apps are loaded
    assert result.returncode != 0
    assert "configuration error" in result.stderr and "FAMILY_CONTACT_THRESHOLD_DAYS=0" in result.stderr


@pytest.mark.slow
def test_a_database_that_accepts_but_never_answers_is_a_quick_error_not_a_hang(tmp_path):
    with socket.socket() as silent:  # the handshake completes in the kernel; nothing ever answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"postgres://postgres@127.0.0.1:{silent.getsockname()[1]}/casetracker"
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
        env.update(VAR_DIR=str(tmp_path), DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT="2")
        # Without a connect timeout this waits for the operating system's (minutes): past the 60 s here.
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode != 0 and "timeout" in result.stderr.lower()


@pytest.mark.slow
def test_without_debug_a_secret_key_and_hosts_are_required(tmp_path):
    result = start(tmp_path, DEBUG="false")
    assert result.returncode != 0 and "configuration error" in result.stderr and "SECRET_KEY" in result.stderr
    result = start(tmp_path, DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


@pytest.mark.slow
def test_the_embedded_default_needs_nothing_set(tmp_path):
    result = start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # generated, private


def test_env_parsing():
    env = Env({"A": "yes", "B": "Off", "N": " 12 ", "L": "a.org, b.org,", "E": ""})
    assert env.bool("A", False) is True and env.bool("B", True) is False and env.bool("E", True) is True
    assert env.int("N", 0, min_value=1) == 12 and env.int("MISSING", 7) == 7
    assert env.list("L", []) == ["a.org", "b.org"]
    assert env.database("X", "postgres://u:p@db:5432/cases")["ENGINE"] == "django.db.backends.postgresql"
    assert env.email("X") is None
    assert env.email("M") is None
    mail = Env({"M": "smtp://user:pw@mail.example.org:587"}).email("M")
    assert (mail["EMAIL_HOST"], mail["EMAIL_PORT"], mail["EMAIL_HOST_USER"]) == ("mail.example.org", 587, "user")
    with pytest.raises(ConfigurationError, match="N=12 is out of range"):
        env.int("N", 0, max_value=10)
    assert env.site_url("X", "https://cases.example.org/") == "https://cases.example.org"
    assert Env({"S": "http://127.0.0.1:8231"}).site_url("S", "unused") == "http://127.0.0.1:8231"
    with pytest.raises(ConfigurationError, match="SITE_URL='https://x.org/\\?a=1' is not a site address"):
        env.site_url("SITE_URL", "https://x.org/?a=1")


@pytest.mark.django_db
def test_postgresql_compiles_no_query_with_its_jit():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)


def test_the_page_cache_and_the_broker_use_separate_redis_databases(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.delenv("CACHE_REDIS_URL", raising=False)

    def shown(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        settings = load_settings()
        return [settings.CACHES["default"]["LOCATION"], settings.CELERY_BROKER_URL]

    assert shown(REDIS_URL="redis://redis:6379/0") == ["redis://redis:6379/1", "redis://redis:6379/0"]
    assert shown(REDIS_URL="redis://redis:6379/4", CACHE_REDIS_URL="redis://cache:6379/0") == [
        "redis://cache:6379/0",
        "redis://redis:6379/4",
    ]


@pytest.mark.django_db
def test_a_rotated_secret_key_keeps_staff_signed_in_while_the_old_one_is_a_fallback(settings, monkeypatch):
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", "the old key, an older one")
    assert load_settings().SECRET_KEY_FALLBACKS == ["the old key", "an older one"]
    settings.SECRET_KEY = "the old key " * 5
    back, away = Client(), Client()
    for client, name in ((back, "editor"), (away, "researcher")):
        client.force_login(make_user(name, EDITOR))  # signed in under the old key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the new key " * 5, ["the old key " * 5]
    assert back.get("/admin/").status_code == 200  # still signed in, and now under the new key
    settings.SECRET_KEY_FALLBACKS = []  # weeks later the old key is dropped
    assert back.get("/admin/").status_code == 200
    assert away.get("/admin/").status_code == 302  # not back since the rotation: signed out
