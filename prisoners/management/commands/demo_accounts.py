from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casetracker.accounts import ensure_demo_accounts


class Command(BaseCommand):
    help = "Create one local account per role (editor, researcher, alerts) and print how to log in. DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Base URL to print.")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local use only; with DEBUG off, use create_staff_user.")
        accounts = ensure_demo_accounts(settings.VAR_DIR / "demo-accounts.txt")
        self.stdout.write(f"\nAdmin: {url.rstrip('/')}/admin/  (passwords are kept in var/demo-accounts.txt)")
        for username, role, password in accounts:
            self.stdout.write(f"  {role:<12} user {username:<11} password {password}")
        self.stdout.write("")
