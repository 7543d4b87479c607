# Casetracker: `make run` starts the app with the demo case, `make test` runs the tests,
# `make bench` measures the app on a generated register (README, "Benchmark").
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PRISONERS ?= 10000
# make test / test-fast run on a pytest-xdist worker per core (at most 8); TEST_WORKERS=0 runs
# them in one process, TEST_WORKERS=2 on two. Each worker has databases of its own (casetracker/pytest_redis.py).
# A worker that runs out of tests takes queued ones from the other (worksteal): no core idles at the end.
TEST_WORKERS ?= auto
# Some machines set this; without it every process the tests start compiles the project again.
unexport PYTHONDONTWRITEBYTECODE
PYTEST = $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

.PHONY: install validators run test test-fast lint lock clean bench restore-test stack-test

install: $(VENV)/.installed

# Reinstall whenever the dependencies or their pins change.
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py demo_accounts --url http://127.0.0.1:$(PORT)
	exec bin/run-local $(PORT)

test: install validators
	$(PYTEST) $(PYTEST_ARGS)

# The HTML and accessibility validators the public-page tests run (package.json, pinned in package-lock.json).
# Without npm they are left out and those tests skip (under CI a skip fails).
validators: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the validator tests (tests/test_public_validators.py) will skip."; \
	fi

# Everything but the browser, subprocess and worker tests (marker `slow`): for quick local runs.
test-fast: install
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

# On PostgreSQL (BENCH_DATABASE_URL, default casetracker_bench_<PRISONERS> on the local server):
# generates the register once, then measures; BENCH_ARGS e.g. "--regenerate" or "--only lapse,scan_first".
bench: install
	$(BIN)/python -m bench --prisoners $(PRISONERS) $(BENCH_ARGS)

# A backup made (bin/backup) and restored into a scratch database, compared table by table (README, "Backups"); on the
# local PostgreSQL, or RESTORE_TEST_DATABASE_URL.
restore-test: install
	bin/restore-test

# The image built and the compose stack run with podman as an operator would, throughput ratios printed
# (tests/test_compose_stack.py; README, "Deploying with Docker"). Needs podman, runc, debootstrap and wrk.
stack-test: install
	$(BIN)/python -m pytest -m stack -p no:cacheprovider tests/test_compose_stack.py $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-pin every dependency to what is installed now (after changing pyproject.toml).
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) var node_modules
