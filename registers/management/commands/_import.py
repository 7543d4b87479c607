"""What the import_prisoners and import_facilities commands share: the options and the report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _

from registers import importer


def column_mapping(text):
    """--columns "Header=field,Other header=field" -> {"Header": "field", …}."""
    mapping = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        header, separator, field = pair.partition("=")
        if not separator or not header.strip() or not field.strip():
            raise CommandError(_("--columns: %(pair)s is not HEADER=field.") % {"pair": repr(pair)})
        mapping[header.strip()] = field.strip()
    return mapping


class ImportCommand(BaseCommand):
    kind = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would happen; write nothing.")
        parser.add_argument(
            "--columns", default="", help='Map other headers onto fields: "Full name=name,Articles=charges".'
        )
        if self.kind == "prisoners":
            parser.add_argument(
                "--register", default="", help="Whose IDs the register_id column holds (default: the file's name)."
            )

    @no_translations  # the shared messages are translated for the admin; the command speaks English
    def handle(self, *args, file, dry_run, columns, register="", verbosity=1, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        report = importer.run(
            self.kind,
            file_name=path.name,
            data=data,
            mapping=column_mapping(columns),
            register=register,
            dry_run=dry_run,
        )
        for problem in report.problems:
            self.stderr.write(str(problem))
        if verbosity >= 1:
            for outcome in report.outcomes:
                if outcome.action != "unchanged" or verbosity >= 2:
                    self.stdout.write(str(outcome))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
