"""Open data: the documented columns of /prisoners.csv and .json and /facilities.csv and .json,
and one case as JSON.

Only public fields, read from prisoners fetched by `casefile.listed_prisoners()` and facilities
from `Facility.objects.public()`. Each column is documented once, here; the README and the /data/
page show these texts. Exports are streamed row by row, so a register of any size costs the
same memory.
"""

import csv
import datetime
import decimal
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casetracker.dates import ApproximateDate
from casetracker.iterables import batched
from casetracker.web_address import web_address
from events.models import Party
from prisoners.models import (
    Charge,
    CustodyPeriod,
    FacilityKind,
    NameVariant,
    Prisoner,
    Recognition,
    RegisterEntry,
    Sentence,
    SentenceKind,
)
from prisoners.status import Status

from .casefile import public_lapse, public_photo_url

SLUG_MARK = "slug-mark"  # stands for a slug in a reversed address pattern


@dataclass(frozen=True)
class Column:
    name: str
    description: str  # for the /data/ page, in the reader's language (the name and the values stay as they are)
    value: Callable  # (record, facts, absolute_url) -> str | int | bool | list | date | None
    moves: bool = False  # changes with the calendar or the settings, not with the case: never stored (ExportRow)


class Lapses:
    """Each prisoner's public lapse, read once for all the columns that show it, and the day the columns count to
    (`today`: one day for a whole export, and no clock read for each of its rows)."""

    def __init__(self, today=None):
        self.lapses = {}
        self.today = today or timezone.localdate()

    def public_lapse(self, prisoner, party):
        key = (prisoner.pk, party)
        if key not in self.lapses:
            self.lapses[key] = public_lapse(prisoner, party)
        return self.lapses[key]


class Facts(Lapses):
    """What a column shows of prisoners beyond their own fields (names, charges, the latest sentence,
    where held now, groups, IDs, recognitions), for a chunk of prisoners at once: one query per kind
    of fact, plain values, so an export's cost per prisoner stays small at any register size."""

    def __init__(self, prisoners, today=None):
        super().__init__(today)
        ids = [prisoner.pk for prisoner in prisoners]
        self.patterns = {}
        variants = NameVariant.objects.public().filter(prisoner_id__in=ids)  # never an internal spelling
        self.variants = _grouped(variants.order_by("name", "pk"), "name")
        self.tags = _grouped(
            Prisoner.tags.through.objects.filter(prisoner_id__in=ids).order_by("tag__name"), "tag__name"
        )
        self.charges = _grouped(Charge.objects.filter(prisoner_id__in=ids).order_by("pk"), "article", "label")
        self.register_ids = _grouped(
            RegisterEntry.objects.filter(prisoner_id__in=ids).order_by("register", "identifier"),
            "register",
            "identifier",
        )
        organisations = Recognition.organisations.through.objects.filter(recognition__prisoner_id__in=ids)
        self.recognised_by = _grouped(organisations.order_by("organisation__name").distinct(), "organisation__name",
                                      owner="recognition__prisoner_id")  # fmt: skip
        held = CustodyPeriod.objects.open().filter(prisoner_id__in=ids).select_related("facility")
        self.facility = {period.prisoner_id: period.facility for period in held}
        self.sentence = {}
        for sentence in Sentence.objects.filter(prisoner_id__in=ids):
            latest = self.sentence.get(sentence.prisoner_id)
            if latest is None or (sentence.date or datetime.date.min, sentence.pk) > (
                latest.date or datetime.date.min,
                latest.pk,
            ):
                self.sentence[sentence.prisoner_id] = sentence

    @classmethod
    def of(cls, prisoners, chunk=500, today=None):
        """(prisoner, facts) for each prisoner, the facts fetched a chunk at a time."""
        for batch in batched(prisoners.prefetch_related(None).iterator(chunk_size=chunk), chunk):
            facts = cls(batch, today)
            for prisoner in batch:
                yield prisoner, facts

    def url_of(self, record, absolute_url):
        """The absolute address of a prisoner's or facility's page: the pattern reversed once per chunk, not once
        a row (a reversal costs more than everything else a column does)."""
        kind = type(record)
        if kind not in self.patterns:
            self.patterns[kind] = absolute_url(kind(slug=SLUG_MARK).get_absolute_url())
        return self.patterns[kind].replace(SLUG_MARK, record.slug)

    def held_at(self, prisoner):
        return self.facility.get(prisoner.pk) if prisoner.in_custody else None

    def latest_sentence(self, prisoner):
        sentence = self.sentence.get(prisoner.pk)
        if sentence is not None:
            sentence.prisoner = prisoner  # its expected release counts from the detention
        return sentence


