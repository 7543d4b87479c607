"""Store the export rows that are missing or out of date (beat does this every few minutes; publicsite.export_rows).

manage.py refresh_export_rows
"""

from django.core.management.base import BaseCommand

from publicsite import export_rows


class Command(BaseCommand):
    help = (
        "Store the rows of /prisoners.csv and .json that are missing or out of date; drop those of unpublished cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Build every row again, current or not.")

    def handle(self, **options):
        stored, dropped = export_rows.refresh(everything=options["all"])
        self.stdout.write(f"{stored} export rows stored, {dropped} dropped.")
