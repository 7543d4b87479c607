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


def after_load(log=print):
    """Run every derived-data command the app has; returns the command lines that ran."""
    available = get_commands()
    ran = []
    for name, arguments in DERIVED_DATA_COMMANDS:
        if name in available:
            call_command(name, *arguments)
            ran.append(" ".join([name, *arguments]))
    log(f"  after_load: ran {', '.join(ran)}" if ran else "  after_load: no derived-data command to run")
    return ran
