"""Backups that restore. A backup is a dump of the database (`pg_dump`, custom format) and an archive of the
uploaded files (`bin/backup` makes both); it counts only once it has been restored. `check()` restores a dump into
a scratch database beside the source, compares every table's row count (the history tables included) and the
archive's files with the source's, and drops the scratch database again."""

import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import sql
from psycopg.conninfo import make_conninfo

from .text import counted

LIBPQ = {"dbname", "user", "password", "host", "port", "sslmode", "connect_timeout"}  # of Django's connection
HISTORY_PREFIX = "historical"  # simple-history's tables: <app>_historical<model>


@dataclass
class Comparison:
    tables: int = 0
    rows: int = 0
    history_rows: int = 0
    files: int = 0
    differences: list = field(default_factory=list)

    def __str__(self):
        said = (
            f"{self.tables} tables, {self.rows:,} rows ({self.history_rows:,} of them history), "
            f"{counted(self.files, 'uploaded file')}"
        )
        if self.differences:
            return f"The restored backup differs from the source ({said} restored): " + "; ".join(self.differences)
        return f"The backup restores: {said}, as in the source."


def source_conninfo():
    """libpq's connection string for the database the settings name."""
    params = connection.get_connection_params()
    return make_conninfo(**{key: value for key, value in params.items() if key in LIBPQ and value not in (None, "")})


def row_counts(conninfo):
    """{table: rows} of every table in the public schema, counted exactly."""
    with psycopg.connect(conninfo) as database:
        tables = [name for (name,) in database.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )]  # fmt: skip
        count = sql.SQL("SELECT count(*) FROM {}")
        return {table: database.execute(count.format(sql.Identifier(table))).fetchone()[0] for table in tables}


def files_in(folder):
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def files_archived(archive):
    with tarfile.open(archive) as members:
        return sorted(str(Path(member.name)) for member in members if member.isfile())


def check(dump, media_archive=None):
    """Restore `dump` into a scratch database on the source's server and compare it with the source (the database
    the settings name); `media_archive` with MEDIA_ROOT. Meaningful while nothing writes to either: right after the
    backup, or against a copy."""
    if connection.vendor != "postgresql":
        raise ValueError("backups are checked on PostgreSQL: DATABASE_URL names another database")
    source = source_conninfo()
    scratch_name = f"{connection.get_connection_params()['dbname']}_restore_check"
    scratch = make_conninfo(source, dbname=scratch_name)
    with psycopg.connect(make_conninfo(source, dbname="postgres"), autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch_name)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch_name)))
        try:
            restored = subprocess.run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", scratch, str(dump)],
                capture_output=True, text=True,
            )  # fmt: skip
            if restored.returncode:
                return Comparison(differences=[f"pg_restore failed: {restored.stderr.strip()[:500]}"])
            return _compare(row_counts(source), row_counts(scratch), media_archive)
        finally:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch_name)))


def _compare(source, restored, media_archive):
    result = Comparison(tables=len(restored), rows=sum(restored.values()))
    result.history_rows = sum(rows for table, rows in restored.items() if HISTORY_PREFIX in table.partition("_")[2])
    for table in sorted(source.keys() | restored.keys()):
        if source.get(table) != restored.get(table):
            result.differences.append(f"{table}: {source.get(table, 'no table')} in the source, "
                                      f"{restored.get(table, 'no table')} restored")  # fmt: skip
    if media_archive is not None:
        archived, present = files_archived(media_archive), files_in(settings.MEDIA_ROOT)
        result.files = len(archived)
        missing, extra = sorted(set(present) - set(archived)), sorted(set(archived) - set(present))
        if missing:
            result.differences.append(f"{len(missing)} uploaded files not in the archive (e.g. {missing[0]})")
        if extra:
            result.differences.append(f"{len(extra)} archived files no longer uploaded (e.g. {extra[0]})")
    return result
