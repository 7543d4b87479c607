"""The filters of the public prisoner list (shared by the page and the CSV and JSON exports) and facility list."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Party
from prisoners import lapse as lapse_rule
from prisoners import search
from prisoners.models import Facility, Prisoner
from prisoners.status import Status, in_custody_condition

from .casefile import listed_prisoners
from .pagination import Key, SeekPaginator
from .widgets import PlainSelect

MAX_QUERY_LENGTH = 200

# A lapse only means something while in custody: the others follow.
CUSTODY_RANK = Case(When(in_custody_condition(), then=Value(0)), default=Value(1), output_field=IntegerField())


def longest_without(party):
    # The longest lapse is the earliest stored date; no contact data sorts last.
    return [Key("custody_rank"), Key(lapse_rule.names(party).since_latest), Key("name")]


# A name search's own order (prisoners.search): best match first, then name.
BEST_MATCH = [Key("search_order"), Key("name")]

# sort -> (label, keys); the primary key ends every one (SeekPaginator), so pages never shuffle.
SORTS = {
    "name": (_("Name (A–Z)"), [Key("name")]),
    "detained": (_("Date detained (earliest first)"), [Key("detained"), Key("detained_latest"), Key("name")]),
    "-detained": (
        _("Date detained (most recent first)"),
        [Key("detained", descending=True), Key("detained_latest", descending=True), Key("name")],
    ),
    Party.LAWYER: (_("Longest without lawyer contact"), longest_without(Party.LAWYER)),
    Party.FAMILY: (_("Longest without family contact"), longest_without(Party.FAMILY)),
}


def public_regions():
    """The regions of the facilities public records name: the choices of the "region" filter."""
    regions = Facility.objects.public().exclude(region="").order_by("region").values_list("region", flat=True)
    return [(region, region) for region in regions.distinct()]


def public_facilities():
    """The facilities public records name, by slug: the choices of the "held at" filter (plain values: a
    large register names a thousand)."""
    named = Facility.objects.public().values_list("slug", "name", "city")
    return [(slug, Facility.label(name, city)) for slug, name, city in named]


def name_query(help_text, label=pgettext_lazy("a person's", "Name")):
    """The name search box: any spelling, script or word order (prisoners.search), at most MAX_QUERY_LENGTH
    characters; NUL bytes are refused by the form, so they never reach the database."""
    return django_filters.CharFilter(
        label=label,
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
    q = name_query(_("Any spelling, script or word order: Maria Kolesnikova, Калеснікава, Kalesn …"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("Any status"))
    facility = django_filters.ChoiceFilter(
        label=_("Held at"),
        choices=public_facilities,
        method="held_at",
        empty_label=_("Any facility"),
        widget=PlainSelect,
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=public_regions, method="held_in", empty_label=_("Any region"), widget=PlainSelect
    )
    cut_off_lawyer = django_filters.BooleanFilter(
        label=_("Cut off from their lawyer now"), widget=forms.CheckboxInput, method="cut_off"
    )
    cut_off_family = django_filters.BooleanFilter(
        label=_("Cut off from their family now"), widget=forms.CheckboxInput, method="cut_off"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _keys) in SORTS.items()],
        method="sort_by",
        empty_label=_("Best match, then name"),
    )

    class Meta:
        model = Prisoner
        fields = ["q", "status", "facility", "region", "cut_off_lawyer", "cut_off_family", "sort"]

    def __init__(self, data=None, queryset=None, **kwargs):
        queryset = listed_prisoners() if queryset is None else queryset
        super().__init__(data, queryset.annotate(custody_rank=CUSTODY_RANK), **kwargs)

    @property
    def qs(self):
        """The matching prisoners, in the chosen sort order."""
        return super().qs.order_by(*self.paginator(0).ordering())

    @property
    def narrowing(self):
        """How many filters besides the name search are in use: on a phone, the filters open only then."""
        self.is_valid()
        return sum(1 for name in self.Meta.fields if name != "q" and self.form.cleaned_data.get(name))

    def paginator(self, per_page):
        self.is_valid()  # fills cleaned_data with every filter that is valid; a bad sort falls back
        found = super().qs
        sort = self.form.cleaned_data.get("sort")
        if sort:
            keys = SORTS[sort][1]
        else:
            keys = BEST_MATCH if "search_order" in found.query.annotations else SORTS["name"][1]
        return SeekPaginator(found, keys, per_page, rows=self.queryset)  # rows read without the filters again

    def search(self, queryset, name, value):
        found = queryset.search(value)  # best match first, unless sorted otherwise
        if "search_rank" not in found.query.annotations:
            return found  # a query without words finds no one
        return found.annotate(search_order=search.BEST_FIRST)

    def held_at(self, queryset, name, value):
        return queryset.held_at(Facility.objects.get(slug=value))

    def held_in(self, queryset, name, value):
        return queryset.held_at(region=value)

    def cut_off(self, queryset, name, value):
        party = name.removeprefix("cut_off_")
        return queryset.filter(lapse_rule.overdue_condition(party)) if value else queryset

    def sort_by(self, queryset, name, value):
        return queryset  # applied by `qs` and `paginator`, which need the keys themselves


class FacilityFilter(ErrorMessages, django_filters.FilterSet):
    q = name_query(_("Any spelling or script: Homiel, Gomel, Гомель …"), label=pgettext_lazy("a facility's", "Name"))

    class Meta:
        model = Facility
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.search(value)