def _grouped(queryset, *fields, owner="prisoner_id"):
    """{owner id: [value, …]} (or tuples of values, for several fields) from one query of plain values."""
    grouped = {}
    for row in queryset.values_list(owner, *fields):
        grouped.setdefault(row[0], []).append(row[1] if len(row) == 2 else row[1:])
    return grouped


def _lapse(party, attribute):
    def value(prisoner, facts, absolute_url):
        if not prisoner.in_custody:
            return None  # a lapse only means something while in custody
        return getattr(facts.public_lapse(prisoner, party), attribute)

    return value


def _facility(attribute):
    def value(prisoner, facts, absolute_url):
        facility = facts.held_at(prisoner)
        return facility and attribute(facility, absolute_url)

    return value


def _sentence(attribute):
    def value(prisoner, facts, absolute_url):
        sentence = facts.latest_sentence(prisoner)
        return sentence and getattr(sentence, attribute)

    return value


# The descriptions of a party's lapse columns that name the party: (days, threshold days).
LAPSE_DESCRIPTIONS = {
    Party.LAWYER: (
        _(
            "days without lawyer contact, counted from the latest possible day of `lawyer_contact_since`; "
            "empty without contact data (all these columns are empty for anyone not in custody)"
        ),
        _("days without lawyer contact after which the prisoner counts as cut off"),
    ),
    Party.FAMILY: (
        _(
            "days without family contact, counted from the latest possible day of `family_contact_since`; "
            "empty without contact data (all these columns are empty for anyone not in custody)"
        ),
        _("days without family contact after which the prisoner counts as cut off"),
    ),
}


def _codes_and_labels(choices):
    return ", ".join(f"`{code}` ({label})" for code, label in choices)


_codes_and_labels_lazy = lazy(_codes_and_labels, str)  # the labels in the reader's language


def _one_of(choices):
    """ "one of `code` (label), …", for the page, in the reader's language."""
    return format_lazy(_("one of {values}"), values=_codes_and_labels_lazy(choices))


def _lapse_columns(party):
    days, threshold = LAPSE_DESCRIPTIONS[party]
    return [
        Column(f"{party}_contact_days", days, _lapse(party, "days"), moves=True),
        Column(
            f"{party}_contact_since",
            _("the date that count starts from, as written"),
            _lapse(party, "since"),
            moves=True,
        ),
        Column(
            f"{party}_contact_basis",
            _(
                "what that date is: `contact` (last public contact), `custody` (start of detention, no contact on "
                "record), `monitoring` (start of our monitoring, when later than the detention), `denial` (first "
                "reported denial of contact) or `unknown` (no contact data, or contact not monitored)"
            ),
            _lapse(party, "basis"),
            moves=True,
        ),
        Column(f"{party}_contact_threshold_days", threshold, _lapse(party, "threshold"), moves=True),
        Column(
            f"{party}_contact_overdue",
            _("`true` when cut off past that threshold now"),
            _lapse(party, "overdue"),
            moves=True,
        ),
    ]


