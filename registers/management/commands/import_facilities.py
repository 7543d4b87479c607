from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a list of facilities (CSV or XLSX), with addresses and coordinates; --dry-run says what would happen."
    )
    kind = "facilities"
