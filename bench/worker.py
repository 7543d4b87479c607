"""A worker process: measures the scenarios named on its command line, one after the other, and
reports each on its stdout as a line the parent reads (`PROTOCOL` + JSON).

Started by bench.runner with the bench database in DATABASE_URL; the parent enforces each
scenario's timeout by killing the worker, and PostgreSQL by the same statement_timeout.
"""

import argparse
import gc
import json
import statistics
import sys
import time
import traceback
from dataclasses import dataclass

import django
from django.db import connection, reset_queries
from django.db.backends.signals import connection_created
from django.test.utils import CaptureQueriesContext

PROTOCOL = "@@bench "


def emit(**message):
    print(PROTOCOL + json.dumps(message, default=str), flush=True)


def memory_mb(field):
    """VmRSS (resident now) or VmHWM (the peak) of this process image, from /proc/self/status.

    Not getrusage's ru_maxrss: Linux carries that over from the parent across fork and exec, so a
    worker started by a big parent would report the parent's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


@dataclass
class Run:
    seconds: float
    queries: int | None  # None: more than the connection keeps a log of
    outcome: dict


def once(scenario, context):
    if scenario.before_each:
        scenario.before_each(context)
    gc.collect()
    reset_queries()  # the query log keeps 9,000 entries: start each run with an empty one
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        outcome = scenario.run(context)
        seconds = time.perf_counter() - started
    count = len(captured)
    return Run(seconds, None if count >= connection.queries_limit else count, outcome)


def measure(scenario, context, options):
    """Runs until `options.runs` are measured, one takes more than 10x the target, or the budget is spent.

    The first run warms the process (imports, compiled templates) and is not counted, unless it
    was already too slow to repeat: then it is the one measurement."""
    baseline = memory_mb("VmRSS")
    if scenario.prepare:
        scenario.prepare(context)
    limit = 10 * scenario.time_target(context)
    first = once(scenario, context)
    if not scenario.repeat or first.seconds > limit:
        runs = [first]
    else:
        runs, spent = [], 0.0
        while len(runs) < options.runs:
            run = once(scenario, context)
            runs.append(run)
            spent += run.seconds
            if run.seconds > limit or spent > options.budget:
                break
    timings = [run.seconds for run in runs]
    result = {
        "p50": statistics.median(timings),
        "timings": [round(seconds, 4) for seconds in timings],
        "runs": len(runs),
        "queries": runs[-1].queries,
        "queries_varied": len({run.queries for run in runs}) > 1,
        "outcome": runs[-1].outcome,
        "rss_peak_mb": round(memory_mb("VmHWM"), 1),
        "rss_growth_mb": round(memory_mb("VmHWM") - baseline, 1),
    }
    if scenario.inspect:
        result["inspect"] = scenario.inspect(context)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--budget", type=float, required=True)
    parser.add_argument("--timeout", type=float, required=True)
    options = parser.parse_args(argv)

    django.setup()
    # Only now can the models load: Django is set up, on the bench database (bench.cli sets it).
    from bench.scenarios import BY_KEY, Context

    def limit_statements(**kwargs):
        # PostgreSQL stops a runaway query itself when the parent gives up on the scenario.
        with kwargs["connection"].cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(options.timeout * 1000)}")

    connection_created.connect(limit_statements, weak=False)
    context = Context()
    for key in options.scenarios:
        emit(event="start", scenario=key)
        try:
            result = measure(BY_KEY[key], context, options)
        except Exception as error:
            result = {"error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc()}
            connection.close()  # a failed statement leaves the connection unusable for the next scenario
        emit(event="result", scenario=key, result=result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
