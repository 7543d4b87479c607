from django.core.management.base import BaseCommand, CommandError

from alerts import services


class Command(BaseCommand):
    help = "Send the alert mail that is due; with --now, every pending mail whatever its back-off (after an outage)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Do not wait out the back-off of refused mail.")

    def handle(self, *args, now, **options):
        sent, failed = services.flush_pending() if now else services.send_pending()
        self.stdout.write(f"{sent} {'mail' if sent == 1 else 'mails'} sent.")
        if failed:
            raise CommandError(f"{failed} could not be sent; they stay pending and will be retried.")
