"""`manage.py wait_for_database`: the compose stack's migrate step waits for a database that starts beside it, and
gives up, saying so, on one that never answers."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.test_system import free_port, maintenance_url

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def wait_for_database(tmp_path, url, timeout):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    env.update(VAR_DIR=str(tmp_path), DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT="2")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "wait_for_database", "--timeout", str(timeout)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return result, time.monotonic() - started


def late_forwarder(port, target, after):
    """Listens on `port` only `after` seconds from now (a database still starting), then passes each connection on
    to `target`."""

    def pipe(source, sink):
        with source, sink:
            while data := source.recv(65536):
                sink.sendall(data)

    def serve():
        time.sleep(after)
        listener = socket.create_server(("127.0.0.1", port))
        while True:
            client, _ = listener.accept()
            server = socket.create_connection(target)
            threading.Thread(target=pipe, args=(client, server.dup()), daemon=True).start()
            threading.Thread(target=pipe, args=(server, client.dup()), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()


def test_it_gives_up_on_a_database_that_never_answers_and_says_so(tmp_path):
    url = f"postgres://casetracker@127.0.0.1:{free_port()}/casetracker"  # nothing listens there
    result, _ = wait_for_database(tmp_path, url, timeout=2)
    assert result.returncode == 1
    assert "Waiting for the database" in result.stderr
    assert "The database did not answer within 2 seconds" in result.stderr


@pytest.mark.system
def test_it_waits_for_a_database_still_starting_then_returns(tmp_path):
    server = urlsplit(maintenance_url())
    port = free_port()
    late_forwarder(port, (server.hostname, server.port or 5432), after=3)
    login = server.username or "postgres"
    if server.password:
        login += f":{server.password}"
    url = urlunsplit(server._replace(netloc=f"{login}@127.0.0.1:{port}", path="/postgres"))
    result, took = wait_for_database(tmp_path, url, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Waiting for the database" in result.stderr
    assert took >= 3
