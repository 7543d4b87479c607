from django.core.management.base import BaseCommand
from django.db import connection

from prisoners.search import IndexedName, IndexedWord, rebuild
from prisoners.signals import derived_data_changed


class Command(BaseCommand):
    help = (
        "Rebuild the name index that search reads, from every prisoner's, facility's and lawyer's names. Saving "
        "keeps it current; run this after writing names in bulk (SQL COPY, bulk_create, queryset.update)."
    )

    def handle(self, *args, **options):
        counts = rebuild()
        derived_data_changed.send(sender=IndexedName)  # what public searches find may have changed
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner goes on guessing from the old index's (a search plan off by 10×).
            with connection.cursor() as cursor:
                for model in (IndexedName, IndexedWord):
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')
        self.stdout.write("Name index rebuilt: " + ", ".join(f"{n} {kind} records" for kind, n in counts.items()) + ".")
