"""The compose stack built and run as an operator runs it: the image built from the Dockerfile on base images made
from Debian's packages (bin/build-images: no image registry is reachable here), docker-compose.yml started with
podman-compose, then driven from outside: the site through the proxy, a staff sign-in, the demo loaded, beat's scan
mailing the digest, a backup restored as the README says, the database lost and found again, `down` and `up` with
the data kept, settings missing, and the throughput of the proxy and of Django measured side by side.

Minutes long, and it needs podman, runc, debootstrap and wrk: `make stack-test` runs it, and `.ci/run`. Nothing else
does (marker `stack`, which `-m` must name).

Podman 4.3 (Debian 12) cannot wait on compose's health conditions, and starting a container that requires an exited
one fails there (`--requires`), so `Stack.up` starts the services with --no-deps in the order the conditions define
and runs each health check itself (`podman healthcheck run`): what Docker Compose does on its own."""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bench.stack import throughput_ratios
from tests.conftest import wait_for
from tests.test_system import free_port

ROOT = Path(__file__).resolve().parent.parent
PODMAN_COMPOSE = str(Path(sys.executable).parent / "podman-compose")
PROJECT = "ctstacktest"
CASE = "/prisoners/maria-kalesnikava/"
ALERTS_EMAIL = "alerts@stack-test.example.org"
PASSWORD = "a long stack-test password " + secrets.token_hex(4)

pytestmark = [pytest.mark.stack, pytest.mark.slow]


