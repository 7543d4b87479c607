"""nginx in front of the app (deploy/nginx/casetracker.conf.template), run for real against the live server: the
micro-cache keeps only what the app marks public and only for anonymous readers, a withdrawn page leaves it within
its time, and the limits answer 413 and 429."""

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from prisoners.models import Prisoner
from tests.conftest import wait_for
from tests.test_system import free_port, port_open

TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "casetracker.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CASE = "/prisoners/maria-kalesnikava/"
MICRO_CACHE = 2  # seconds, in place of the template's 10, so the test need not wait ten

pytestmark = pytest.mark.slow


def fetch(url, data=None, cookie=None):
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def proxy(live_server, committed_demo, tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    port = free_port()
    site = (
        TEMPLATE.read_text()
        .replace("${CASETRACKER_UPSTREAM}", f"127.0.0.1:{urlsplit(live_server.url).port}")
        .replace("${CASETRACKER_RESOLVER}", "127.0.0.1")  # never asked: the app's address is an IP address here
        .replace("listen 80;", f"listen 127.0.0.1:{port};")
        .replace("/var/cache/nginx/casetracker", str(tmp_path / "cache"))
        .replace("proxy_cache_valid 200 301 404 10s;", f"proxy_cache_valid 200 301 404 {MICRO_CACHE}s;")
    )
    assert "${" not in site
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"user root; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log warn; daemon off;\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"fastcgi_temp_path {tmp_path}/fastcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;\n"
        f"include {tmp_path}/site.conf; }}\n"
    )
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")])
    try:
        wait_for(lambda: port_open(port) or nginx.poll() is not None, "nginx to listen", timeout=10)
        assert nginx.poll() is None, (tmp_path / "error.log").read_text()
        yield f"http://127.0.0.1:{port}"
    finally:
        nginx.terminate()
        nginx.wait(10)


def test_a_public_page_is_kept_briefly_and_a_withdrawn_one_is_gone_within_that_time(proxy):
    status, headers, first = fetch(proxy + CASE)
    assert (status, headers["X-Cache-Status"]) == (200, "MISS")
    status, headers, again = fetch(proxy + CASE)
    assert (status, headers["X-Cache-Status"], again) == (200, "HIT", first)
    maria = Prisoner.objects.get(slug="maria-kalesnikava")
    maria.published = False
    maria.save()  # withdrawn: the app answers 404 at once, the proxy keeps its copy only for its time
    time.sleep(MICRO_CACHE + 1.2)  # nginx counts whole seconds: kept N to N + 1 of them
    status, headers, _ = fetch(proxy + CASE)
    assert (status, headers["X-Cache-Status"]) in ((404, "EXPIRED"), (404, "MISS"))


def test_staff_pass_the_cache_and_the_admin_is_never_kept(proxy):
    fetch(proxy + CASE)
    status, headers, _ = fetch(proxy + CASE, cookie="sessionid=anything")
    assert (status, headers["X-Cache-Status"]) == (200, "BYPASS")
    for _ in range(2):
        status, headers, _ = fetch(proxy + "/admin/login/")
        assert status == 200 and "X-Cache-Status" not in headers and "no-store" in headers["Cache-Control"]


def test_a_page_the_app_does_not_mark_public_is_not_kept(proxy):
    for _ in range(2):
        status, headers, _ = fetch(proxy + "/prisoners/nobody-of-that-name/")
        assert (status, headers["X-Cache-Status"]) == (404, "MISS")  # the app's 404 says no-cache


def test_a_body_over_the_limit_is_refused_by_the_proxy(proxy):
    status, _, _ = fetch(proxy + "/admin/login/", data=b"x" * (11 * 1024 * 1024))
    assert status == 413


def test_the_admin_login_is_rate_limited(proxy):
    statuses = [fetch(proxy + "/admin/login/")[0] for _ in range(15)]
    assert statuses[:10] == [200] * 10 and 429 in statuses[11:]
