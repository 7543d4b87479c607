"""The trigram indexes of the name search, one per kind of record (PostgreSQL only).

One index over every word made a facility search read the trigram lists of a hundred thousand prisoners'
words (13 ms at that size, for a handful of facilities); a partial index per kind reads only its own.
"""

from django.db import migrations

KINDS = ["prisoner", "facility", "lawyer"]
TRIGRAM_INDEXES = {  # the single index of 0007: (table, column)
    "indexedword_word_trgm": ("prisoners_indexedword", "word"),
    "indexedname_folded_trgm": ("prisoners_indexedname", "folded"),
}


def split_by_kind(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in TRIGRAM_INDEXES.items():
        for kind in KINDS:
            schema_editor.execute(
                f"CREATE INDEX {name}_{kind} ON {table} USING gin ({column} gin_trgm_ops) WHERE kind = '{kind}'"
            )
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def join_kinds(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")
        for kind in KINDS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}_{kind}")


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0008_facility_named_publicly")]

    operations = [migrations.RunPython(split_by_kind, join_kinds)]
