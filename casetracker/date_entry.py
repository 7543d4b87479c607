"""One field for an approximate date, typed as people write it and shown back the same way.

Reports say "mid-July 2025", "March 2025", "2025", "late August 2025", "14.03.2025". The admin used to
ask for a day and a separate precision menu, and silently moved a typed 15/07/2025 with "mid-month"
to the 11th (the earliest day of the range). Here the text is read by the same parser as register
imports (casetracker.written) into the day and its precision; the precision column stays in the form,
hidden, and is filled from the text. On a record with a start and an end, a period typed as the start
("summer 2026", "between June and August 2026") fills both.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import ApproximateDate, ApproximateDayField, Precision
from .written import ParseError, looks_like_a_period, parse_date, parse_range

# Translators: dates as a source in your language writes them; the field reads Belarusian, Russian and English.
EXAMPLES = gettext_lazy("14.03.2025, mid-July 2025, early March 2025, March 2025, 2025")
PERIOD_HELP = gettext_lazy("A period (“summer 2025”, “between June and August 2025”) fills the end too.")


class ApproximateDateEntry(forms.CharField):
    """Text in, an `ApproximateDate` out (None when empty); a message naming the accepted forms otherwise."""

    # Set by the form on a period's start date (a record with a start and an end): a period typed there
    # ("summer 2026", "between June and August 2026") fills both.
    takes_period = False

    def __init__(self, *, precision_field, **kwargs):
        self.precision_field = precision_field
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": EXAMPLES, "size": 24, "class": "approximate-date"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, ApproximateDate):
            return value
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except ParseError as error:
            try:
                period = parse_range(text)
            except ParseError as not_a_period:
                shown = not_a_period if self.takes_period and looks_like_a_period(text) else error
                raise ValidationError(str(shown), code="invalid") from error
            if self.takes_period:
                return period
            raise ValidationError(
                _('"%(text)s" is a period; this is one date: the day, month or year the source gives.')
                % {"text": text},
                code="period",
            ) from error

    def prepare_value(self, value):
        return str(value) if isinstance(value, ApproximateDate) else value

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


def entry_for(db_field, **kwargs):
    """The form field for a model's approximate day column (`ApproximateDayField`)."""
    return ApproximateDateEntry(
        precision_field=db_field.precision_field,
        required=not db_field.blank,
        label=capfirst(db_field.verbose_name),
        help_text=db_field.help_text or _("As the source writes it, e.g. %(examples)s.") % {"examples": EXAMPLES},
        **kwargs,
    )


class ApproximateDateForm:
    """A model form whose approximate dates are `ApproximateDateEntry` fields: shown as written, saved as day and
    precision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self._date_entries():
            precision = self.fields.get(field.precision_field)
            if precision is not None:
                precision.widget, precision.required = forms.HiddenInput(), False
            field.takes_period = name == "start" and isinstance(self.fields.get("end"), ApproximateDateEntry)
            if field.takes_period:
                field.help_text = f"{field.help_text} {PERIOD_HELP}"
            day = self.initial.get(name)
            if isinstance(day, datetime.date):
                level = self.initial.get(field.precision_field) or getattr(self.instance, field.precision_field, None)
                self.initial[name] = ApproximateDate(day, level or Precision.DAY)

    def _date_entries(self):
        return [(name, field) for name, field in self.fields.items() if isinstance(field, ApproximateDateEntry)]

    def _clean_fields(self):
        # Right after the fields, so the form's own checks (and the model's) see a day and a precision as before.
        super()._clean_fields()
        if isinstance(self.cleaned_data.get("start"), tuple):
            self._period_from_start()
        for name, field in self._date_entries():
            if name not in self.cleaned_data:
                continue  # refused: its message is next to it
            value = self.cleaned_data[name]
            if isinstance(value, ApproximateDate):
                self.cleaned_data[name], level = value.day, value.precision
            else:
                level = self.cleaned_data.get(field.precision_field) or Precision.DAY
            self.cleaned_data[field.precision_field] = level
            if field.precision_field not in self.fields:  # a form without the column: set on the record itself
                setattr(self.instance, field.precision_field, level)

    def _period_from_start(self):
        """A period typed as the start: its first date is the start, its last the end (unless another end was typed:
        then the user says which)."""
        first, last = self.cleaned_data["start"]
        end = self.cleaned_data.get("end")
        if end is not None and end != last and "end" in self.cleaned_data:
            self.add_error(
                "start",
                _("This period ends %(last)s, but the end date says %(end)s: clear one of them.")
                % {"last": last, "end": end},
            )
            return
        self.cleaned_data["start"], self.cleaned_data["end"] = first, last
        self.data = self.data.copy()  # shown back as two dates if the form comes back with another error
        self.data[self.add_prefix("start")], self.data[self.add_prefix("end")] = str(first), str(last)


class ApproximateDateAdmin:
    """For ModelAdmin and inlines: every approximate date is one text field."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, ApproximateDayField):
            return entry_for(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
