"""`python -m bench` (`make bench`): arguments, the bench database, Django set up for it."""

import argparse
import functools
import os
import sys

import django

from . import database
from .database import BenchError

MIN_PRISONERS, MAX_PRISONERS = 100, 1_000_000


def prisoner_count(text):
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of prisoners") from None
    if not MIN_PRISONERS <= count <= MAX_PRISONERS:
        raise argparse.ArgumentTypeError(
            f"{count:,} prisoners is outside what the bench handles ({MIN_PRISONERS:,} to {MAX_PRISONERS:,})"
        )
    return count


def scenario_keys(text):
    # The scenario list needs the models; its keys are checked once Django is set up.
    return [key.strip() for key in text.split(",") if key.strip()]


def parser():
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Generate a register of the given size on PostgreSQL (once; reused afterwards) and measure "
        "the app against issue 10's targets. See README, 'Benchmark'.",
    )
    parser.add_argument("--prisoners", type=prisoner_count, default=10_000, help="size of the register (10,000)")
    parser.add_argument("--regenerate", action="store_true", help="generate the dataset again even if it exists")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per scenario at most (5)")
    parser.add_argument(
        "--budget", type=float, default=30, help="seconds of runs after which a scenario stops repeating (30)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds a scenario may take in all (300)")
    parser.add_argument("--only", type=scenario_keys, help="comma-separated scenario keys (default: all)")
    parser.add_argument("--json", help="where the results go (default: var/bench-<prisoners>.json)")
    return parser


def configure_environment(url):
    """The settings this process and its workers (which inherit them) run with."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="casetracker.settings",
        DATABASE_URL=url,
        DEBUG="true",  # the local configuration; query counting logs every query either way
        PUBLIC_CACHE_SECONDS="0",  # "cold": every page is rendered from the database
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)  # with the page cache off, nothing measured uses Redis


def main(argv=None):
    options = parser().parse_args(argv)
    try:
        url = database.sized_url(os.environ.get("BENCH_DATABASE_URL") or database.DEFAULT_URL, options.prisoners)
        configure_environment(url)
        django.setup()
        # Only now can the models load: Django is set up, on the bench database.
        from . import scenarios, session

        unknown = set(options.only or []) - scenarios.BY_KEY.keys()
        if unknown:
            parser().error(f"unknown scenario(s) {', '.join(sorted(unknown))}; known: {', '.join(scenarios.BY_KEY)}")
        return session.run(options, url, log=functools.partial(print, flush=True))  # progress shows as it goes
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
