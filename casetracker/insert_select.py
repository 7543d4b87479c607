"""INSERT … SELECT: rows made by the database from the rows of a query, for writes too many to build as model
instances one by one (the first alert scan of a large register opens tens of thousands of alerts)."""

from django.db import connections
from django.db.models import Value


def insert_from(queryset, model, values):
    """Insert a `model` row for each row of `queryset`, in one statement: `values` maps field names to expressions
    over the queryset's rows; every other field is what a new instance would hold. A row that would break a unique
    constraint is skipped, as `bulk_create(ignore_conflicts=True)` skips it. Returns the primary keys inserted."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    # The other fields as a new instance has them: the default, "" for text, else NULL.
    expressions = [values.get(field.name, Value(field.get_default(), output_field=field)) for field in fields]
    aliases = {f"insert_{index}": expression for index, expression in enumerate(expressions)}  # no clash with fields
    rows = queryset.order_by().annotate(**aliases).values_list(*aliases)
    select, params = rows.query.get_compiler(using=rows.db).as_sql()
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # SQLite reads `SELECT … FROM t ON CONFLICT` as a join's ON: a WHERE before it keeps the statement unambiguous.
    if " WHERE " not in select:
        raise ValueError("insert_from() needs a filtered queryset")
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) {select} "
        f"ON CONFLICT DO NOTHING RETURNING {quote(model._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]
