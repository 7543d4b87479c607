"""Open data: the documented columns of /prisoners.csv and /prisoners.json, and one case as JSON.

Only public fields, read from prisoners fetched by `casefile.public_prisoners()`.
Each column is documented once, here; the README and the /data/ page show these texts.
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from casetracker.dates import ApproximateDate
from events.models import Party

from .casefile import public_lapse


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
            "record), `denial` (first reported denial of contact) or `unknown`",
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
    Column("status", "`detained`, `released`, `exile`, `deceased` or `unknown`", lambda p, url: p.status),
    Column("bio", "short public biography", lambda p, url: p.bio),
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
        "charges",
        "charges, with the criminal-code article where known (a list; `; `-separated in CSV)",
        lambda p, url: [str(charge) for charge in p.charges.all()],
    ),
    Column("sentence", "term of the latest sentence (`11 years`)", _sentence("term")),
    Column("sentenced_on", "date of that sentence, as written", _sentence("date_approx")),
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


def _json_value(value):
    if isinstance(value, ApproximateDate):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
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


def record(prisoner, absolute_url):
    """One prisoner as a JSON object of the documented columns."""
    return {column.name: _json_value(column.value(prisoner, absolute_url)) for column in COLUMNS}


def as_csv(prisoners, absolute_url):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.name for column in COLUMNS])
    for prisoner in prisoners:
        writer.writerow([_csv_value(column.value(prisoner, absolute_url)) for column in COLUMNS])
    return out.getvalue()


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
