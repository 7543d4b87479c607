from django.core.management.base import BaseCommand, CommandError

from alerts import services
from casetracker.text import counted


class Command(BaseCommand):
    help = "Run the contact-lapse scan now (what Celery beat runs on schedule) and send the notices it records."

    def handle(self, *args, **options):
        result = services.scan()
        sent, failed = services.send_pending()
        self.stdout.write(f"{result}; {counted(sent, 'notice')} sent.")
        if failed:
            raise CommandError(f"{counted(failed, 'notice')} could not be sent; they stay pending and will be retried.")