COLUMNS = [
    Column(
        "slug",
        _("identifier; the case page is /prisoners/<slug>/ (if an editor changes it, the old one redirects there)"),
        lambda p, facts, url: p.slug,
    ),
    Column("url", _("the case page"), lambda p, facts, url: facts.url_of(p, url)),
    Column("name", pgettext_lazy("open data", "display name"), lambda p, facts, url: p.name),
    Column(
        "name_variants",
        _("other spellings, scripts and transliterations (a list; `; `-separated in CSV)"),
        lambda p, facts, url: facts.variants.get(p.pk, []),
    ),
    Column(
        "status",
        _one_of(Status.choices),
        lambda p, facts, url: p.status,
    ),
    Column("bio", _("short public biography"), lambda p, facts, url: p.bio),
    Column("born", _("date of birth as written (often a year)"), lambda p, facts, url: p.born_approx),
    Column("gender", _("`female`, `male`, `other` or empty"), lambda p, facts, url: p.gender),
    Column("home_town", _("where the prisoner is from"), lambda p, facts, url: p.home_town),
    Column("home_region", _("region the prisoner is from"), lambda p, facts, url: p.home_region),
    Column("occupation", pgettext_lazy("open data", "occupation"), lambda p, facts, url: p.occupation),
    Column("case_groups", _("case groups (a list)"), lambda p, facts, url: facts.tags.get(p.pk, [])),
    Column(
        "photo_url",
        _("the prisoner's photo, where one may be shown publicly"),
        lambda p, facts, url: (photo := public_photo_url(p)) and url(photo),
    ),
    Column("died", _("date of death as written; empty unless deceased"), lambda p, facts, url: p.died_approx),
    Column(
        "died_in_custody",
        _("`true` when the prisoner died in custody, `false` when not, empty when not known"),
        lambda p, facts, url: p.died_in_custody,
    ),
    Column("death_cause", _("cause of death as reported"), lambda p, facts, url: p.death_cause),
    Column(
        "recognised_by",
        _("organisations that recognised the prisoner as a political prisoner (a list)"),
        lambda p, facts, url: facts.recognised_by.get(p.pk, []),
    ),
    Column(
        "register_ids",
        _("the prisoner's IDs in other registers, as `register: ID` (a list)"),
        lambda p, facts, url: [
            f"{register}: {identifier}" for register, identifier in facts.register_ids.get(p.pk, [])
        ],
    ),
    Column("detained", _("date detained, as written (`September 2020`)"), lambda p, facts, url: p.detained_approx),
    Column(
        "detained_earliest",
        _("earliest day that date can mean (ISO 8601)"),
        lambda p, facts, url: p.detained_approx and p.detained_approx.earliest,
    ),
    Column(
        "detained_latest",
        _("latest day that date can mean (ISO 8601)"),
        lambda p, facts, url: p.detained_approx and p.detained_approx.latest,
    ),
    Column(
        "days_in_detention",
        _("days since the latest day detention can have begun; empty unless in custody"),
        lambda p, facts, url: p.days_in_detention_on(facts.today),
        moves=True,
    ),
    Column("facility", _("where the prisoner is held now"), _facility(lambda facility, url: str(facility))),
    Column(
        "facility_url",
        _("that facility's page"),
        lambda p, facts, url: (facility := facts.held_at(p)) and facts.url_of(facility, url),
    ),
    Column("region", _("region of that facility"), _facility(lambda facility, url: facility.region)),
    Column(
        "facility_postal_address",
        _("that facility's postal address, for letters"),
        _facility(lambda facility, url: facility.postal_address),
    ),
    Column(
        "charges",
        _("charges, with the criminal-code article where known (a list; `; `-separated in CSV)"),
        lambda p, facts, url: [Charge.as_written(article, label) for article, label in facts.charges.get(p.pk, [])],
    ),
    Column(
        "sentence", _("the latest sentence as said (`11 years`, `life imprisonment`, `fine (…)`)"), _sentence("term")
    ),
    Column(
        "sentence_kind",
        format_lazy(_("its kind: {kinds}"), kinds=", ".join(f"`{code}`" for code in SentenceKind.values)),
        _sentence("kind"),
    ),
    Column("sentence_years", _("its term: years (0 for none)"), _sentence("term_years")),
    Column("sentence_months", _("its term: months beyond the years"), _sentence("term_months")),
    Column("fine", _("the fine's amount, as written"), _sentence("fine")),
    Column("sentenced_on", _("date of that sentence, as written; empty when not known"), _sentence("date_approx")),
    Column(
        "expected_release",
        _("the term counted from detention (or else from sentencing), keeping its precision"),
        _sentence("expected_release"),
    ),
    *_lapse_columns(Party.LAWYER),
    *_lapse_columns(Party.FAMILY),
    Column(
        "last_updated",
        _("last change to what this record shows publicly (ISO 8601, UTC)"),
        lambda p, facts, url: p.public_changed,
    ),
]


FACILITY_COLUMNS = [
    Column("slug", _("permanent identifier; the facility's page is /facilities/<slug>/"), lambda f, facts, url: f.slug),
    Column("url", _("the facility's page"), lambda f, facts, url: url(f.get_absolute_url())),
    Column("name", pgettext_lazy("open data: a facility's", "name"), lambda f, facts, url: f.name),
    Column(
        "name_variants",
        _("other names and spellings (a list)"),
        lambda f, facts, url: [v.name for v in f.name_variants.all()],
    ),
    Column(
        "kind",
        _one_of(FacilityKind.choices),
        lambda f, facts, url: f.kind,
    ),
    Column("city", pgettext_lazy("open data", "city or town"), lambda f, facts, url: f.city),
    Column("region", pgettext_lazy("open data", "region"), lambda f, facts, url: f.region),
    Column("country", pgettext_lazy("open data", "country"), lambda f, facts, url: f.country),
    Column(
        "postal_address",
        _("postal address, for letters to those held there"),
        lambda f, facts, url: f.postal_address,
    ),
    Column("latitude", _("latitude (WGS 84, decimal degrees)"), lambda f, facts, url: f.latitude),
    Column("longitude", _("longitude (WGS 84, decimal degrees)"), lambda f, facts, url: f.longitude),
    Column("held_count", _("how many published prisoners are held there now"), lambda f, facts, url: f.held_count),
]


