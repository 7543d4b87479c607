from django.core.management.base import BaseCommand, CommandError

from prisoners import facility_names


class Command(BaseCommand):
    help = "Recompute which facilities a public page may name and repair what drifted from the stored flag."

    def add_arguments(self, parser):
        parser.add_argument("--no-repair", action="store_true", help="Only report; exit non-zero if anything drifted.")

    def handle(self, *args, no_repair, **options):
        wrong = facility_names.check(repair=not no_repair)
        if wrong and no_repair:
            raise CommandError(f"{len(wrong)} facilities disagree with the rule: {wrong[:10]}.")
        self.stdout.write(f"{len(wrong)} facilities repaired." if wrong else "Every facility agrees with the rule.")