class Stack:
    def __init__(self, folder, images):
        self.folder = folder
        self.proxy = f"http://127.0.0.1:{free_port()}"
        self.web = f"http://127.0.0.1:{free_port()}"
        self.settings = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
            "SITE_URL": self.proxy,
            "EMAIL_URL": "smtp://mail:1025",
            "DEFAULT_FROM_EMAIL": "Casetracker <alerts@example.org>",
            "DEBUG": "false",
            "HTTPS": "false",  # the test speaks plain HTTP to the proxy; TLS is the README's commented server
            "BEHIND_PROXY": "true",
            "PROXY_COUNT": "1",
            "FORWARDED_ALLOW_IPS": "*",
            "CSRF_TRUSTED_ORIGINS": self.proxy,
            "WEB_PORT": self.web.removeprefix("http://"),
            "PROXY_PORT": self.proxy.removeprefix("http://"),
            "ALERT_SCAN_MINUTES": "1",
        }
        self.env_file = self.write_env("stack.env", self.settings)
        # podman-compose lets the environment override the env file: none of the stack's settings come from outside.
        own = {*self.settings, *images, "ENV_FILE", "PROXY_RESOLVER", "DATABASE_URL", "REDIS_URL"}
        self.env = {
            **{key: value for key, value in os.environ.items() if key not in own},
            **images,
            "CONTAINERS_CONF": os.environ.get("CONTAINERS_CONF", str(ROOT / "deploy/podman/containers.conf")),
        }

    def write_env(self, name, settings):
        path = self.folder / name
        path.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))
        return path

    def compose(self, *args, env_file=None, project=PROJECT, check=True, timeout=900):
        env_file = env_file or self.env_file
        result = subprocess.run(
            [PODMAN_COMPOSE, "--in-pod", "false", "-p", project, "--env-file", str(env_file),
             "-f", "docker-compose.yml", "-f", "tests/stack/compose.test.yml", *args],
            cwd=ROOT, env={**self.env, "ENV_FILE": str(env_file)}, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if check:
            assert result.returncode == 0, f"podman-compose {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def podman(self, *args, input=None, check=True, timeout=300):
        result = subprocess.run(
            ["podman", *args], env=self.env, input=input, capture_output=True, text=True, timeout=timeout
        )
        if check:
            assert result.returncode == 0, f"podman {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    @staticmethod
    def container(service):
        return f"{PROJECT}_{service}_1"

    def inspect(self, service, field):
        return self.podman("inspect", self.container(service), "--format", "{{" + field + "}}").stdout.strip()

    def healthy(self, service):
        return self.podman("healthcheck", "run", self.container(service), check=False).returncode == 0

    def manage(self, *args, input=None):
        for _ in range(10):
            result = self.podman("exec", "-i", self.container("web"), "python", "manage.py", *args, input=input,
                                 check=False)  # fmt: skip
            # Podman 4.3's DNS (aardvark-dns) reloads as containers stop and start; a name looked up meanwhile falls
            # through to the host's resolver, which has never heard of `db`. Not the app's: asked again.
            if "failed to resolve host" not in result.stderr:
                break
            time.sleep(1)
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def logs(self, service):
        result = self.podman("logs", self.container(service), check=False)
        return result.stdout + result.stderr

    def up(self, prepare=None):
        """Every service, in the order compose's conditions define (the module's docstring says why by hand)."""
        self.compose("up", "-d", "--no-deps", "db", "redis", "mail")
        wait_for(lambda: self.healthy("db") and self.healthy("redis"), "the database and Redis", timeout=120)
        self.compose("up", "-d", "--no-deps", "migrate")
        wait_for(lambda: self.inspect("migrate", ".State.Status") == "exited", "migrate to finish", timeout=600)
        assert self.inspect("migrate", ".State.ExitCode") == "0", self.logs("migrate")
        self.compose("up", "-d", "--no-deps", "web")
        wait_for(lambda: self.healthy("web"), "web to be healthy", timeout=120)
        if prepare:
            prepare()
        self.compose("up", "-d", "--no-deps", "worker", "beat", "backup")
        # nginx asks the network's DNS for web: podman's answers at the network's gateway (Docker's at 127.0.0.11).
        self.env["PROXY_RESOLVER"] = self.podman(
            "network", "inspect", f"{PROJECT}_default", "--format", "{{range .Subnets}}{{.Gateway}}{{end}}"
        ).stdout.strip()
        self.compose("up", "-d", "--no-deps", "proxy")
        wait_for(lambda: get(self.proxy + "/healthz").status_code == 200, "the site through the proxy", timeout=120)

    def create_staff(self, username, role, email=""):
        return self.manage("create_staff_user", username, "--role", role, "--email", email, "--password-stdin",
                           input=PASSWORD + "\n")  # fmt: skip

    def sign_in(self, username):
        session = requests.Session()
        login = self.proxy + "/admin/login/"
        form = session.get(login, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        session.post(login, data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
                     headers={"Referer": login}, timeout=10)  # fmt: skip
        return session

    def row_counts(self):
        """{table: rows} of the stack's database, counted by the web container (casetracker.backups)."""
        return json.loads(self.manage("shell", "-v", "0", "-c",
            "import json; from casetracker.backups import row_counts, source_conninfo; "
            "print(json.dumps(row_counts(source_conninfo())))"
        ))  # fmt: skip


def get(url, **kwargs):
    try:
        return requests.get(url, timeout=10, **kwargs)
    except requests.RequestException:
        return requests.Response()  # status_code None: not answering (yet)


def images():
    """The base images, made once from Debian's packages: {PYTHON_IMAGE: …, POSTGRES_IMAGE: …, …}."""
    built = subprocess.run([str(ROOT / "bin/build-images")], capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stderr
    return dict(line.split("=", 1) for line in built.stdout.split())


@pytest.fixture(scope="module")
def stack(request, tmp_path_factory):
    missing = [tool for tool in ("podman", "runc", "debootstrap", "wrk") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the stack test needs {', '.join(missing)} (apt-get install podman runc debootstrap wrk)")
    stack = Stack(tmp_path_factory.mktemp("stack"), images())
    stack.podman("rm", "--force", f"{PROJECT}_constant", f"{PROJECT}_static", check=False)
    stack.compose("down", "--volumes", check=False)  # what an interrupted run left

    def prepare():
        assert "Demo data loaded" in stack.manage("load_demo")
        stack.create_staff("editor", "editor")
        stack.create_staff("alerts", "alerts", ALERTS_EMAIL)

    try:
        stack.compose("build", "migrate")  # the app's image, from the Dockerfile on PYTHON_IMAGE
        stack.up(prepare)
        yield stack
    finally:
        if request.session.testsfailed:
            for service in ("migrate", "web", "worker", "beat", "proxy", "backup", "db"):
                print(f"\n== {service} (last lines)\n" + "\n".join(stack.logs(service).splitlines()[-30:]))
        if os.environ.get("STACK_TEST_KEEP") != "1":  # STACK_TEST_KEEP=1 leaves it running, to look into
            stack.compose("down", "--volumes", check=False)


def test_the_app_runs_as_a_non_root_user_on_a_read_only_root_file_system(stack):
    for service in ("web", "worker", "beat"):
        assert stack.podman("exec", stack.container(service), "id", "-u").stdout.strip() == "10001"
        written = stack.podman("exec", stack.container(service), "touch", "/app/casetracker/written", check=False)
        assert written.returncode != 0 and "Read-only file system" in written.stderr
        stack.podman("exec", stack.container(service), "touch", "/app/var/media/.writable", "/tmp/.writable")


def test_every_health_check_in_the_compose_file_passes(stack):
    for service in ("db", "redis", "web", "worker"):
        assert stack.healthy(service), service
    assert get(stack.proxy + "/healthz").json()["status"] == "ok"


def test_the_proxy_serves_the_case_page_from_its_micro_cache_gzipped_with_its_static_files(stack):
    first, second = get(stack.proxy + CASE), get(stack.proxy + CASE)
    assert first.status_code == second.status_code == 200
    assert "Kalesnikava" in second.text
    assert first.headers["X-Cache-Status"] in {"MISS", "EXPIRED", "HIT"} and second.headers["X-Cache-Status"] == "HIT"
    assert get(stack.proxy + CASE, headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', second.text).group(1)
    assert get(stack.proxy + stylesheet).status_code == 200


def test_staff_sign_in_through_the_proxy_and_pass_its_cache(stack):
    session = stack.sign_in("editor")
    assert "editor" in session.get(stack.proxy + "/admin/", timeout=10).text
    assert session.get(stack.proxy + CASE, timeout=10).headers["X-Cache-Status"] == "BYPASS"


def test_the_proxy_refuses_a_body_over_its_limit(stack):
    response = requests.post(stack.proxy + "/admin/login/", data=b"x" * (11 * 1024 * 1024), timeout=30)
    assert response.status_code == 413


def test_beats_scan_mails_the_digest_to_the_alert_staff(stack):
    def delivered():
        mail = stack.logs("mail")
        return ALERTS_EMAIL in mail and "Kalesnikava" in mail

    wait_for(delivered, "the digest at the SMTP sink (scans every minute)", timeout=240)


def test_a_backup_restores_as_the_readme_says(stack):
    stack.podman("exec", stack.container("web"), "sh", "-c",
                 "mkdir -p /app/var/media/photos && echo a photo > /app/var/media/photos/kept.jpg")  # fmt: skip
    stack.compose("stop", "worker", "beat")  # nothing writes between the backup and its count (scans, heartbeats)
    dump = stack.podman("exec", stack.container("backup"), "casetracker-backup").stdout.strip()
    archive = dump.replace("/casetracker-", "/media-").replace(".dump", ".tar.gz")
    before = stack.row_counts()
    # Changed after the backup: both are gone once it is restored.
    stack.create_staff("after-backup", "researcher")
    stack.podman("exec", stack.container("web"), "rm", "/app/var/media/photos/kept.jpg")

    # The README's restore, step by step (copies of the backup on the operator's machine, in `restore/`).
    restore = stack.folder / "restore"
    restore.mkdir()
    for path in (dump, archive):
        stack.podman("cp", f"{stack.container('backup')}:{path}", str(restore))
    stack.compose("stop", "web")
    stack.podman("exec", stack.container("db"), "dropdb", "--force", "-U", "casetracker", "casetracker")
    stack.podman("exec", stack.container("db"), "createdb", "-U", "casetracker", "casetracker")
    with open(restore / Path(dump).name) as backup:
        restored = subprocess.run(
            ["podman", "exec", "-i", stack.container("db"), "pg_restore", "-U", "casetracker", "-d", "casetracker",
             "--no-owner"],
            stdin=backup, env=stack.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    stack.compose("run", "--rm", "--no-deps", "-v", f"{restore}:/restore", "web",
                  "tar", "-xzf", f"/restore/{Path(archive).name}", "-C", "/app/var/media")  # fmt: skip
    stack.compose("up", "-d", "--no-deps", "web")
    wait_for(lambda: stack.healthy("web"), "web after the restore", timeout=120)

    assert stack.row_counts() == before
    assert stack.podman("exec", stack.container("web"), "cat", "/app/var/media/photos/kept.jpg").stdout == "a photo\n"
    stack.compose("up", "-d", "--no-deps", "worker", "beat")


def test_a_lost_database_is_a_503_and_the_stack_comes_back_on_its_own(stack):
    restarts = int(stack.inspect("web", ".RestartCount"))
    stack.podman("stop", stack.container("db"))
    lost = get(stack.web + "/healthz")
    assert lost.status_code == 503 and lost.json()["database"] == "failing"
    stack.podman("start", stack.container("db"))
    wait_for(lambda: get(stack.proxy + "/healthz").status_code == 200, "health once the database is back", 120)
    assert int(stack.inspect("web", ".RestartCount")) == restarts  # web kept running and reconnected by itself

    # gunicorn gone (a crash, an out-of-memory kill): the restart policy starts web again, the proxy finds it.
    stack.podman("exec", stack.container("web"), "sh", "-c", "kill -TERM 1")
    wait_for(lambda: int(stack.inspect("web", ".RestartCount")) > restarts, "web to be restarted", timeout=60)
    wait_for(lambda: get(stack.proxy + CASE).status_code == 200, "the case page through the proxy", timeout=120)


def test_the_proxy_finds_web_again_once_it_is_recreated_with_a_new_address(stack):
    address = stack.inspect("web", "range .NetworkSettings.Networks}}{{.IPAddress}}{{end")
    proxy = stack.inspect("proxy", ".Id"), stack.inspect("proxy", ".State.StartedAt")
    stack.podman("rm", "--force", stack.container("web"))  # an upgrade's recreate, the proxy left as it is
    stack.compose("up", "-d", "--no-deps", "web")
    assert stack.inspect("web", "range .NetworkSettings.Networks}}{{.IPAddress}}{{end") != address
    wait_for(lambda: get(stack.proxy + CASE).status_code == 200, "the proxy to find the new web", timeout=60)
    assert (stack.inspect("proxy", ".Id"), stack.inspect("proxy", ".State.StartedAt")) == proxy


def test_down_and_up_keep_the_record_the_accounts_and_the_uploaded_files(stack):
    stack.compose("down")
    assert get(stack.proxy + "/healthz").status_code is None
    stack.up()
    assert get(stack.proxy + CASE).status_code == 200
    assert "editor" in stack.sign_in("editor").get(stack.proxy + "/admin/", timeout=10).text
    assert stack.podman("exec", stack.container("web"), "cat", "/app/var/media/photos/kept.jpg").stdout == "a photo\n"


@pytest.mark.parametrize(
    "missing, named",
    [
        ("POSTGRES_PASSWORD", "required variable POSTGRES_PASSWORD is missing a value: set POSTGRES_PASSWORD in .env"),
        ("SECRET_KEY", "SECRET_KEY"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
    ],
)
def test_the_stack_refuses_to_start_without_a_secret_a_password_or_a_host(stack, missing, named):
    settings = {key: value for key, value in stack.settings.items() if key != missing}
    env_file = stack.write_env(f"without-{missing}.env", settings)
    project = f"{PROJECT}without"  # never the running stack's containers
    try:
        result = stack.compose("run", "--rm", "--no-deps", "migrate", env_file=env_file, project=project, check=False)
    finally:
        stack.compose("down", "--volumes", env_file=stack.env_file, project=project, check=False)
    assert result.returncode != 0
    assert named in result.stdout + result.stderr


def test_throughput_of_the_proxy_and_of_django_side_by_side(stack, capsys):
    """Printed, not asserted (figures are the benchmark's): README, "Benchmark"."""
    page = stack.folder / "case.html"
    page.write_bytes(get(stack.web + CASE).content)
    constant, static = free_port(), free_port()
    network = f"{PROJECT}_default"
    web_env = {
        key: value
        for key, value in (item.split("=", 1) for item in json.loads(stack.inspect("web", "json .Config.Env")))
        if key in {"DATABASE_URL", "REDIS_URL", "LOG_FORMAT"}
    }
    try:
        stack.podman(
            "run", "-d", "--rm", "--name", f"{PROJECT}_constant", "--network", network,
            "--read-only", "--tmpfs", "/tmp",
            "--env-file", str(stack.env_file), *[f"--env={key}={value}" for key, value in web_env.items()],
            "--env=DJANGO_SETTINGS_MODULE=bench.constant_site", f"--env=CONSTANT_BODY_BYTES={page.stat().st_size}",
            "-p", f"127.0.0.1:{constant}:8000", "casetracker:latest",
            "gunicorn", "casetracker.wsgi:application", "-c", "gunicorn.conf.py",
        )  # fmt: skip
        stack.podman(
            "run", "-d", "--rm", "--name", f"{PROJECT}_static", "--network", network,
            "-v", f"{page}:/srv/page.html:ro",
            "-v", f"{ROOT / 'bench/static-page.conf.template'}:/etc/nginx/templates/default.conf.template:ro",
            "-p", f"127.0.0.1:{static}:80", stack.env["NGINX_IMAGE"],
        )  # fmt: skip
        constant_url, static_url = f"http://127.0.0.1:{constant}/", f"http://127.0.0.1:{static}/"
        wait_for(lambda: get(constant_url).status_code == 200 and get(static_url).status_code == 200, "the floors")
        assert len(get(constant_url).content) == len(get(static_url).content) == page.stat().st_size
        report = throughput_ratios(
            proxy=stack.proxy + CASE, static=static_url, django=stack.web + CASE, constant=constant_url
        )
    finally:
        stack.podman("rm", "-f", f"{PROJECT}_constant", f"{PROJECT}_static", check=False)
    with capsys.disabled():  # shown in every run, CI's too
        print("\n" + report.text())
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var/stack-bench.json").write_text(json.dumps(report.figures(), indent=2) + "\n")
