"""Public metadata from public facts only: an incident's last public change and first publication,
stored, and incidents and contacts named on public pages by an opaque identifier instead of their
database id. The indexes for computing a case's last change from its records give way to the one
the feeds read."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

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


def date_publications(apps, schema_editor):
    """An incident the public sees now was first published when it was first public and its prisoner
    first published, as far as the history tells (else when it was recorded); its last public change
    is its last change as the feeds gave it until now, never before that publication."""
    Incident = apps.get_model("events", "Incident")
    HistoricalIncident = apps.get_model("events", "HistoricalIncident")
    HistoricalPrisoner = apps.get_model("prisoners", "HistoricalPrisoner")
    first_public = HistoricalIncident.objects.filter(id=OuterRef("pk"), visibility="public").order_by("history_date")
    first_published = HistoricalPrisoner.objects.filter(id=OuterRef("prisoner_id"), published=True).order_by(
        "history_date"
    )
    shown = Incident.objects.filter(visibility="public", prisoner__published=True)
    shown.update(
        published_at=Greatest(
            Coalesce(Subquery(first_public.values("history_date")[:1]), F("created")),
            Coalesce(Subquery(first_published.values("history_date")[:1]), F("created")),
        )
    )
    Incident.objects.update(public_changed=F("updated"))
    shown.filter(published_at__gt=F("updated")).update(public_changed=F("published_at"))
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
        migrations.RemoveIndex(model_name="contact", name="contact_public_change"),
        migrations.RemoveIndex(model_name="incident", name="incident_public_change"),
        migrations.RemoveIndex(model_name="incident", name="incident_recently_changed"),
        migrations.AddField(
            model_name="incident",
            name="public_changed",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                help_text="When what the public sees last changed.",
                verbose_name="last public change",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="published_at",
            field=models.DateTimeField(
                editable=False, help_text="When the public could first see it.", null=True, verbose_name="first published"
            ),
        ),
        migrations.RunPython(date_publications, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["public_changed", "id"], name="incident_public_changed"),
        ),
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
