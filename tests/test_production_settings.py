"""Production settings: refuse to start half-configured, pass check --deploy, send security headers."""

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "cases.example.org",
    "DATABASE_URL": "postgres://casetracker:secret@db.invalid:5432/casetracker",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, "LOG_FORMAT", "HTTPS", "BEHIND_PROXY"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL"])
def test_production_refuses_to_start_without(missing):
    result = manage("check", **{**PRODUCTION, missing: ""})
    assert result.returncode != 0 and f"{missing} must be set when DEBUG is off" in result.stderr


@pytest.mark.slow
def test_production_refuses_sqlite():
    result = manage("check", **{**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert result.returncode != 0 and "DATABASE_URL must point to PostgreSQL" in result.stderr


@pytest.mark.slow
def test_production_logs_are_json_lines_on_stdout():
    say = "import logging; logging.getLogger('alerts.services').warning('mail server refused')"
    result = manage("shell", "-c", say, **PRODUCTION)
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["level"], r["logger"], r["message"]) for r in records] == [
        ("WARNING", "alerts.services", "mail server refused")
    ]
    assert "time" in records[0]


@pytest.mark.slow
def test_commands_print_no_start_up_noise():
    result = manage("check", **PRODUCTION)
    assert result.returncode == 0 and result.stdout == "System check identified no issues (0 silenced).\n"


@pytest.mark.django_db
def test_security_headers_on_every_response(client):
    response = client.get("/admin/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp  # no third-party origin allowed
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_https_redirect_hsts_and_proxy_header(client, settings):
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = True, 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/admin/login/").status_code == 301
    response = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.slow
def test_docker_compose_file_is_valid():
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    result = subprocess.run(
        [compose, "--env-file", ".env.example", "config", "-q"],
        cwd=ROOT,
        env={**os.environ, "ENV_FILE": ".env.example"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    config = subprocess.run(
        [compose, "--env-file", ".env.example", "config", "--services"],
        cwd=ROOT,
        env={**os.environ, "ENV_FILE": ".env.example"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert set(config.stdout.split()) == {"db", "redis", "migrate", "web", "worker", "beat", "proxy", "backup"}


def test_env_example_documents_every_setting_read_from_the_environment():
    settings_source = (ROOT / "casetracker" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    import re

    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", example, re.M))
    assert read - documented <= {"VAR_DIR", "STATIC_ROOT", "MEDIA_ROOT"}, read - documented
