"""`migrate`, refusing to unapply another app's migrations unasked.

Django migrates an app back by also unapplying every migration of other apps that depends on the
ones undone: `migrate prisoners 0010` would drop the alert tables, and every alert with them,
without a word. Here that plan is shown and refused unless `--unapply-dependents` confirms it.
"""

from django.core.management import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.executor import MigrationExecutor


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Migrating an app back never unapplies another app's migrations unless asked."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--unapply-dependents",
            action="store_true",
            help="Also unapply the other apps' migrations that depend on those undone (their tables are dropped).",
        )

    def handle(self, *args, **options):
        app_label, name = options.get("app_label"), options.get("migration_name")
        if app_label and name and not options["unapply_dependents"]:
            others = self._dependents_undone(connections[options["database"]], app_label, name)
            if others:
                raise CommandError(
                    f"Migrating {app_label} back to {name} would also unapply, dropping their tables and data: "
                    f"{', '.join(others)}. Back the database up, then run again with --unapply-dependents."
                )
        return super().handle(*args, **options)

    @staticmethod
    def _dependents_undone(connection, app_label, name):
        executor = MigrationExecutor(connection)
        if name == "zero":
            target = (app_label, None)
        else:
            try:
                target = (app_label, executor.loader.get_migration_by_prefix(app_label, name).name)
            except (AmbiguityError, KeyError):
                return []  # Django's own command says what is wrong with the name
        plan = executor.migration_plan([target])
        return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan
                if backwards and migration.app_label != app_label]  # fmt: skip
