"""The bare SQL reference for the contact lapse, and the check that it agrees with the app.

The rule of prisoners/lapse.py, written by hand as one query over all prisoners: the last contact
per party and the first denial per party each found once with DISTINCT ON (one sort, no per-row
subqueries), then the basis in the rule's order (not monitored -> unknown; contact; monitoring
begun after the detention; custody; denial; unknown), the date it counts from, the days since
its latest possible day, the threshold and the verdict. The vocabulary (denial kinds, custody
statuses, default thresholds) comes from the rule's module; the query itself owes it nothing.

The lapse scenario is judged against this query's time. If the two ever disagree, one of them
is wrong: `compare` says where, and the bench stops.
"""

import random
from collections import Counter

from django.db import connection

from events.models import Party
from prisoners import lapse as lapse_rule
from prisoners.models import Prisoner
from prisoners.status import IN_CUSTODY

FIELDS = ("basis", "since_day", "since_precision", "since_latest", "days", "threshold", "overdue")
SAMPLE_PER_BASIS = 150  # prisoners compared per party and basis (and verdict) ...
SAMPLE_RANDOM = 500  # ... plus this many drawn at random


def _party_columns(party):
    """The inner query's basis, and the outer query's pick of the date by basis, for one party."""
    contact, denial = f"{party}_contact", f"{party}_denial"
    basis = (
        f"CASE WHEN NOT p.monitored THEN 'unknown' WHEN {contact}.date_latest IS NOT NULL THEN 'contact' "
        "WHEN p.detained IS NOT NULL AND p.monitored_from_latest > p.detained_latest THEN 'monitoring' "
        "WHEN p.detained IS NOT NULL THEN 'custody' "
        f"WHEN {denial}.start_latest IS NOT NULL THEN 'denial' ELSE 'unknown' END AS {party}_basis"
    )
    inner = [
        basis,
        *(f"{contact}.date{suffix} AS {contact}{suffix}" for suffix in ("", "_precision", "_latest")),
        *(f"{denial}.start{suffix} AS {denial}{suffix}" for suffix in ("", "_precision", "_latest")),
    ]

    def pick(suffix):
        return (
            f"CASE {party}_basis WHEN 'contact' THEN {contact}{suffix} WHEN 'monitoring' THEN monitored_from{suffix} "
            f"WHEN 'custody' THEN detained{suffix} WHEN 'denial' THEN {denial}{suffix} END"
        )

    since = [f"{pick('')} AS {party}_since_day", f"{pick('_precision')} AS {party}_since_precision",
             f"{pick('_latest')} AS {party}_since_latest"]  # fmt: skip
    days = f"%(today)s::date - {party}_since_latest"
    threshold = f"COALESCE({lapse_rule.names(party).own_threshold}, %({party}_default)s)"
    outer = [
        f"{party}_basis",
        f"{party}_since_day",
        f"{party}_since_precision",
        f"{party}_since_latest",
        f"{days} AS {party}_days",
        f"{threshold} AS {party}_threshold",
        f"COALESCE(status = ANY(%(custody)s) AND {days} > {threshold}, false) AS {party}_overdue",
    ]
    joins = (
        f"LEFT JOIN last_contact {contact} ON {contact}.prisoner_id = p.id AND {contact}.party = '{party}' "
        f"LEFT JOIN first_denial {denial} ON {denial}.prisoner_id = p.id AND {denial}.party = '{party}'"
    )
    return inner, since, outer, joins


