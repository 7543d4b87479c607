"""What the app derives from the loaded rows by itself.

The generator writes rows with COPY, past every save() and signal. Derived data the app keeps
of its own (stored contact lapses, which facilities public pages name, the name-search index, the
exports' stored rows) is then rebuilt the way the app rebuilds it: by its management commands.
"""

from django.core.management import call_command, get_commands

# (command, arguments), run in this order when the app has them.
DERIVED_DATA_COMMANDS = [
    ("check_lapses", []),  # fills and repairs every stored contact lapse
    ("check_facilities", []),  # which facilities a public page may name
    ("reindex_names", []),
    ("refresh_export_rows", []),  # the stored rows of the open-data exports
]
# Derived data every migrate retires (publicsite.page_cache.after_migrate), even one that applies nothing.
AFTER_MIGRATE_COMMANDS = [("refresh_export_rows", [])]


def after_load(log=print):
    """Run every derived-data command the app has; returns the command lines that ran."""
    return _run(DERIVED_DATA_COMMANDS, "after_load", log)


def after_migrate(log=print):
    """Rebuild what a migrate retired, when reusing a dataset."""
    return _run(AFTER_MIGRATE_COMMANDS, "after_migrate", log)


def _run(commands, when, log):
    available = get_commands()
    ran = []
    for name, arguments in commands:
        if name in available:
            call_command(name, *arguments)
            ran.append(" ".join([name, *arguments]))
    log(f"  {when}: ran {', '.join(ran)}" if ran else f"  {when}: no derived-data command to run")
    return ran
