import time

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection


class Command(BaseCommand):
    help = (
        "Wait until the database answers, for a process started beside it (the compose stack's migrate step). "
        "Exit 1 if it has not within --timeout seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=120, help="Seconds to wait at most (default 120).")

    def handle(self, *args, timeout, **options):
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection.ensure_connection()
                return
            except OperationalError as error:
                reason = (str(error).strip() or type(error).__name__).splitlines()[0]
                if time.monotonic() >= deadline:
                    raise CommandError(f"The database did not answer within {timeout:g} seconds: {reason}") from None
                self.stderr.write(f"Waiting for the database: {reason}")
                time.sleep(1)