def jsonable(value):
    """A column's value as JSON takes it: dates as written or in ISO 8601, decimals as numbers."""
    if value is None or type(value) in PLAIN:
        return value
    if isinstance(value, ApproximateDate):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


PLAIN = {str, int, float, bool, list}  # written as they are

# A spreadsheet would run text starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _runs_as_formula(text):
    # Spreadsheets skip leading whitespace before a formula: " =1+1" and "\n=1+1" run too.
    return text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS)


def _csv_value(value):
    if type(value) is str:  # the common case first: most cells are text
        return "'" + value if _runs_as_formula(value) else value
    value = jsonable(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value  # shown as text, never evaluated
    return "" if value is None else value


def record(item, facts, absolute_url, columns=None):
    """One prisoner with its Facts (or a facility, with FACILITY_COLUMNS and no facts) as a JSON object of the
    documented columns."""
    return {column.name: jsonable(column.value(item, facts, absolute_url)) for column in columns or COLUMNS}


def json_text(value):
    """A value (a record, a column's value) as the JSON exports write it."""
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def json_cell(value):
    """One column's value as the JSON export writes it."""
    return json_text(jsonable(value))


class _Line:
    """csv.writer writes into this and hands back the line, so rows can be streamed."""

    def write(self, line):
        return line


_writer = csv.writer(_Line())
LINES_PER_WRITE = 200  # lines sent at a time: a write per line costs more than the line


def csv_row(values):
    """One row of values as a CSV line. No value can run as a formula."""
    return _writer.writerow([_csv_value(value) for value in values])


def csv_document(header, lines):
    """A CSV file from its header and its lines. It opens with a byte order mark: without one, spreadsheet programs
    read the file in the computer's legacy code page and garble every Cyrillic name."""
    yield "\ufeff" + _writer.writerow(header)
    for batch in batched(lines, LINES_PER_WRITE):
        yield "".join(batch)


def json_document(key, records):
    """`{"<key>": [...], "count": n}` from records already written as JSON."""
    yield f'{{"{key}": ['
    count = 0
    for batch in batched(records, LINES_PER_WRITE):
        yield (",\n" if count else "\n") + ",\n".join(batch)
        count += len(batch)
    yield f'\n], "count": {count}}}\n'


def table_lines(header, rows):
    """A table as CSV (`csv_document`), from rows of values."""
    return csv_document(header, (csv_row(row) for row in rows))


def csv_lines(items, absolute_url, columns=None):
    """The CSV export; `items`: (record, facts) pairs."""
    columns = columns or COLUMNS
    rows = ([column.value(item, facts, absolute_url) for column in columns] for item, facts in items)
    return table_lines([column.name for column in columns], rows)


def json_chunks(items, absolute_url, key, columns=None):
    """The JSON export, `{"<key>": [...], "count": n}`; `items`: (record, facts) pairs."""
    return json_document(key, (json_text(record(item, facts, absolute_url, columns)) for item, facts in items))


def _approximate(value):
    return (
        {
            "as_written": str(value),
            "earliest": value.earliest.isoformat(),
            "latest": value.latest.isoformat(),
        }
        if value
        else None
    )


def _source(source):
    return {
        "title": source.title,
        "kind": source.get_kind_display(),
        "publisher": source.publisher.name if source.publisher else None,
        "signatories": [organisation.name for organisation in source.signatories.all()],
        "date": str(source.published_approx) if source.published_approx else None,
        "url": web_address(source.url) or None,
    }


def case_record(case, absolute_url):
    """One case (a `casefile.CaseFile`) for /prisoners/<slug>.json: the columns, plus lawyers
    and the dated timeline."""

    def facility_url(facility):
        return facility and absolute_url(facility.get_absolute_url())

    return {
        **record(case.prisoner, Facts([case.prisoner]), absolute_url),
        "as_of": _approximate(case.as_of),  # the newest public fact's date: how old the information is
        "lawyers": [
            {
                "name": lawyer.name,
                "from": _approximate(lawyer.start),
                "until": _approximate(lawyer.end),
                "reprisals": [
                    {
                        "kind": incident.get_kind_display(),
                        "date": incident.date_range,
                        "description": incident.description,
                    }
                    for incident in lawyer.reprisals
                ],
            }
            for lawyer in case.lawyers
        ],
        "timeline": [
            {
                "id": entry.anchor,
                "type": entry.kind,
                "date": entry.when,
                "start": _approximate(entry.date),
                "end": _approximate(getattr(entry.record, "end_approx", None)),
                "title": entry.title,
                "description": entry.description,
                "facility": str(entry.facility) if entry.facility else None,
                "facility_url": facility_url(entry.facility),
                "verification": entry.verification or None,
                "sources": [_source(source) for source in entry.sources],
            }
            for entry in case.timeline
        ],
    }
