"""The bench's own PostgreSQL database: one per size, created, migrated, marked when complete.

`BENCH_DATABASE_URL` (default below) names the base; the size is appended to the database name
(`casetracker_bench_10000`), so datasets of different sizes live side by side and are reused.
The app's own `DATABASE_URL` is never read: the bench cannot write into a real register.
"""

import json
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.core.management.color import no_style
from django.db import connection
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casetracker_bench"
MARKER = "bench_dataset"  # one row: the size and generator version of a completely loaded dataset


class BenchError(Exception):
    """Input or environment the bench cannot work with; the message says why."""


def sized_url(base_url, prisoners):
    parts = urlsplit(base_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchError(
            f"The bench runs on PostgreSQL only; BENCH_DATABASE_URL={base_url!r} is not a postgres:// URL."
        )
    name = parts.path.lstrip("/")
    if not name:
        raise BenchError(f"BENCH_DATABASE_URL={base_url!r} names no database.")
    return urlunsplit(parts._replace(path=f"/{name}_{prisoners}"))


def database_name(url):
    return urlsplit(url).path.lstrip("/")


def _server(url):
    """A connection to the server's maintenance database, for CREATE and DROP DATABASE."""
    parts = urlsplit(url)
    try:
        return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise BenchError(f"Cannot reach PostgreSQL at {parts.hostname}:{parts.port or 5432}: {error}") from None


def create_database(url, *, replace):
    """Create the database (dropping it first when `replace`); True if it was created now."""
    name = database_name(url)
    with _server(url) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not replace:
            return False
        if exists:
            server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database(url):
    with _server(url) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url))))


def read_marker(cursor):
    """(prisoners, generator version, info) of the loaded dataset, or None if there is none."""
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER])
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(f"SELECT prisoners, generator_version, info::text FROM {MARKER}")
    row = cursor.fetchone()
    return row and (row[0], row[1], json.loads(row[2]))


def write_marker(cursor, prisoners, version, info):
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {MARKER} (prisoners integer NOT NULL, generator_version integer NOT NULL, "
        "info jsonb NOT NULL, generated_at timestamptz NOT NULL DEFAULT now())"
    )
    cursor.execute(f"DELETE FROM {MARKER}")
    cursor.execute(
        f"INSERT INTO {MARKER} (prisoners, generator_version, info) VALUES (%s, %s, %s)",
        [prisoners, version, psycopg.types.json.Jsonb(info)],
    )


def _rebuilt_after_load(cursor, tables):
    """Foreign keys and plain indexes on `tables`: dropped while loading, rebuilt once afterwards,
    which is many times faster than checking and indexing row by row. Primary keys, unique and
    exclusion constraints stay, so the load is checked as it goes."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
        [tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [tables],
    )
    return foreign_keys, cursor.fetchall()


@contextmanager
def bulk_load(cursor, tables):
    """Load `tables` without per-row foreign-key checks and index maintenance; both are restored
    (and so every foreign key validated, every unique index checked) when the block ends."""
    foreign_keys, indexes = _rebuilt_after_load(cursor, tables)
    for table, name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    for _, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def copy_rows(cursor, model, columns, rows):
    """COPY `rows` (tuples in the order of `columns`, model attribute names) into `model`'s table."""
    opts = model._meta
    names = [opts.get_field(column).column for column in columns]
    _check_columns(cursor, opts.db_table, names)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(opts.db_table), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    count = 0
    with cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _check_columns(cursor, table, names):
    """Fail before loading if the table has a required column the generator does not fill
    (a migration added one): the generator must learn it, not the load fail half-way."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO' "
        "AND column_default IS NULL AND is_identity = 'NO'",
        [table],
    )
    missing = {name for (name,) in cursor.fetchall()} - set(names)
    if missing:
        raise BenchError(f"The generator does not fill {table}.{', '.join(sorted(missing))}: update bench/generate.py.")


def reset_sequences(cursor, models):
    """Explicit ids leave the sequences behind; the app's own inserts must not collide with them."""
    for statement in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(statement)
