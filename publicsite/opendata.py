"""Open data: the documented columns of /prisoners.csv and .json and /facilities.csv and .json,
and one case as JSON.

Only public fields, read from prisoners fetched by `casefile.public_prisoners()` and facilities
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

from casetracker.dates import ApproximateDate
from events.models import Party
from prisoners.models import FacilityKind, SentenceKind
from prisoners.status import Status

from .casefile import public_lapse, public_photo_url


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable  # (prisoner, absolute_url) -> str | int | bool | list | date | None


def _lapse(party, attribute):
    def value(prisoner, absolute_url):
        if not prisoner.in_custody:
            return None  # a lapse only means something while in custody
        return getattr(public_lapse(prisoner, party), attribute)

    return value


def _facility(attribute):
    def value(prisoner, absolute_url):
        facility = prisoner.current_facility
        return facility and attribute(facility, absolute_url)

    return value


def _sentence(attribute):
    def value(prisoner, absolute_url):
        sentence = prisoner.current_sentence
        return sentence and getattr(sentence, attribute)

    return value


def _lapse_columns(party):
    return [
        Column(
            f"{party}_contact_days",
            f"days without {party} contact, counted from the latest possible day of `{party}_contact_since`; "
            "empty without contact data (all these columns are empty for anyone not in custody)",
            _lapse(party, "days"),
        ),
        Column(f"{party}_contact_since", "the date that count starts from, as written", _lapse(party, "since")),
        Column(
            f"{party}_contact_basis",
            "what that date is: `contact` (last public contact), `custody` (start of detention, no contact on "
            "record), `monitoring` (start of our monitoring, when later than the detention), `denial` (first "
            "reported denial of contact) or `unknown` (no contact data, or contact not monitored)",
            _lapse(party, "basis"),
        ),
        Column(
            f"{party}_contact_threshold_days",
            f"days without {party} contact after which the prisoner counts as cut off",
            _lapse(party, "threshold"),
        ),
        Column(f"{party}_contact_overdue", "`true` when cut off past that threshold now", _lapse(party, "overdue")),
    ]


COLUMNS = [
    Column("slug", "permanent identifier; the case page is /prisoners/<slug>/", lambda p, url: p.slug),
    Column("url", "the case page", lambda p, url: url(p.get_absolute_url())),
    Column("name", "display name", lambda p, url: p.name),
    Column(
        "name_variants",
        "other spellings, scripts and transliterations (a list; `; `-separated in CSV)",
        lambda p, url: [variant.name for variant in p.name_variants.all()],
    ),
    Column(
        "status",
        "one of " + ", ".join(f"`{code}` ({label})" for code, label in Status.choices),
        lambda p, url: p.status,
    ),
    Column("bio", "short public biography", lambda p, url: p.bio),
    Column("born", "date of birth as written (often a year)", lambda p, url: p.born_approx),
    Column("gender", "`female`, `male`, `other` or empty", lambda p, url: p.gender),
    Column("home_town", "where the prisoner is from", lambda p, url: p.home_town),
    Column("home_region", "region the prisoner is from", lambda p, url: p.home_region),
    Column("occupation", "occupation", lambda p, url: p.occupation),
    Column("case_groups", "case groups (a list)", lambda p, url: [tag.name for tag in p.tags.all()]),
    Column(
        "photo_url",
        "the prisoner's photo, where one may be shown publicly",
        lambda p, url: (photo := public_photo_url(p)) and url(photo),
    ),
    Column("died", "date of death as written; empty unless deceased", lambda p, url: p.died_approx),
    Column(
        "died_in_custody",
        "`true` when the prisoner died in custody, `false` when not, empty when not known",
        lambda p, url: p.died_in_custody,
    ),
    Column("death_cause", "cause of death as reported", lambda p, url: p.death_cause),
    Column(
        "recognised_by",
        "organisations that recognised the prisoner as a political prisoner (a list)",
        lambda p, url: sorted({o.name for r in p.recognitions.all() for o in r.organisations.all()}),
    ),
    Column(
        "register_ids",
        "the prisoner's IDs in other registers, as `register: ID` (a list)",
        lambda p, url: [f"{entry.register}: {entry.identifier}" for entry in p.register_entries.all()],
    ),
    Column("detained", "date detained, as written (`September 2020`)", lambda p, url: p.detained_approx),
    Column(
        "detained_earliest",
        "earliest day that date can mean (ISO 8601)",
        lambda p, url: p.detained_approx and p.detained_approx.earliest,
    ),
    Column(
        "detained_latest",
        "latest day that date can mean (ISO 8601)",
        lambda p, url: p.detained_approx and p.detained_approx.latest,
    ),
    Column(
        "days_in_detention",
        "days since the latest day detention can have begun; empty unless in custody",
        lambda p, url: p.days_in_detention,
    ),
    Column("facility", "where the prisoner is held now", _facility(lambda facility, url: str(facility))),
    Column(
        "facility_url",
        "that facility's page",
        _facility(lambda facility, url: url(facility.get_absolute_url())),
    ),
    Column("region", "region of that facility", _facility(lambda facility, url: facility.region)),
    Column(
        "facility_postal_address",
        "that facility's postal address, for letters",
        _facility(lambda facility, url: facility.postal_address),
    ),
    Column(
        "charges",
        "charges, with the criminal-code article where known (a list; `; `-separated in CSV)",
        lambda p, url: [str(charge) for charge in p.charges.all()],
    ),
    Column("sentence", "the latest sentence as said (`11 years`, `life imprisonment`, `fine (…)`)", _sentence("term")),
    Column(
        "sentence_kind",
        "its kind: " + ", ".join(f"`{code}`" for code in SentenceKind.values),
        _sentence("kind"),
    ),
    Column("sentence_years", "its term: years (0 for none)", _sentence("term_years")),
    Column("sentence_months", "its term: months beyond the years", _sentence("term_months")),
    Column("fine", "the fine's amount, as written", _sentence("fine")),
    Column("sentenced_on", "date of that sentence, as written; empty when not known", _sentence("date_approx")),
    Column(
        "expected_release",
        "the term counted from detention (or else from sentencing), keeping its precision",
        _sentence("expected_release"),
    ),
    *_lapse_columns(Party.LAWYER),
    *_lapse_columns(Party.FAMILY),
    Column(
        "last_updated",
        "last change to what this record shows publicly (ISO 8601, UTC)",
        lambda p, url: p.last_updated,
    ),
]


FACILITY_COLUMNS = [
    Column("slug", "permanent identifier; the facility's page is /facilities/<slug>/", lambda f, url: f.slug),
    Column("url", "the facility's page", lambda f, url: url(f.get_absolute_url())),
    Column("name", "name", lambda f, url: f.name),
    Column(
        "name_variants", "other names and spellings (a list)", lambda f, url: [v.name for v in f.name_variants.all()]
    ),
    Column(
        "kind",
        "one of " + ", ".join(f"`{code}` ({label})" for code, label in FacilityKind.choices),
        lambda f, url: f.kind,
    ),
    Column("city", "city or town", lambda f, url: f.city),
    Column("region", "region", lambda f, url: f.region),
    Column("country", "country", lambda f, url: f.country),
    Column("postal_address", "postal address, for letters to those held there", lambda f, url: f.postal_address),
    Column("latitude", "latitude (WGS 84, decimal degrees)", lambda f, url: f.latitude),
    Column("longitude", "longitude (WGS 84, decimal degrees)", lambda f, url: f.longitude),
    Column("held_count", "how many published prisoners are held there now", lambda f, url: f.held_count),
]


def _json_value(value):
    if isinstance(value, ApproximateDate):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


# A spreadsheet would run text starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value):
    value = _json_value(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # shown as text, never evaluated
    return "" if value is None else value


def record(item, absolute_url, columns=None):
    """One prisoner (or facility, with FACILITY_COLUMNS) as a JSON object of the documented columns."""
    return {column.name: _json_value(column.value(item, absolute_url)) for column in columns or COLUMNS}


class _Line:
    """csv.writer writes into this and hands back the line, so rows can be streamed."""

    def write(self, line):
        return line


def csv_lines(items, absolute_url, columns=None):
    """The CSV export, line by line."""
    columns = columns or COLUMNS
    writer = csv.writer(_Line())
    yield writer.writerow([column.name for column in columns])
    for item in items:
        yield writer.writerow([_csv_value(column.value(item, absolute_url)) for column in columns])


def json_chunks(items, absolute_url, key, columns=None):
    """The JSON export, `{"<key>": [...], "count": n}`, one record at a time."""
    yield f'{{"{key}": ['
    count = 0
    for item in items:
        yield (",\n" if count else "\n") + json.dumps(
            record(item, absolute_url, columns), ensure_ascii=False, cls=DjangoJSONEncoder
        )
        count += 1
    yield f'\n], "count": {count}}}\n'


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
        "url": source.url or None,
    }


def case_record(case, absolute_url):
    """One case (a `casefile.CaseFile`) for /prisoners/<slug>.json: the columns, plus lawyers
    and the dated timeline."""

    def facility_url(facility):
        return facility and absolute_url(facility.get_absolute_url())

    return {
        **record(case.prisoner, absolute_url),
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
