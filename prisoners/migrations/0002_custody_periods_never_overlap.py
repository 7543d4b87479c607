"""On PostgreSQL, the database itself refuses overlapping custody periods.

Periods are half-open on their earliest days, a missing start or end open-ended
(an end whose earliest day precedes the start's counts as the start):
exactly the rule of CustodyPeriod.overlaps_with(), which also checks it on SQLite.
"""

from django.db import migrations

CONSTRAINT = "prisoners_custodyperiod_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE prisoners_custodyperiod ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (prisoner_id WITH =, "
        "daterange(start, CASE WHEN \"end\" < start THEN start ELSE \"end\" END, '[)') WITH &&)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE prisoners_custodyperiod DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0001_initial")]
    operations = [migrations.RunPython(add_constraint, drop_constraint, elidable=False)]
