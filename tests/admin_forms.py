"""Build the POST data an admin change form would submit, from the form the admin rendered."""


def _field_values(form, data):
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = str(value)


def admin_form_data(response):
    data = {}
    _field_values(response.context["adminform"].form, data)
    inlines = response.context.get("inline_admin_formsets") or []  # history forms have none
    for inline in inlines:
        formset = inline.formset
        _field_values(formset.management_form, data)
        for form in formset.forms:
            _field_values(form, data)
    return data


def add_inline_row(data, prefix, values):
    """Append one new row to the inline formset `prefix`."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    return data
