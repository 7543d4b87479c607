from django.core.management.base import BaseCommand, CommandError

from casetracker import backups


class Command(BaseCommand):
    help = (
        "Restore a database dump (bin/backup's) into a scratch database and compare every table's rows, and the "
        "uploaded files' archive, with the database and MEDIA_ROOT the settings name. Exit 1 if they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", help="a pg_dump file in custom format (casetracker-<time>.dump)")
        parser.add_argument("--media", help="the uploaded files' archive of the same backup (media-<time>.tar.gz)")

    def handle(self, *args, dump, media, **options):
        try:
            comparison = backups.check(dump, media)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if comparison.differences:
            raise CommandError(str(comparison))
        self.stdout.write(str(comparison))
