from django.core.management.base import BaseCommand, CommandError

from alerts import services
from casetracker.text import counted


class Command(BaseCommand):
    help = (
        "Send the alert notices that are due (mail and channels); with --now, every pending one whatever its "
        "back-off (after an outage)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Do not wait out the back-off of refused notices.")

    def handle(self, *args, now, **options):
        sent, failed = services.flush_pending() if now else services.send_pending()
        self.stdout.write(f"{counted(sent, 'notice')} sent.")
        if failed:
            raise CommandError(f"{failed} could not be sent; they stay pending and will be retried.")
