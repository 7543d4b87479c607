"""Name-variant visibility.

Name variants get a public flag, internal by default; every variant already on record was shown on the public
site, so it is marked public here and nothing visible disappears. The name index records which spellings are
public: all of them so far.
"""

from django.db import migrations, models


def variants_on_record_stay_public(apps, schema_editor):
    for model in ("NameVariant", "HistoricalNameVariant"):
        apps.get_model("prisoners", model).objects.update(public=True)


class Migration(migrations.Migration):

    dependencies = [
        ('prisoners', '0010_links_are_web_addresses'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalnamevariant',
            name='public',
            field=models.BooleanField(default=False, help_text='Shown on the public site and found by its search. Internal variants are found only in the admin and by duplicate checks. Only editors can make a variant public.', verbose_name='shown publicly'),
        ),
        migrations.AddField(
            model_name='indexedname',
            name='public',
            field=models.BooleanField(default=True),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='indexedword',
            name='public',
            field=models.BooleanField(default=True),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='namevariant',
            name='public',
            field=models.BooleanField(default=False, help_text='Shown on the public site and found by its search. Internal variants are found only in the admin and by duplicate checks. Only editors can make a variant public.', verbose_name='shown publicly'),
        ),
        migrations.RunPython(variants_on_record_stay_public, migrations.RunPython.noop, elidable=False),
    ]
