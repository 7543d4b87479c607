"""The rows of the benchmark table (issue 10): what each measures, how, and the target it must meet.

A scenario's `run` is one measured run: it returns what the run produced (rows, bytes …), while
the worker times it and counts its queries. Pages are requested in-process with Django's test
`Client` (admin pages as the editor the generator created), with the public page cache off
(PUBLIC_CACHE_SECONDS=0): every run renders the page from the database.
"""

import csv
import io
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, Digest
from alerts.services import scan
from events.models import Party
from prisoners import lapse as lapse_rule
from prisoners.admin import PrisonerAdmin
from prisoners.models import Facility, Prisoner
from publicsite import statistics
from publicsite.casefile import public_incidents
from publicsite.filters import PrisonerFilter
from publicsite.models import StatisticsCount
from publicsite.views import LATEST_INCIDENTS, PAGE_SIZE
from registers import importer

from . import database, reference
from .generate import EDITOR_USERNAME, KALESNIKAVA

PAGE_QUERIES = 20  # "constant query count" for a list page, however many prisoners: this many at most
CHANGE_PAGE_QUERIES = 50  # "bounded" for the change page of a prisoner with 500 incidents and 100 contacts
SEARCH = "Maryia Kalesnikava"  # two words, transliterated: one of the target's name variants
ADMIN_SEARCH = "Kalesnikava"
EXPORT_ROWS_PER_SECOND = 20_000
IMPORT_ROWS = 10_000  # "importing 10,000 prisoners in under 60 s" (fewer in a register smaller than that)
IMPORT_SECONDS = 60
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (the sitemaps protocol's limit)


class ScenarioError(Exception):
    """The app did not do what the scenario measures (an error page, a missing record)."""


class Context:
    """What the scenarios of one worker process share: the dataset's marker, clients, today."""

    def __init__(self):
        with connection.cursor() as cursor:
            self.prisoners, _, self.info = database.read_marker(cursor)
        self.today = timezone.localdate()

    @cached_property
    def client(self):
        return Client(SERVER_NAME="localhost")

    @cached_property
    def editor(self):
        client = Client(SERVER_NAME="localhost")
        client.force_login(get_user_model().objects.get(username=EDITOR_USERNAME))
        return client

    @cached_property
    def published(self):
        return Prisoner.objects.public().count()

    def prisoner(self, role):
        return Prisoner.objects.get(pk=self.info[role]["id"])

    @cached_property
    def typical_slug(self):
        return self.prisoner("typical_prisoner").slug

    @cached_property
    def register_file(self):
        return register_file(self)

    @cached_property
    def last_page_cursor(self):
        """Where the public list's last page starts, as its "Next" links reach it (seek pagination).
        Finding it takes one OFFSET query, here, untimed; the page itself seeks."""
        paginator = PrisonerFilter({}).paginator(PAGE_SIZE)
        rows = paginator.queryset.order_by(*paginator.ordering())
        return paginator.cursor(rows[max(self.published - PAGE_SIZE - 1, 0)])


def get(client, path):
    """The body of a page that must answer 200 (a streamed one read to the end)."""
    response = client.get(path)
    if response.status_code != 200:
        raise ScenarioError(f"GET {path} answered {response.status_code}")
    if not response.streaming:
        return response.content
    body = b"".join(response.streaming_content)
    response.close()
    return body


@dataclass
class Scenario:
    key: str
    what: str
    run: Callable  # (context) -> dict: what one run produced (rows, bytes, …)
    target: str
    judge: Callable  # (result, all results) -> is the target met? (None: nothing to judge)
    seconds: float | Callable = 1.0  # the time target, or (context) -> it; a run past 10x it is not repeated
    isolated: bool = False  # in a process of its own: its peak RSS is its own
    repeat: bool = True
    timed: bool = True  # False: the row reports what was found, not how fast
    prepare: Callable | None = None  # (context), once before the runs, not timed
    before_each: Callable | None = None  # (context), before every run, not timed
    inspect: Callable | None = None  # (context) -> dict, once after the runs, not timed
    describe: Callable | None = None  # (result) -> the "measured" cell; default: rows or bytes

    def time_target(self, context):
        return self.seconds(context) if callable(self.seconds) else self.seconds


# Judges.


def under(seconds, queries=None):
    def judge(result, results):
        return result["p50"] < seconds and (queries is None or result["queries"] <= queries)

    return judge


def lapse_judge(result, results):
    reference_p50 = results.get("lapse_reference", {}).get("p50")
    if reference_p50 is None:
        return None  # nothing to compare with (not run, or it failed)
    return result["p50"] <= 1.3 * reference_p50 and result["p50"] < 2


def export_judge(result, results):
    return rows_per_second(result) >= EXPORT_ROWS_PER_SECOND and result["rss_growth_mb"] < 100


def rows_per_second(result):
    return result["outcome"]["rows"] / result["p50"] if result["p50"] else 0


def sitemap_judge(result, results):
    found = result["inspect"]
    return (
        found["index"]
        and max(found["urls_per_file"]) <= SITEMAP_LIMIT
        and found["prisoners_listed"] == found["prisoners"]
        and found["facilities_listed"] == found["facilities"]
    )


# Runs.


def check_lapse(context):
    heavy, typical = context.info["heavy_prisoner"]["id"], context.info["typical_prisoner"]["id"]
    return reference.compare(context.today, extra_ids=[heavy, typical])


def lapse_reference(context):
    return {"rows": len(reference.fetch_all(context.today))}


LAPSE_VALUES = [
    getattr(lapse_rule.names(party), part)
    for party in Party.values
    for part in ("basis", "since_day", "since_precision", "days", "threshold", "overdue")
]


def lapse_all(context):
    """Every prisoner's lawyer and family lapse, as values, like the reference's rows (building 100,000 model
    objects as well would measure Django's object construction, not the lapse)."""
    rows = 0
    for _ in Prisoner.objects.with_contact_lapse().values_list("pk", *LAPSE_VALUES).iterator(chunk_size=5000):
        rows += 1
    return {"rows": rows}


def explain(queryset):
    """EXPLAIN ANALYZE of a query (`queryset`: (context) -> it) with PostgreSQL's JIT on, then off: the
    execution time each way and what JIT compilation cost of it ("JIT judged by measurement")."""

    def run(context):
        sql, params = queryset(context).query.sql_with_params()
        plans = {}
        with connection.cursor() as cursor:
            for jit in ("on", "off"):
                cursor.execute(f"SET jit = {jit}")
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
                (plan,) = cursor.fetchone()[0]
                compiled = plan.get("JIT", {})
                plans[jit] = {
                    "execution_ms": round(plan["Execution Time"], 1),
                    "jit_ms": round(compiled.get("Timing", {}).get("Total", 0), 1),
                    "jit_functions": compiled.get("Functions", 0),
                }
            cursor.execute("RESET jit")
        return plans

    return run


def last_page_path(context):
    return f"/prisoners/?after={context.last_page_cursor}"


def last_page_query(context):
    """The query of the public list's last page, as its view pages it."""
    return PrisonerFilter({}).paginator(PAGE_SIZE).after(context.last_page_cursor)[: PAGE_SIZE + 1]


def overdue(context):
    """Who is overdue now: the filter's rows (as ids; building tens of thousands of model objects would
    measure Django's object construction, not the filter)."""
    return {"rows": len(list(Prisoner.objects.overdue().values_list("pk", flat=True)))}


def clear_alerts(context):
    """A register that has never been scanned: no alerts (nor their history), digests or deliveries."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE alerts_digestentry, alerts_delivery, alerts_alertevent, alerts_alert, alerts_digest")


def forget_statistics(context):
    """As for the first reader after a public change (until beat counts again): nothing counted is kept."""
    StatisticsCount.objects.all().delete()


def run_scan(context):
    result = scan()
    return {"opened": result.opened, "resolved": result.resolved, "digest": result.digest is not None}


def scanned_once(context):
    if not Alert.objects.exists():
        scan()


def first_digest(context):
    digest = Digest.objects.order_by("created_at", "pk").first()
    if digest is None:
        raise ScenarioError("no digest: the first scan did not record one (run scan_first before digest)")
    listed = sum(1 for line in digest.body_text.splitlines() if line.startswith("- "))
    size = sum(len(text.encode()) for text in (digest.subject, digest.body_text, digest.body_html))
    return {"bytes": size, "entries": digest.entries.count(), "listed": listed}


def latest_incidents(context):
    return {"rows": len(list(public_incidents().most_recent_first()[:LATEST_INCIDENTS]))}


def log_in(context):
    context.editor  # the editor's login is not part of any page's queries or time


def page(path, admin=False, look_for=None):
    """A page (`path`: a string or (context) -> string), requested by the public or the editor;
    `look_for`: text whose presence the row reports (a search's target)."""

    def run(context):
        address = path(context) if callable(path) else path
        body = get(context.editor if admin else context.client, address)
        outcome = {"bytes": len(body), "path": address}
        return outcome | ({"found": look_for.encode() in body} if look_for else {})

    return run


class CsvRecords:
    """Counts CSV records in a stream of chunks: line breaks outside quoted fields (a postal address
    spans lines). Quote parity carries from chunk to chunk; a doubled quote flips it twice."""

    def __init__(self):
        self.line_breaks, self.quoted = 0, False

    def feed(self, chunk):
        for i, part in enumerate(chunk.split(b'"')):
            if i:
                self.quoted = not self.quoted
            if not self.quoted:
                self.line_breaks += part.count(b"\n")

    def rows(self, tail):
        return self.line_breaks - 1  # the header


class JsonRecords:
    """The JSON export ends with its own count."""

    def feed(self, chunk):
        pass

    def rows(self, tail):
        return int(re.search(rb'"count": (\d+)', tail).group(1))


def export(path, counter):
    def run(context):
        response = context.client.get(path)
        if response.status_code != 200:
            raise ScenarioError(f"GET {path} answered {response.status_code}")
        records, size, tail = counter(), 0, b""
        for chunk in response.streaming_content:  # never held whole: the export's memory is the app's
            size += len(chunk)
            records.feed(chunk)
            tail = (tail + chunk)[-200:]
        response.close()
        return {"bytes": size, "rows": records.rows(tail)}

    return run


def export_seconds(context):
    return context.published / EXPORT_ROWS_PER_SECOND


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def crawl_sitemap(context):
    """Follow /sitemap.xml (an index or one file) and compare what it lists with every public page."""
    root = ElementTree.fromstring(get(context.client, "/sitemap.xml"))
    index = root.tag.endswith("sitemapindex")
    files = [root]
    if index:
        addresses = [urlsplit(location.text) for location in root.findall("s:sitemap/s:loc", SITEMAP_NS)]
        files = [ElementTree.fromstring(get(context.client, f"{a.path}?{a.query}")) for a in addresses]
    listed, urls_per_file = set(), []
    for tree in files:
        locations = [urlsplit(location.text).path for location in tree.findall("s:url/s:loc", SITEMAP_NS)]
        urls_per_file.append(len(locations))
        listed.update(locations)
    prisoners = {
        reverse("publicsite:prisoner", args=[slug]) for slug in Prisoner.objects.public().values_list("slug", flat=True)
    }
    facilities = {
        reverse("publicsite:facility", args=[slug]) for slug in Facility.objects.public().values_list("slug", flat=True)
    }
    return {
        "index": index,
        "urls_per_file": urls_per_file,
        "prisoners": len(prisoners),
        "prisoners_listed": len(prisoners & listed),
        "facilities": len(facilities),
        "facilities_listed": len(facilities & listed),
    }


def lawyer_lapse_column():
    """The admin's `o` for the lawyer-lapse column (the action checkbox comes first)."""
    return ["action_checkbox", *PrisonerAdmin.list_display].index("lawyer_lapse")


# What the "measured" cell says.


def size(result):
    outcome = result["outcome"]
    if "rows" in outcome:
        return f"{outcome['rows']:,} rows"
    return f"{outcome['bytes'] / 1024:,.0f} KB" if "bytes" in outcome else ""


def describe_check(result):
    outcome = result["outcome"]
    return f"{outcome['sample']:,} sampled, {outcome['mismatch_count']} disagree"


def describe_explain(result):
    on, off = result["outcome"]["on"], result["outcome"]["off"]
    return f"jit on {on['execution_ms']:,.0f} ms (JIT {on['jit_ms']:,.0f} ms), off {off['execution_ms']:,.0f} ms"


def describe_scan(result):
    outcome = result["outcome"]
    return f"{outcome['opened']:,} opened, {outcome['resolved']:,} resolved"


def describe_digest(result):
    outcome = result["outcome"]
    return f"{outcome['bytes'] / 1024:,.0f} KB, {outcome['entries']:,} entries, {outcome['listed']:,} listed"


def describe_search(result):
    return f"{size(result)}, target {'found' if result['outcome']['found'] else 'NOT found'}"


def register_file(context):
    """A register of IMPORT_ROWS people (at most as many as the dataset holds) as a real list writes it
    (Viasna's column names), a third of them held at the big colony; the same file every time."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "name_variants", "status", "birthday", "arrested", "articles", "penalty",
                     "verdict_date", "prison", "register_id", "case", "recognised_by"])  # fmt: skip
    colony = str(Facility.objects.get(pk=context.info["big_facility"]["id"]))  # "name, city": one facility
    for n in range(min(IMPORT_ROWS, context.prisoners)):
        writer.writerow([
            f"Imported Person {n}", f"Імпартаваны {n} | Импортированный {n}",
            ("detained", "в сизо", "released", "домашний арест")[n % 4], 1950 + n % 50,
            f"{1 + n % 28:02}.{1 + n % 12:02}.{2020 + n % 4}", "ст. 342 ч. 1 | ст. 361-1", f"{1 + n % 15} лет",
            f"{1 + n % 28:02}.{1 + n % 12:02}.2024", colony if n % 3 == 0 else "", f"B{n}",
            ("Viasna case", "Belsat case", "")[n % 3], "Viasna",
        ])  # fmt: skip
    return out.getvalue().encode()


def import_register(dry_run):
    """Import the register file; a confirmed import is rolled back afterwards, so the dataset stays as generated."""

    def run(context):
        data = context.register_file
        with transaction.atomic():
            report = importer.run("prisoners", file_name="bench.csv", data=data, register="Bench", dry_run=dry_run)
            transaction.set_rollback(True)
        if not report.ok:
            raise ScenarioError(f"the import refused the file: {report.problems[0]}")
        return {"rows": len(report.outcomes), "summary": report.summary()}

    return run


def vacuumed(context):
    """Each import starts from the same state: the rows an earlier, rolled-back import left dead in the
    tables and indexes are cleared first, so they are not charged to the run that follows it."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")


def import_judge(result, results):
    return result["p50"] < IMPORT_SECONDS


def dry_run_judge(result, results):
    confirmed = results.get("import", {}).get("p50")
    return result["p50"] < IMPORT_SECONDS and (confirmed is None or result["p50"] <= 1.1 * confirmed)


def describe_import(result):
    seconds = result["p50"]
    return f"{result['outcome']['rows']:,} rows, {result['outcome']['rows'] / seconds:,.0f} rows/s"


def describe_export(result):
    return f"{result['outcome']['rows']:,} rows, {rows_per_second(result):,.0f} rows/s"


def describe_sitemap(result):
    found = result["inspect"]
    files = f"{'index of ' if found['index'] else ''}{len(found['urls_per_file'])} file(s)"
    return (
        f"{files}, max {max(found['urls_per_file']):,} URLs; "
        f"{found['prisoners_listed']:,}/{found['prisoners']:,} cases listed"
    )


SCENARIOS = [
    Scenario(
        "lapse_check", "lapse: the reference agrees with the app (sample)", check_lapse,
        "every sampled prisoner agrees", lambda r, _: r["outcome"]["agreed"], repeat=False, timed=False,
        describe=describe_check,
    ),
    Scenario(
        "lapse_reference", "lapse: bare SQL reference, all prisoners", lapse_reference, "(reference)",
        lambda r, _: None, seconds=2,
    ),
    Scenario(
        "lapse", "with_contact_lapse(), every row's lapses", lapse_all, "≤ 1.3× reference and < 2 s",
        lapse_judge, seconds=2, isolated=True,
    ),
    Scenario(
        "lapse_explain", "lapse query, EXPLAIN ANALYZE", explain(lambda c: Prisoner.objects.with_contact_lapse()),
        "(diagnostic)", lambda r, _: None, repeat=False, timed=False, describe=describe_explain,
    ),
    Scenario("overdue", "Prisoner.objects.overdue() evaluated", overdue, "< 200 ms", under(0.2), seconds=0.2),
    Scenario(
        "scan_first", "alert scan, first run", run_scan, "< 10 s, peak RSS < 300 MB",
        lambda r, _: r["p50"] < 10 and r["rss_peak_mb"] < 300, seconds=10, isolated=True, before_each=clear_alerts,
        describe=describe_scan,
    ),
    Scenario(
        "scan_nothing_new", "alert scan, nothing new", run_scan, "< 1 s", under(1), seconds=1, isolated=True,
        prepare=scanned_once, describe=describe_scan,
    ),
    Scenario(
        "digest", "the first digest", first_digest, "≤ 50 entries listed", lambda r, _: r["outcome"]["listed"] <= 50,
        repeat=False, timed=False, describe=describe_digest,
    ),
    Scenario(
        "import", f"import {IMPORT_ROWS:,} prisoners (rolled back after)", import_register(dry_run=False),
        f"< {IMPORT_SECONDS} s", import_judge, seconds=IMPORT_SECONDS, isolated=True, repeat=False,
        prepare=vacuumed, describe=describe_import,
    ),
    Scenario(
        "import_dry_run", f"import {IMPORT_ROWS:,} prisoners, dry run", import_register(dry_run=True),
        f"< {IMPORT_SECONDS} s, no slower than the import", dry_run_judge, seconds=IMPORT_SECONDS, isolated=True,
        repeat=False, prepare=vacuumed, describe=describe_import,
    ),
    Scenario("home", "/ cold", page("/"), "< 300 ms", under(0.3), seconds=0.3),
    Scenario(
        "statistics", "/statistics/ cold, counts kept", page("/statistics/"), "< 300 ms", under(0.3), seconds=0.3,
        prepare=lambda context: statistics.counted(),  # as beat keeps them, every minute
    ),
    Scenario(
        "statistics_counting", "/statistics/ cold, counted afresh", page("/statistics/"),
        "< 1 s (the first reader after a public change, until beat counts)", under(1), before_each=forget_statistics,
    ),
    Scenario("map", "/map/ cold", page("/map/"), "< 300 ms", under(0.3), seconds=0.3),
    Scenario(
        "latest_incidents", "/ latest incidents (query)", latest_incidents, "< 300 ms", under(0.3), seconds=0.3
    ),
    Scenario(
        "list_last_page", "/prisoners/ last page (after=…)",
        page(last_page_path), f"< 300 ms, ≤ {PAGE_QUERIES} queries",
        under(0.3, PAGE_QUERIES), seconds=0.3,
    ),
    Scenario(
        "list_last_page_explain", "/prisoners/ last page query, EXPLAIN ANALYZE", explain(last_page_query),
        "(diagnostic)", lambda r, _: None, repeat=False, timed=False, describe=describe_explain,
    ),
    Scenario(
        "list_sort_lawyer", "/prisoners/?sort=lawyer", page("/prisoners/?sort=lawyer"),
        f"< 300 ms, ≤ {PAGE_QUERIES} queries", under(0.3, PAGE_QUERIES), seconds=0.3,
    ),
    Scenario(
        "list_cut_off_lawyer", "/prisoners/?cut_off_lawyer=on", page("/prisoners/?cut_off_lawyer=on"),
        f"< 300 ms, ≤ {PAGE_QUERIES} queries", under(0.3, PAGE_QUERIES), seconds=0.3,
    ),
    Scenario(
        "search", f"/prisoners/?q={SEARCH}", page(f"/prisoners/?q={SEARCH.replace(' ', '+')}", look_for=KALESNIKAVA),
        "p50 < 100 ms", under(0.1), seconds=0.1, describe=describe_search,
    ),
    Scenario(
        "export_csv", "/prisoners.csv", export("/prisoners.csv", CsvRecords),
        f"≥ {EXPORT_ROWS_PER_SECOND:,} rows/s, RSS growth < 100 MB", export_judge, seconds=export_seconds,
        isolated=True, describe=describe_export,
    ),
    Scenario(
        "export_json", "/prisoners.json", export("/prisoners.json", JsonRecords),
        f"≥ {EXPORT_ROWS_PER_SECOND:,} rows/s, RSS growth < 100 MB", export_judge, seconds=export_seconds,
        isolated=True, describe=describe_export,
    ),
    Scenario(
        "sitemap", "/sitemap.xml", page("/sitemap.xml"), f"index, ≤ {SITEMAP_LIMIT:,} URLs a file, all cases",
        sitemap_judge, seconds=1, isolated=True, inspect=crawl_sitemap, describe=describe_sitemap,
    ),
    Scenario(
        "admin_index", "admin index (cut off now)", page("/admin/", admin=True), "< 300 ms", under(0.3), seconds=0.3,
        prepare=log_in,
    ),
    Scenario(
        "admin_incidents", "admin incident list", page("/admin/events/incident/", admin=True), "< 300 ms",
        under(0.3), seconds=0.3, prepare=log_in,
    ),
    Scenario(
        "admin_incidents_search", f"admin incident list ?q={ADMIN_SEARCH}",
        page(f"/admin/events/incident/?q={ADMIN_SEARCH}", admin=True), "< 300 ms", under(0.3), seconds=0.3,
        prepare=log_in,
    ),
    Scenario(
        "admin_prisoners_by_lawyer", "admin prisoner list by lawyer lapse",
        page(f"/admin/prisoners/prisoner/?o=-{lawyer_lapse_column()}", admin=True), "< 300 ms", under(0.3),
        seconds=0.3, prepare=log_in,
    ),
    Scenario(
        "admin_change_heavy", "admin change page (500 incidents, 100 contacts)",
        page(lambda c: f"/admin/prisoners/prisoner/{c.info['heavy_prisoner']['id']}/change/", admin=True),
        f"< 300 ms, ≤ {CHANGE_PAGE_QUERIES} queries", under(0.3, CHANGE_PAGE_QUERIES), seconds=0.3, prepare=log_in,
    ),
    Scenario(
        "facility_largest", "largest facility page", page(lambda c: f"/facilities/{c.info['big_facility']['slug']}/"),
        "< 300 ms", under(0.3), seconds=0.3,
    ),
    Scenario("facilities", "/facilities/", page("/facilities/"), "< 300 ms", under(0.3), seconds=0.3),
    Scenario("feed", "/feed/", page("/feed/"), "< 300 ms", under(0.3), seconds=0.3),
    Scenario(
        "case_page", "typical case page", page(lambda c: f"/prisoners/{c.typical_slug}/"), "< 100 ms", under(0.1),
        seconds=0.1,
    ),
    Scenario(
        "case_feed", "typical case feed", page(lambda c: f"/prisoners/{c.typical_slug}/feed/"), "< 100 ms",
        under(0.1), seconds=0.1,
    ),
]  # fmt: skip
BY_KEY = {scenario.key: scenario for scenario in SCENARIOS}
