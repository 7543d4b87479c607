"""One bench run: the dataset (reused, or generated and marked), then every scenario, then the report."""

import datetime
import os
import platform
import subprocess
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from . import database, hooks, report
from .generate import GENERATOR_VERSION, Generator
from .runner import Runner
from .scenarios import BY_KEY, SCENARIOS

EXIT_DISAGREE = 3  # the lapse reference and the app disagree: one of them is wrong


def migrate():
    """Migrate; True if anything was applied."""
    recorder = MigrationRecorder(connection)
    before = len(recorder.applied_migrations()) if recorder.has_table() else 0
    call_command("migrate", verbosity=0, interactive=False)
    return len(recorder.applied_migrations()) != before


def prepare(prisoners, url, regenerate, log):
    """The dataset of this size: reused when its marker matches, else generated from scratch."""
    created = database.create_database(url, replace=regenerate)
    if not created:
        with connection.cursor() as cursor:
            marker = database.read_marker(cursor)
        if marker and marker[:2] == (prisoners, GENERATOR_VERSION):
            info = marker[2]
            log(f"Reusing the dataset of {prisoners:,} prisoners from {info['generated_on']} (--regenerate redoes it).")
            if migrate():  # new migrations may have added derived data the app must rebuild
                log("  new migrations applied")
                hooks.after_load(log)
                vacuum_analyze(log)
            else:
                hooks.after_migrate(log)
            return info
        log("The database holds another or an incomplete dataset: generating afresh.")
        connection.close()
        database.create_database(url, replace=True)
    log(f"Generating {prisoners:,} prisoners into {database.database_name(url)} …")
    started = time.monotonic()
    migrate()
    migrated = time.monotonic()
    info = Generator(prisoners, log=log).run()
    loaded = time.monotonic()
    info["after_load"] = hooks.after_load(log)
    derived = time.monotonic()
    vacuum_analyze(log)
    done = time.monotonic()
    info["phases"] = {
        "migrate": round(migrated - started, 1),
        **info["phases"],
        "after_load": round(derived - loaded, 1),
        "vacuum_analyze": round(done - derived, 1),
        "total": round(done - started, 1),
    }
    with connection.cursor() as cursor:
        database.write_marker(cursor, prisoners, GENERATOR_VERSION, info)
    log("Generated: " + ", ".join(f"{phase} {seconds} s" for phase, seconds in info["phases"].items()))
    return info


def vacuum_analyze(log):
    """Statistics for every table, the derived ones (lapses, the name index) included: rows written
    in bulk leave the planner guessing until autovacuum gets round to them."""
    log("  VACUUM ANALYZE …")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def metadata(prisoners, url):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('jit'), current_setting('shared_buffers'), "
            "current_setting('work_mem'), pg_database_size(current_database())"
        )
        version, jit, shared_buffers, work_mem, size = cursor.fetchone()
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=settings.BASE_DIR
    ).stdout.strip()
    return {
        "prisoners": prisoners,
        "generator_version": GENERATOR_VERSION,
        "database": database.database_name(url),
        "database_bytes": size,
        "postgresql": version,
        "jit": jit,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "commit": commit,
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def run(options, url, log=print):
    info = prepare(options.prisoners, url, options.regenerate, log)
    meta = metadata(options.prisoners, url)
    rows = info["rows"]
    log(
        f"\n{options.prisoners:,} prisoners, {rows['events_incident']:,} incidents, {rows['events_contact']:,} "
        f"contacts; database {meta['database_bytes'] / 2**30:.2f} GB; PostgreSQL {meta['postgresql']} "
        f"(jit {meta['jit']}); commit {meta['commit']}\n"
    )
    scenarios = [s for s in SCENARIOS if not options.only or s.key in options.only]
    runner = Runner(options, log)

    def progress(key, result):
        if "p50" in result:
            log(f"    {report.duration(result['p50'])} (p50 of {result['runs']})" if BY_KEY[key].timed else "    done")

    started = time.monotonic()
    # The check comes first, and alone: if the reference and the app disagree, nothing else is worth measuring.
    check = [s for s in scenarios if s.key == "lapse_check"]
    results = runner.run(check, on_result=progress)
    agreed = not check or results["lapse_check"].get("outcome", {}).get("agreed")
    if agreed:
        results = runner.run([s for s in scenarios if s not in check], on_result=progress)
    else:
        scenarios = check
    meta["bench_seconds"] = round(time.monotonic() - started)
    output = Path(options.json or settings.VAR_DIR / f"bench-{options.prisoners}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report.to_json(meta, info, scenarios, results))
    log("\n" + report.table(scenarios, results))
    notes = report.notes(scenarios, results)
    if notes:
        log("\n" + notes)
    log(f"\nResults: {output}")
    if not agreed:
        log("\nFAILED: the lapse reference and the app disagree (or the check did not finish): one of them is wrong.")
        for mismatch in results["lapse_check"].get("outcome", {}).get("mismatches", []):
            log(f"  {mismatch}")
        return EXIT_DISAGREE
    return 1 if any("error" in result for result in results.values()) else 0
