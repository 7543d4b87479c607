"""Redis databases of its own for each pytest-xdist worker, so the suite on PostgreSQL + Redis can
run on a worker per core.

The tests flush REDIS_URL's database (the broker's) and the page cache's next to it, so two workers
must never share them: worker gwN moves both up by 2×N (redis://…/0 gives gw0 0 and 1, gw1 2 and 3).
Loaded with `-p` (pyproject's addopts) because it must change the environment before pytest-django
reads Django's settings, and the processes the tests start inherit the same databases.
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

DATABASES_A_WORKER = 2  # REDIS_URL's and the page cache's (the next one)
REDIS_DATABASES = 16  # Redis's default `databases`


def moved_up(url, worker):
    """`url` with its database number moved up for worker number `worker`; refused past the last database."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + DATABASES_A_WORKER * worker
    if number >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"{url}: pytest-xdist worker gw{worker} would need Redis database {number}, past the last "
            f"({REDIS_DATABASES - 1}); run fewer workers (-n) or start from a lower database."
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


def give_this_worker_its_own_databases(environ):
    """Move REDIS_URL (and CACHE_REDIS_URL, if set) up for this xdist worker; returns what they were."""
    worker = environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return {}  # one process, or xdist's controller, which runs no test
    number = int(worker.removeprefix("gw"))
    before = {name: environ[name] for name in ("REDIS_URL", "CACHE_REDIS_URL") if environ.get(name)}
    for name, url in before.items():
        if not url.startswith(("redis://", "rediss://")):
            raise pytest.UsageError(f"{name}={url}: only a redis:// URL can be moved up for each worker; run -n 0.")
        environ[name] = moved_up(url, number)
    return before


BEFORE_THE_MOVE = give_this_worker_its_own_databases(os.environ)
