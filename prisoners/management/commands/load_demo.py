from django.core.management.base import BaseCommand

from casetracker.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo case (the joint statement on Maria Kalesnikava). Safe to run again: it changes nothing."

    def handle(self, *args, **options):
        saved = load_demo()
        self.stdout.write(f"Demo data loaded: {saved} records written." if saved else "Demo data already up to date.")
