"""Reading a relation before anything is saved."""


def related(instance, name):
    """The object `instance.<name>` points at, saved or not (an inline row on an admin add page points at
    its parent before the parent is saved, so a check that asked only `<name>_id` would be skipped there),
    or None when it points nowhere."""
    field = instance._meta.get_field(name)
    if field.is_cached(instance):
        return field.get_cached_value(instance)
    return getattr(instance, name) if getattr(instance, field.attname) is not None else None
