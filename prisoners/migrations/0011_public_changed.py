"""Public metadata from public facts only: the case's last public change, stored, and custody periods
named on public pages by an opaque identifier instead of their database id."""

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
    """Every custody period gets its identifier (random: nothing in it counts the records)."""
    CustodyPeriod = apps.get_model("prisoners", "CustodyPeriod")
    periods = CustodyPeriod.objects.filter(public_id__isnull=True).only("pk")
    batch = []
    for period in periods.iterator(chunk_size=BATCH):
        period.public_id = casetracker.public_record.new_public_id()
        batch.append(period)
        if len(batch) == BATCH:
            CustodyPeriod.objects.bulk_update(batch, ["public_id"])
            batch = []
    CustodyPeriod.objects.bulk_update(batch, ["public_id"])
    check_foreign_keys_now(schema_editor)


def date_last_public_changes(apps, schema_editor):
    """Start from the date the public saw until now (the newest of the record's own change and of
    its public incidents' and contacts'), so no case's date jumps with the upgrade."""
    Prisoner = apps.get_model("prisoners", "Prisoner")
    Incident = apps.get_model("events", "Incident")
    Contact = apps.get_model("events", "Contact")
    incident = Incident.objects.filter(prisoner=OuterRef("pk"), visibility="public").order_by("-updated")
    contact = Contact.objects.filter(prisoner=OuterRef("pk"), visibility="public").order_by("-created")
    Prisoner.objects.update(
        public_changed=Greatest(
            F("updated"),
            Coalesce(Subquery(incident.values("updated")[:1]), F("updated")),
            Coalesce(Subquery(contact.values("created")[:1]), F("updated")),
        )
    )
    check_foreign_keys_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0010_links_are_web_addresses"),
        ("events", "0005_links_are_web_addresses"),
    ]

    operations = [
        migrations.AddField(
            model_name="prisoner",
            name="public_changed",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                help_text="When what the public sees of the case (the record, or a public record on its page) last "
                "changed.",
                verbose_name="last public change",
            ),
        ),
        migrations.RunPython(date_last_public_changes, migrations.RunPython.noop, elidable=True),
        # A unique column is added empty, filled, then made unique (one identifier for all would collide).
        migrations.AddField(
            model_name="custodyperiod",
            name="public_id",
            field=models.CharField(editable=False, max_length=12, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="custodyperiod",
            name="public_id",
            field=models.CharField(
                default=casetracker.public_record.new_public_id,
                editable=False,
                help_text="Names the record on public pages (anchors, the case JSON) instead of its database id, "
                "which would tell how many records, internal ones included, were made in between.",
                max_length=12,
                unique=True,
                verbose_name="public identifier",
            ),
        ),
    ]
