"""The filters of the public prisoner list (shared by the page and the CSV and JSON exports) and facility list."""

import django_filters
from django import forms
from django.db.models import Case, F, Value, When

from events.models import Party
from prisoners import lapse as lapse_rule
from prisoners.models import Facility, Prisoner
from prisoners.status import Status, in_custody_condition

from .casefile import public_prisoners

MAX_QUERY_LENGTH = 200

# A lapse only means something while in custody: the others follow.
IN_CUSTODY_FIRST = Case(When(in_custody_condition(), then=Value(0)), default=Value(1))


def longest_without(party):
    return [IN_CUSTODY_FIRST, F(lapse_rule.names(party).days).desc(nulls_last=True)]


# sort key -> (label, ordering); name and pk end every ordering, so pages never shuffle.
SORTS = {
    "name": ("Name (A–Z)", []),
    "detained": ("Date detained (earliest first)", [F("detained").asc(nulls_last=True), "detained_latest"]),
    "-detained": ("Date detained (most recent first)", [F("detained").desc(nulls_last=True), "-detained_latest"]),
    Party.LAWYER: ("Longest without lawyer contact", longest_without(Party.LAWYER)),
    Party.FAMILY: ("Longest without family contact", longest_without(Party.FAMILY)),
}


def public_regions():
    regions = Facility.objects.public().exclude(region="").values_list("region", flat=True)
    return [(region, region) for region in sorted(set(regions))]


def name_query(help_text):
    """The name search box: any spelling, script or word order (prisoners.search), at most MAX_QUERY_LENGTH
    characters; NUL bytes are refused by the form, so they never reach the database."""
    return django_filters.CharFilter(
        label="Name",
        method="search",
        max_length=MAX_QUERY_LENGTH,
        help_text=help_text,
        widget=forms.TextInput(attrs={"type": "search", "aria-describedby": "id_q_help"}),
    )


class ErrorMessages:
    def error_messages(self):
        """What was wrong with the query, one message per field."""
        return [f"{self.form.fields[field].label}: {' '.join(errors)}" for field, errors in self.form.errors.items()]


class PrisonerFilter(ErrorMessages, django_filters.FilterSet):
    q = name_query("Any spelling, script or word order: Maria Kolesnikova, Калеснікава, Kalesn …")
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    facility = django_filters.ModelChoiceFilter(
        label="Held at",
        queryset=Facility.objects.public(),
        to_field_name="slug",
        method="held_at",
        empty_label="Any facility",
    )
    region = django_filters.ChoiceFilter(
        label="Region", choices=public_regions, method="held_in", empty_label="Any region"
    )
    cut_off_lawyer = django_filters.BooleanFilter(
        label="Cut off from their lawyer now", widget=forms.CheckboxInput, method="cut_off"
    )
    cut_off_family = django_filters.BooleanFilter(
        label="Cut off from their family now", widget=forms.CheckboxInput, method="cut_off"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="sort_by",
        empty_label="Best match, then name",
    )

    class Meta:
        model = Prisoner
        fields = ["q", "status", "facility", "region", "cut_off_lawyer", "cut_off_family", "sort"]

    def __init__(self, data=None, queryset=None, **kwargs):
        queryset = public_prisoners() if queryset is None else queryset
        super().__init__(data, queryset.order_by("name", "pk"), **kwargs)

    def search(self, queryset, name, value):
        return queryset.search(value)  # best match first, unless sorted otherwise

    def held_at(self, queryset, name, value):
        return queryset.held_at(value)

    def held_in(self, queryset, name, value):
        return queryset.held_at(region=value)

    def cut_off(self, queryset, name, value):
        party = name.removeprefix("cut_off_")
        return queryset.filter(lapse_rule.overdue_condition(party)) if value else queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1], "name", "pk")


class FacilityFilter(ErrorMessages, django_filters.FilterSet):
    q = name_query("Any spelling or script: Homiel, Gomel, Гомель …")

    class Meta:
        model = Facility
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.search(value)
