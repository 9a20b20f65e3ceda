# Two commands matter: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every database a checkout makes carries this id (from the checkout's path), so two checkouts
# on one machine never share one: pytest-django's test_bookstore_<id>, bookstore_load_<id>, ...
CHECKOUT_ID ?= $(shell printf '%s' "$(CURDIR)" | cksum | cut -c1-8)
export CHECKOUT_ID
# PostgreSQL used by `make test` when reachable; override with POSTGRES_URL=...
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/bookstore_$(CHECKOUT_ID)
# make demo: its database, how many books it seeds into an empty one, where it listens.
DEMO_DB ?= sqlite:///$(CURDIR)/db.sqlite3
DEMO_BOOKS ?= 2000
DEMO_ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# make load: the database it seeds (created if missing), the paths it drives, the duration.
LOAD_DB ?= postgres://postgres@127.0.0.1:5432/bookstore_load_$(CHECKOUT_ID)
LOAD_PATHS ?=
LOAD_ARGS ?= --duration 30 --books 10000

.PHONY: help venv demo test lint typecheck test-sqlite test-postgres load clean bench bench-quick bench-deps

help:
	@echo "make demo   - install, migrate, seed and serve the bookstore at http://$(DEMO_ADDR)/"
	@echo "              (DEMO_ADDR=host:port, DEMO_BOOKS=N, DEMO_DB=url: docs/configuration.md)"
	@echo "make test   - lint, type-check, and run the tests on SQLite and PostgreSQL"
	@echo "make load   - gunicorn on 127.0.0.1 + seeded PostgreSQL: wrk on reads, token-authenticated"
	@echo "              writes and the rating vs price sort, 30 s each (LOAD_PATHS=..., LOAD_ARGS=...)"
	@echo "make bench  - benchmarks on SQLite and PostgreSQL into bench/results/ (< 20 min;"
	@echo "              make bench-quick or make bench ARGS=--quick for a small run)"

venv: $(STAMP)

# Recreate the install when the pinned dependencies change.
$(STAMP): pyproject.toml packages/django-fetchplan/pyproject.toml Makefile
	@if [ ! -x $(PY) ]; then \
	  python=$$(scripts/find-python) || exit 1; \
	  echo "Creating $(VENV) with $$python"; \
	  "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e packages/django-fetchplan -e '.[dev,bench]'
	@touch $(STAMP)

demo: $(STAMP)
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(PY) manage.py migrate --no-input
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(PY) manage.py seed --books $(DEMO_BOOKS) --if-empty
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(PY) manage.py demo_reader
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(PY) manage.py runserver $(DEMO_ADDR)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# The browser tests (tests/browser) skip when Chromium is missing, unless REQUIRE_BROWSER=1.
test-sqlite: $(STAMP)
	@echo "== tests on SQLite"
	DATABASE_URL=sqlite:///:memory: $(PY) -m pytest $(PYTEST_ARGS)

# Runs on PostgreSQL when it answers; REQUIRE_POSTGRES=1 turns "unreachable" into a failure.
test-postgres: $(STAMP)
	@if $(PY) scripts/pg_reachable.py "$(POSTGRES_URL)"; then \
	  echo "== tests on PostgreSQL ($(POSTGRES_URL))"; \
	  DATABASE_URL="$(POSTGRES_URL)" $(PY) -m pytest $(PYTEST_ARGS); \
	elif [ "$${REQUIRE_POSTGRES:-0}" = "1" ]; then \
	  echo "error: PostgreSQL at $(POSTGRES_URL) is unreachable and REQUIRE_POSTGRES=1" >&2; exit 1; \
	else \
	  echo "== PostgreSQL at $(POSTGRES_URL) is unreachable: skipping its run (REQUIRE_POSTGRES=1 makes this fail)"; \
	fi

test: lint typecheck test-sqlite test-postgres

# Installs wrk (Debian) when missing; bounded by --duration and --max-requests; 127.0.0.1 only.
load: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) -m bench.load --database-url "$(LOAD_DB)" $(LOAD_ARGS) $(LOAD_PATHS)

# The bench extras (django-readers, matplotlib, pyinstrument) come with the venv, so that
# `make test` runs the harness's smoke test; bench-deps stays as an alias.
BENCH_STAMP := $(STAMP)
# PostgreSQL server (no database name) where the bench_* fixture databases are made.
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432
ARGS ?=

bench-deps: $(BENCH_STAMP)


bench: $(BENCH_STAMP)
	BENCH_POSTGRES="$(BENCH_POSTGRES)" $(PY) -m bench $(ARGS)

bench-quick: $(BENCH_STAMP)
	BENCH_POSTGRES="$(BENCH_POSTGRES)" $(PY) -m bench --quick $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
