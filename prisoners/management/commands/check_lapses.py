from django.core.management.base import BaseCommand, CommandError

from prisoners import clocks


class Command(BaseCommand):
    help = (
        "Recompute every prisoner's contact lapse from the records and compare it with the stored one; "
        "repair what drifted (the alert scan checks a slice of them every run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-repair", action="store_true", help="Only report; exit non-zero if anything drifted.")

    def handle(self, *args, no_repair, **options):
        result = clocks.check(repair=not no_repair)
        if no_repair and (result.missing or result.drifted):
            raise CommandError(str(result))
        self.stdout.write(f"{result}{' Repaired.' if result.missing or result.drifted else ''}")
