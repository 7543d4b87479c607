"""The benchmark (bench/, `make bench`): a smoke run at a tiny size in a throwaway PostgreSQL
database measures every scenario and finds the lapse reference agreeing with the app; bad input
is refused with a message."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench import cli, database, hooks
from bench.scenarios import SCENARIOS

ROOT = Path(__file__).resolve().parent.parent
SMOKE_PRISONERS = 200


def postgres_server():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the bench runs on PostgreSQL only: run the suite with DATABASE_URL=postgres://…")
    return url


@pytest.mark.slow
@pytest.mark.system  # PostgreSQL only, and it starts processes: CI's SQLite pass leaves it out
def test_a_smoke_run_measures_every_scenario_and_the_lapse_reference_agrees(tmp_path):
    server = urlsplit(postgres_server())
    base = urlunsplit(server._replace(path=f"/cs_bench_smoke_{os.getpid()}"))
    results_file = tmp_path / "bench.json"
    try:
        run = subprocess.run(
            [sys.executable, "-m", "bench", "--prisoners", str(SMOKE_PRISONERS), "--runs", "1", "--json",
             str(results_file)],
            cwd=ROOT, env={**os.environ, "BENCH_DATABASE_URL": base}, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
    finally:
        database.drop_database(database.sized_url(base, SMOKE_PRISONERS))
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
    assert "after_load:" in run.stdout
    results = json.loads(results_file.read_text())["results"]
    assert list(results) == [scenario.key for scenario in SCENARIOS]
    table = run.stdout[run.stdout.index("what ") :]
    for scenario in SCENARIOS:
        row = results[scenario.key]
        assert "error" not in row and "timed_out" not in row, (scenario.key, row)
        assert any(line.startswith(scenario.what) for line in table.splitlines()), scenario.what
    assert results["lapse_check"]["outcome"]["agreed"] and results["lapse_check"]["outcome"]["sample"] > 0
    assert results["export_csv"]["outcome"]["rows"] == results["export_json"]["outcome"]["rows"] > 0
    assert results["search"]["outcome"]["found"]


@pytest.mark.parametrize(
    "size, message",
    [
        ("lots", "'lots' is not a number of prisoners"),
        ("99", "99 prisoners is outside what the bench handles (100 to 1,000,000)"),
        ("2000000", "2,000,000 prisoners is outside what the bench handles"),
    ],
)
def test_a_size_the_bench_cannot_handle_is_refused(size, message, capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["--prisoners", size])
    assert exit.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize("url", ["sqlite:///var/bench.sqlite3", "mysql://root@localhost/bench"])
def test_the_bench_refuses_anything_but_postgresql(url, monkeypatch, capsys):
    monkeypatch.setenv("BENCH_DATABASE_URL", url)
    assert cli.main(["--prisoners", "1000"]) == 2
    assert "The bench runs on PostgreSQL only" in capsys.readouterr().err


def test_after_load_runs_the_derived_data_commands_the_app_has_and_says_which(monkeypatch):
    monkeypatch.setattr(
        hooks, "DERIVED_DATA_COMMANDS", [("no_such_command", ["--repair"]), ("check", ["--tag", "models"])]
    )
    said = []
    assert hooks.after_load(said.append) == ["check --tag models"]
    assert said == ["  after_load: ran check --tag models"]
