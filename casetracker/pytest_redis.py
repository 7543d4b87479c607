"""Redis databases of its own for each pytest-xdist worker, so the suite on PostgreSQL + Redis can
run on a worker per core.

The tests flush REDIS_URL's database (the broker's) and the page cache's next to it, so two workers
must never share them: worker gwN moves both up by 2×N (redis://…/0 gives gw0 0 and 1, gw1 2 and 3).
Loaded with `-p casetracker.pytest_redis` (pyproject's addopts) because it must change the environment
before pytest-django reads Django's settings, and the processes the tests start inherit the same
databases. It lives in the package, not in tests/, so that any way of starting pytest can import it.
The app never imports it.
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

DATABASES_A_WORKER = 2  # REDIS_URL's and the page cache's (the next one)
REDIS_DATABASES = 16  # Redis's default `databases`


def moved_up(url, worker):
    """`url` with its database number moved up for worker number `worker` (which uses that database and the next);
    refused past the last database, or for a URL whose database the move cannot change."""
    parts = urlsplit(url)
    if "db=" in parts.query:
        raise pytest.UsageError(f"{url}: name the database in the path (redis://host:port/0), not in ?db=.")
    path = parts.path.strip("/") or "0"
    if not path.isdigit():
        raise pytest.UsageError(f"{url}: {path!r} is not a Redis database number.")
    number = int(path) + DATABASES_A_WORKER * worker
    last = number + DATABASES_A_WORKER - 1
    if last >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"{url}: pytest-xdist worker gw{worker} would need Redis database {last}, past the "
            f"last ({REDIS_DATABASES - 1}); run fewer workers (-n) or start from a lower database."
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


def give_this_worker_its_own_databases(environ):
    """Move REDIS_URL (and with it the page cache's database, the next one) up for this xdist worker; returns what
    was moved, by name. A CACHE_REDIS_URL of its own is refused: the two moved ranges could overlap."""
    worker, url = environ.get("PYTEST_XDIST_WORKER"), environ.get("REDIS_URL")
    if worker is None or not url:
        return {}  # one process (or xdist's controller, which runs no test), or no Redis: nothing to move
    if environ.get("CACHE_REDIS_URL"):
        raise pytest.UsageError("CACHE_REDIS_URL is set: give the tests REDIS_URL alone (the cache takes the next).")
    if not url.startswith(("redis://", "rediss://")):
        raise pytest.UsageError(f"REDIS_URL={url}: only a redis:// URL can be moved up for each worker; run -n 0.")
    environ["REDIS_URL"] = moved_up(url, int(worker.removeprefix("gw")))
    return {"REDIS_URL": url}


BEFORE_THE_MOVE = give_this_worker_its_own_databases(os.environ)
