"""Backups that restore: bin/backup dumps the database and archives the uploaded files; `check_backup` restores a
dump into a scratch database and compares it with the source, table by table and file by file; `make restore-test`
does all of it on a database with the demo record."""

import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from casetracker import backups
from tests.test_system import database, maintenance_url  # noqa: F401  (the fixture: a fresh PostgreSQL database)

ROOT = Path(__file__).resolve().parent.parent
DAY = 24 * 3600


def run(command, **env):
    environment = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run(command, cwd=ROOT, env=environment | env, capture_output=True, text=True, timeout=300)


def backup(url, folder, media, **env):
    made = run(["bin/backup"], DATABASE_URL=url, BACKUP_DIR=str(folder), MEDIA_ROOT=str(media), **env)
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    return dump, dump.with_name(dump.name.replace("casetracker-", "media-").replace(".dump", ".tar.gz"))


def check(url, dump, media, archive):
    return run([sys.executable, "manage.py", "check_backup", str(dump), "--media", str(archive)],
               DATABASE_URL=url, MEDIA_ROOT=str(media))  # fmt: skip


@pytest.mark.system
@pytest.mark.slow
def test_make_restore_test_backs_up_the_demo_restores_it_and_finds_it_whole():
    parts = urlsplit(maintenance_url())
    url = urlunsplit(parts._replace(path=f"/casetracker_restore_{os.getpid()}"))
    done = run(["bin/restore-test"], RESTORE_TEST_DATABASE_URL=url, PYTHON=sys.executable)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The backup restores: " in done.stdout and "1 uploaded file, as in the source." in done.stdout
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres"))) as server:
        left = server.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'casetracker_restore_%'").fetchone()
    assert left == (0,)  # the database it made and the scratch copy are gone


@pytest.mark.system
@pytest.mark.slow
def test_a_source_changed_since_the_backup_is_reported_by_table_and_file(database, tmp_path):  # noqa: F811
    media = tmp_path / "media"
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "a.jpg").write_text("a photo")
    with psycopg.connect(database, autocommit=True) as source:
        source.execute("CREATE TABLE prisoners_historicalprisoner (id int)")
        source.execute("INSERT INTO prisoners_historicalprisoner VALUES (1), (2)")
    old = tmp_path / "backups" / "casetracker-2020-01-01T000000Z.dump"
    old.parent.mkdir()
    old.write_text("a backup past its time")
    os.utime(old, (old.stat().st_atime - 20 * DAY, old.stat().st_mtime - 20 * DAY))
    dump, archive = backup(database, tmp_path / "backups", media, BACKUP_KEEP_DAYS="14")
    assert not old.exists() and dump.exists() and archive.exists()  # kept 14 days: the older one is gone
    assert check(database, dump, media, archive).stdout.strip() == (
        "The backup restores: 1 tables, 2 rows (2 of them history), 1 uploaded file, as in the source."
    )

    with psycopg.connect(database, autocommit=True) as source:
        source.execute("INSERT INTO prisoners_historicalprisoner VALUES (3)")
    (media / "photos" / "b.jpg").write_text("another")
    refused = check(database, dump, media, archive)
    assert refused.returncode == 1
    assert "prisoners_historicalprisoner: 3 in the source, 2 restored" in refused.stderr
    assert "1 uploaded files not in the archive (e.g. photos/b.jpg)" in refused.stderr


@pytest.mark.system
@pytest.mark.slow
def test_a_dump_that_does_not_restore_is_refused(database, tmp_path):  # noqa: F811
    broken = tmp_path / "casetracker-broken.dump"
    broken.write_bytes(b"PGDMP" + b"\0" * 64)
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz"):
        pass
    refused = check(database, broken, tmp_path / "media", archive)
    assert refused.returncode == 1 and "pg_restore failed" in refused.stderr


def test_backup_refuses_bad_settings_naming_them(tmp_path):
    missing = run(["bin/backup"], BACKUP_DIR=str(tmp_path))
    assert missing.returncode != 0 and "DATABASE_URL must name the database to back up" in missing.stderr
    bad = run(["bin/backup"], DATABASE_URL="postgres://nowhere/x", BACKUP_DIR=str(tmp_path), BACKUP_KEEP_DAYS="two")
    assert bad.returncode == 2 and "BACKUP_KEEP_DAYS must be a whole number of days, not 'two'" in bad.stderr
    assert not list(tmp_path.iterdir())  # nothing written


def test_the_comparison_names_every_difference(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "kept.jpg").write_text("x")
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as files:
        files.add(tmp_path / "media" / "kept.jpg", arcname="./kept.jpg")
        gone = tmp_path / "gone.jpg"
        gone.write_text("y")
        files.add(gone, arcname="./gone.jpg")
    source = {"events_incident": 5, "events_historicalincident": 9, "alerts_alert": 1}
    restored = {"events_incident": 5, "events_historicalincident": 8}
    comparison = backups._compare(source, restored, archive)
    assert (comparison.tables, comparison.rows, comparison.history_rows, comparison.files) == (2, 13, 8, 2)
    assert comparison.differences == [
        "alerts_alert: 1 in the source, no table restored",
        "events_historicalincident: 9 in the source, 8 restored",
        "1 archived files no longer uploaded (e.g. gone.jpg)",
    ]
    assert str(comparison).startswith("The restored backup differs from the source (2 tables, 13 rows")
