import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from casetracker.accounts import create_staff_user
from casetracker.roles import ROLES


class Command(BaseCommand):
    help = "Create a staff account in one role; the password is asked for (or read from --password-stdin)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--email", default="")
        parser.add_argument("--password-stdin", action="store_true", help="Read the password from standard input.")

    def handle(self, *args, username, role, email, password_stdin, **options):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(f"Password for {username}: ")
        try:
            create_staff_user(username, ROLES[role], password=password, email=email)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Created {username} ({ROLES[role]}).")