def query():
    """The reference SQL and its parameters: one row per prisoner, `FIELDS` for each party in turn."""
    parts = [_party_columns(party) for party in Party.values]
    denial_kinds = ", ".join(
        f"('{party}', '{kind}')" for party, kinds in lapse_rule.DENIAL_KINDS.items() for kind in kinds
    )
    sql = f"""
        WITH last_contact AS (
            SELECT DISTINCT ON (prisoner_id, party) prisoner_id, party, date, date_precision, date_latest
            FROM events_contact
            ORDER BY prisoner_id, party, date_latest DESC, date DESC
        ), first_denial AS (
            SELECT DISTINCT ON (i.prisoner_id, d.party) i.prisoner_id, d.party, i.start, i.start_precision,
                i.start_latest
            FROM events_incident i JOIN (VALUES {denial_kinds}) AS d (party, kind) ON d.kind = i.kind
            ORDER BY i.prisoner_id, d.party, i.start, i.start_latest
        ), bases AS (
            SELECT p.id, p.status, p.detained, p.detained_precision, p.detained_latest, p.monitored_from,
                p.monitored_from_precision, p.monitored_from_latest, p.lawyer_threshold_days,
                p.family_threshold_days, {", ".join(column for inner, *_ in parts for column in inner)}
            FROM prisoners_prisoner p {" ".join(joins for *_, joins in parts)}
        ), since AS (
            SELECT *, {", ".join(column for _, since, *_ in parts for column in since)} FROM bases
        )
        SELECT id, {", ".join(column for *_, outer, _ in parts for column in outer)} FROM since ORDER BY id
    """
    return sql


def parameters(today):
    return {
        "today": today,
        "custody": sorted(IN_CUSTODY),
        **{f"{party}_default": lapse_rule.default_threshold(party) for party in Party.values},
    }


def fetch_all(today):
    """The reference rows for every prisoner, as the database returns them."""
    with connection.cursor() as cursor:
        cursor.execute(query(), parameters(today))
        return cursor.fetchall()


def run(today):
    """Every prisoner's lapse by the reference query: {id: {party: (basis, day, precision, latest, days,
    threshold, overdue)}}."""
    return {row[0]: _by_party(row[1:]) for row in fetch_all(today)}


def _by_party(values):
    width = len(FIELDS)
    return {party: tuple(values[i * width : (i + 1) * width]) for i, party in enumerate(Party.values)}


def _as_app_says(prisoner, party):
    lapse = prisoner.lapse(party)
    since = lapse.since
    return (
        lapse.basis,
        since and since.day,
        since and str(since.precision),
        since and since.latest,
        lapse.days,
        lapse.threshold,
        lapse.overdue,
    )


def sample(reference, extra_ids=(), seed=1):
    """Prisoners of every basis and verdict for each party, a random draw, and `extra_ids`."""
    rng = random.Random(seed)
    groups = {}
    for prisoner_id, parties in reference.items():
        for party, values in parties.items():
            groups.setdefault((party, values[0], values[-1]), []).append(prisoner_id)
    chosen = set(extra_ids) & reference.keys()
    for ids in groups.values():
        chosen.update(rng.sample(ids, min(SAMPLE_PER_BASIS, len(ids))))
    chosen.update(rng.sample(sorted(reference), min(SAMPLE_RANDOM, len(reference))))
    return sorted(chosen)


def compare(today, extra_ids=()):
    """Compare the app's lapse (`Prisoner.objects.with_contact_lapse()`, read with `lapse()`) with the
    reference on a sample; returns the sample's size and bases and the first disagreements."""
    reference = run(today)
    ids = sample(reference, extra_ids)
    mismatches = []
    for prisoner in Prisoner.objects.with_contact_lapse(today=today).filter(pk__in=ids):
        for party in Party.values:
            app, ours = _as_app_says(prisoner, party), reference[prisoner.pk][party]
            if app != ours:
                mismatches.append(
                    {
                        "prisoner": prisoner.pk,
                        "party": party,
                        "app": dict(zip(FIELDS, map(str, app))),
                        "reference": dict(zip(FIELDS, map(str, ours))),
                    }  # fmt: skip
                )
    bases = Counter(f"{party} {reference[i][party][0]}" for i in ids for party in Party.values)
    return {"sample": len(ids), "bases": dict(sorted(bases.items())), "mismatches": mismatches[:10],
            "mismatch_count": len(mismatches), "agreed": not mismatches}  # fmt: skip
