from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a register of prisoners (CSV or XLSX): each row read and matched to who is on record, "
        "then everything written in one transaction, or nothing. --dry-run says what would happen."
    )
    kind = "prisoners"
