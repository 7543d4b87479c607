"""Public addresses and name-variant visibility.

Name variants get a public flag, internal by default; every variant already on record was shown on the public
site, so it is marked public here and nothing visible disappears. The name index records which spellings are
public: all of them so far. Former slugs are kept (PreviousSlug); a slug's rules are in prisoners/addresses.py.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def variants_on_record_stay_public(apps, schema_editor):
    for model in ("NameVariant", "HistoricalNameVariant"):
        apps.get_model("prisoners", model).objects.update(public=True)


class Migration(migrations.Migration):

    dependencies = [
        ('prisoners', '0011_public_changed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
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
        migrations.AlterField(
            model_name='historicalprisoner',
            name='slug',
            field=models.SlugField(blank=True, error_messages={'unique': 'Another prisoner has this slug.'}, help_text="The case page's address: /prisoners/<slug>/. Only editors change it; leave it empty to make one from the display name. A published case's address may hold only words of its display name, “case”, and codes of up to four letters and digits with a digit in them (maria-kalesnikava-7k2m, case-7k2m). An address the public has seen redirects to the new one.", max_length=80, validators=[django.core.validators.RegexValidator('\\A[a-z0-9]+(?:-[a-z0-9]+)*\\Z', 'Use lower-case letters a–z and digits, words joined by single hyphens (maria-kalesnikava-7k2m).', code='address_format')]),
        ),
        migrations.AlterField(
            model_name='prisoner',
            name='slug',
            field=models.SlugField(blank=True, error_messages={'unique': 'Another prisoner has this slug.'}, help_text="The case page's address: /prisoners/<slug>/. Only editors change it; leave it empty to make one from the display name. A published case's address may hold only words of its display name, “case”, and codes of up to four letters and digits with a digit in them (maria-kalesnikava-7k2m, case-7k2m). An address the public has seen redirects to the new one.", max_length=80, unique=True, validators=[django.core.validators.RegexValidator('\\A[a-z0-9]+(?:-[a-z0-9]+)*\\Z', 'Use lower-case letters a–z and digits, words joined by single hyphens (maria-kalesnikava-7k2m).', code='address_format')]),
        ),
        migrations.CreateModel(
            name='HistoricalPreviousSlug',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80)),
                ('was_public', models.BooleanField(default=False, help_text='The prisoner was published while it had this slug: links to it redirect to the case now.', verbose_name='the public saw it')),
                ('replaced', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('prisoner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='prisoners.prisoner')),
            ],
            options={
                'verbose_name': 'historical former slug',
                'verbose_name_plural': 'historical former slugs',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='PreviousSlug',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=80, unique=True)),
                ('was_public', models.BooleanField(default=False, help_text='The prisoner was published while it had this slug: links to it redirect to the case now.', verbose_name='the public saw it')),
                ('replaced', models.DateTimeField(auto_now_add=True)),
                ('prisoner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='previous_slugs', to='prisoners.prisoner')),
            ],
            options={
                'verbose_name': 'former slug',
                'ordering': ['-replaced', 'pk'],
            },
        ),
    ]
