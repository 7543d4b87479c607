from django.core.management.base import BaseCommand

from prisoners.search import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the name index that search reads, from every prisoner's, facility's and lawyer's names. Saving "
        "keeps it current; run this after writing names in bulk (SQL COPY, bulk_create, queryset.update)."
    )

    def handle(self, *args, **options):
        counts = rebuild()
        self.stdout.write("Name index rebuilt: " + ", ".join(f"{n} {kind} records" for kind, n in counts.items()) + ".")
