"""Public metadata from public facts only: incidents and contacts named on public pages by an opaque
identifier instead of their database id."""

from django.db import migrations, models

import casetracker.public_record

BATCH = 1000


def check_foreign_keys_now(schema_editor):
    """PostgreSQL checks foreign keys at the commit; a table updated here and altered next in the same
    transaction would fail ("pending trigger events"). Checking them now leaves nothing pending."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def fill_public_ids(apps, schema_editor):
    """Every incident and contact gets its identifier (random: nothing in it counts the records)."""
    for name in ("Incident", "Contact"):
        model = apps.get_model("events", name)
        batch = []
        for record in model.objects.filter(public_id__isnull=True).only("pk").iterator(chunk_size=BATCH):
            record.public_id = casetracker.public_record.new_public_id()
            batch.append(record)
            if len(batch) == BATCH:
                model.objects.bulk_update(batch, ["public_id"])
                batch = []
        model.objects.bulk_update(batch, ["public_id"])
    check_foreign_keys_now(schema_editor)


def public_id():
    return models.CharField(
        default=casetracker.public_record.new_public_id,
        editable=False,
        help_text="Names the record on public pages (anchors, the case JSON) instead of its database id, which "
        "would tell how many records, internal ones included, were made in between.",
        max_length=12,
        unique=True,
        verbose_name="public identifier",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_links_are_web_addresses"),
        ("prisoners", "0010_links_are_web_addresses"),
    ]

    operations = [
        # A unique column is added empty, filled, then made unique (one identifier for all would collide).
        migrations.AddField(
            model_name="incident", name="public_id", field=models.CharField(editable=False, max_length=12, null=True)
        ),
        migrations.AddField(
            model_name="contact", name="public_id", field=models.CharField(editable=False, max_length=12, null=True)
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(model_name="incident", name="public_id", field=public_id()),
        migrations.AlterField(model_name="contact", name="public_id", field=public_id()),
    ]
