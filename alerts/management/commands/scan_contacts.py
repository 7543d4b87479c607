from django.core.management.base import BaseCommand, CommandError

from alerts import services


class Command(BaseCommand):
    help = "Run the contact-lapse scan now (what Celery beat runs on schedule) and send the digest."

    def handle(self, *args, **options):
        result = services.scan()
        sent, failed = services.send_pending()
        self.stdout.write(f"{result}; {sent} mails sent.")
        if failed:
            raise CommandError(f"{failed} mails could not be sent; they stay pending and will be retried.")
