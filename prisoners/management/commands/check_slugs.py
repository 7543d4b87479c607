from django.core.management.base import BaseCommand, CommandError

from prisoners import addresses
from prisoners.models import Prisoner


class Command(BaseCommand):
    help = (
        "List published prisoners whose slug holds words that are not in their display name (slugs made before "
        "the address rule): an editor should give each a new slug. Exits non-zero when there are any."
    )

    def handle(self, *args, **options):
        found = list(addresses.published_against_the_rule(Prisoner.objects.all()))
        for prisoner, words in found:
            self.stdout.write(f"{prisoner.slug}  (shown as “{prisoner.name}”; not in it: {', '.join(words)})")
        if found:
            raise CommandError(f"{len(found)} published slugs break the address rule: change them in the admin.")
        self.stdout.write("Every published slug keeps to the address rule.")
