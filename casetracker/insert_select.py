"""INSERT … SELECT: rows made by the database from the rows of a query, for writes too many to build as model
instances one by one (the first alert scan of a large register opens tens of thousands of alerts)."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import NOT_PROVIDED, Value
from django.db.models.functions import Cast


def insert_from(queryset, model, values):
    """Insert a `model` row for each row of `queryset`, in one statement, in the order of the queryset's primary key:
    `values` maps field names to expressions over the queryset's rows. The values are stored as given: no `save()`
    runs, so a field `save()` would derive (an approximate date's latest day) must be given too. Every other field
    takes its default (one value for every row), "" for text, else NULL; a field the database fills (`db_default`)
    is left to it. A row that would break a unique constraint is skipped, as `bulk_create(ignore_conflicts=True)`
    skips it. Returns the primary keys inserted."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    unknown = set(values) - {field.name for field in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    columns, expressions = [], []
    for field in fields:
        if field.name in values:
            expression = values[field.name]
        elif field.db_default is not NOT_PROVIDED:
            continue
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raise ValueError(f"{model.__name__}.{field.name} is set by save(): give its value")
        elif field.unique and callable(field.default):
            raise ValueError(f"{model.__name__}.{field.name} needs a value of its own for each row: give it")
        else:
            # Typed, or PostgreSQL would take a NULL from the subquery below for text.
            expression = Cast(Value(field.get_default(), output_field=field), output_field=field)
        columns.append(field.column)
        expressions.append(expression)
    aliases = {f"insert_{index}": expression for index, expression in enumerate(expressions)}  # no clash with fields
    rows = queryset.order_by("pk").annotate(**aliases).values_list(*aliases)  # one order: concurrent inserts queue
    try:
        select, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # filtered on an empty list: nothing to insert
        return []
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    # The rows as a subquery with a WHERE of its own: SQLite would read `… FROM t ON CONFLICT` as a join's ON.
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) "
        f"SELECT * FROM ({select}) AS insert_rows WHERE true "
        f"ON CONFLICT DO NOTHING RETURNING {quote(model._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]
