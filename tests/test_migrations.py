"""Migrations: none missing, every one reversible, the latest ones round-trip with the record intact,
and an app migrated back never takes another app's tables with it unasked."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from casetracker.demo import load_demo
from tests.conftest import case_models


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    output = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit:
        pytest.fail(f"Models changed without a migration:\n{output.getvalue()}")


OUR_APPS = ["events", "prisoners", "alerts", "publicsite", "registers", "review"]


def applied(app_label):
    return set(MigrationRecorder(connection).applied_migrations()) & {
        key for key in MigrationLoader(connection).graph.nodes if key[0] == app_label
    }


@pytest.mark.django_db
def test_migrating_an_app_back_never_unapplies_another_apps_migrations_unasked():
    alerts_before = applied("alerts")
    with pytest.raises(CommandError) as refused:
        call_command("migrate", "prisoners", "0001", verbosity=0)
    assert "would also unapply, dropping their tables and data: " in str(refused.value)
    assert "alerts.0001_initial" in str(refused.value) and "--unapply-dependents" in str(refused.value)
    assert applied("alerts") == alerts_before  # nothing was undone


def test_every_operation_of_ours_can_be_reversed():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    irreversible = [
        f"{app}.{name}: {operation.describe()}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in OUR_APPS
        for operation in migration.operations
        if not operation.reversible
    ]
    assert irreversible == []


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_latest_migrations_go_back_and_forward_keeping_the_record():
    load_demo()
    counts = {model._meta.label: model._base_manager.count() for model in case_models()}
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    leaves = [node for node in graph.leaf_nodes() if node[0] in OUR_APPS]

    def before(node):  # the app's previous migration (None: none)
        return next((parent[1] for parent in graph.node_map[node].parents if parent[0] == node[0]), None)

    back = {app: before((app, name)) for app, name in leaves}
    while redone := [
        migration.app_label for migration, backwards in executor.migration_plan(back.items()) if not backwards
    ]:
        for app in redone:  # undone for another app's step back, then redone: step this app back past it too
            back[app] = before((app, back[app]))
    executor.migrate(list(back.items()))
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)
    assert {model._meta.label: model._base_manager.count() for model in case_models()} == counts
