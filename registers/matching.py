"""Finding an imported row's person or facility on record: by register ID, by any name in any script,
and what only resembles someone (a decision for the researcher, never a silent second copy)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from casetracker.names import words
from casetracker.text import fold
from events.models import Incident, IncidentKind
from prisoners.models import CustodyPeriod, Facility, Prisoner, Recognition, RegisterEntry
from prisoners.search import IndexedName

from .parsing import ParseError


def folded(name):
    """A name as the name index keeps it (prisoners.search): its folded words."""
    return " ".join(words(name))


def _row_names(values):
    return [folded(name) for name in [values["name"], *(values.get("name_variants") or [])] if folded(name)]


@dataclass
class PeopleOnRecord:
    """The prisoners a batch of rows may be: by register ID, by exact folded name, by slug."""

    by_id: dict = field(default_factory=dict)  # (register, identifier) lower-cased -> prisoner
    by_name: dict = field(default_factory=dict)  # folded name -> prisoners
    by_slug: dict = field(default_factory=dict)
    near_of: dict = field(default_factory=dict)  # id(row values) -> prisoners whose names resemble the row's

    @staticmethod
    def id_keys(values):
        return [(register.lower(), identifier.lower()) for register, identifier in values.get("register_id") or []]

    def exact(self, values):
        """Prisoners on record with a name (or variant) equal, folded, to one of the row's."""
        found = {}
        for name in _row_names(values):
            for prisoner in self.by_name.get(name, []):
                found[prisoner.pk] = prisoner
        return sorted(found.values(), key=lambda prisoner: prisoner.pk)

    def near(self, values):
        """Prisoners whose names resemble the row's (another script or transliteration, a shared surname)."""
        return self.near_of.get(id(values), [])

    @staticmethod
    def spelling(prisoner, values):
        """Which of the prisoner's names the row matched, to show next to the candidate."""
        row = set(_row_names(values))
        names = [prisoner.name, *(variant.name for variant in prisoner.name_variants.all())]
        return next((name for name in names if folded(name) in row), prisoner.name)


def people_on_record(rows):
    """One look-up per kind for a whole batch of parsed rows, and everything the import compares
    with for the prisoners found, fetched with them (a few queries per batch, not per row)."""
    rows = list(rows)
    found = PeopleOnRecord()
    matches = Q(pk__in=[])
    ids_by_register = {}
    for values in rows:
        for register, identifier in PeopleOnRecord.id_keys(values):
            ids_by_register.setdefault(register, set()).add(identifier)
    entries = RegisterEntry.objects.annotate(register_key=Lower("register"), identifier_key=Lower("identifier"))
    for register, identifiers in ids_by_register.items():  # the unique index on (register, ID) serves this
        matches |= Q(pk__in=entries.filter(register_key=register, identifier_key__in=identifiers).values("prisoner"))
    names = {name for values in rows for name in _row_names(values)}
    if names:
        spellings = IndexedName.objects.filter(kind="prisoner", folded__in=names).values("owner_id")
        matches |= Q(pk__in=spellings)
    slugs = {values.get("match") for values in rows if values.get("match")}
    if slugs:
        matches |= Q(slug__in=slugs)
    for prisoner in Prisoner.objects.filter(matches).prefetch_related(*COMPARED):
        for entry in prisoner.register_entries.all():
            found.by_id[(entry.register.lower(), entry.identifier.lower())] = prisoner
        for name in {folded(prisoner.name), *(folded(variant.name) for variant in prisoner.name_variants.all())}:
            if name in names:
                found.by_name.setdefault(name, []).append(prisoner)
        if prisoner.slug in slugs:
            found.by_slug[prisoner.slug] = prisoner
    # Rows that are no one on record by ID or by name: who they may be, for the whole batch at once.
    unknown = [v for v in rows if not v.get("match") and not found.exact(v) and not _known_by_id(found, v)]
    names = [[v["name"], *(v.get("name_variants") or [])] for v in unknown]
    for values, candidates in zip(unknown, Prisoner.objects.duplicate_candidates_of_many(names)):
        found.near_of[id(values)] = [candidate.record for candidate in candidates]
    return found


def _known_by_id(found, values):
    return any(key in found.by_id for key in found.id_keys(values))


# What an update compares a row with: fetched with the prisoners a batch finds.
COMPARED = [
    "name_variants",
    "charges",
    "sentences",
    Prefetch("custody_periods", queryset=CustodyPeriod.objects.select_related("facility")),
    "register_entries",
    Prefetch("recognitions", queryset=Recognition.objects.prefetch_related("organisations")),
    "tags",
    "contacts",
    Prefetch("incidents", queryset=Incident.objects.filter(kind=IncidentKind.RELEASE), to_attr="releases"),
]


class FacilityIndex:
    """Every facility on record by each of its names (registers name a few hundred facilities)."""

    def __init__(self):
        self.facilities = list(Facility.objects.prefetch_related("name_variants"))
        self.names = {}
        for facility in self.facilities:
            names = {fold(facility.name), *(fold(variant.name) for variant in facility.name_variants.all())}
            for name in names | {f"{name} {fold(facility.city)}".strip() for name in names}:
                self.names.setdefault(name, set()).add(facility)

    def find(self, name, city="", slug=None):
        if slug:
            return next((facility for facility in self.facilities if facility.slug == slug), None)
        found = self.names.get(fold(f"{name} {city}")) or self.names.get(fold(name)) or set()
        if city:
            found = {facility for facility in found if not facility.city or fold(facility.city) == fold(city)}
        return next(iter(found)) if len(found) == 1 else None

    def parser(self, cell):
        """The facility a cell names, by any of its names (and city); ParseError when none or several."""
        text = " ".join(str(cell or "").split())
        if not text:
            return None
        found = self.names.get(fold(text), set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            where = "; ".join(f"{facility} ({facility.slug})" for facility in found)
            raise ParseError(
                _('"%(text)s" names several facilities on record (%(facilities)s): add the city.')
                % {"text": text, "facilities": where}
            )
        raise ParseError(
            _('"%(text)s" is not a facility on record: import the facilities first, or use a name on record.')
            % {"text": text}
        )

    @staticmethod
    def near(name, city=""):
        """Facilities whose names resemble this one (a transliteration, a typo), in that city if it is given."""
        candidates = (candidate.record for candidate in Facility.objects.duplicate_candidates([name]))
        return [f for f in candidates if not (city and f.city) or fold(f.city) == fold(city)]
