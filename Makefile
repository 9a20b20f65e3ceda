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
# MariaDB (or MySQL) used by `make test` when reachable: a user and databases of this checkout's
# own, which scripts/mariadb_ready.py creates (as root over the local socket) when missing.
MARIADB_USER ?= fetchplan_$(CHECKOUT_ID)
MARIADB_SERVER ?= mysql://$(MARIADB_USER):tests-$(CHECKOUT_ID)@127.0.0.1:3306
MARIADB_URL ?= $(MARIADB_SERVER)/bookstore_$(CHECKOUT_ID)
# make demo: its database, how many books it seeds into an empty one, where it listens.
DEMO_DB ?= sqlite:///$(CURDIR)/db.sqlite3
DEMO_BOOKS ?= 2000
DEMO_ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# make load: the database it seeds (created if missing), the paths it drives, the duration.
LOAD_DB ?= postgres://postgres@127.0.0.1:5432/bookstore_load_$(CHECKOUT_ID)
LOAD_PATHS ?=
LOAD_ARGS ?= --duration 30 --books 10000

# The library's own suite runs on each supported Django: 6.1 in .venv (the project's pins),
# 5.2 LTS in .venv-django52 on Python 3.12 when one is found (constraints in the library's
# folder). Each database it makes carries CHECKOUT_ID too.
LIB := packages/django-fetchplan
VENV52 := .venv-django52
PY52 := $(VENV52)/bin/python
STAMP52 := $(VENV52)/.installed
LIB_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/fetchplan_$(CHECKOUT_ID)
LIB52_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/fetchplan52_$(CHECKOUT_ID)
LIB_MARIADB_URL ?= $(MARIADB_SERVER)/fetchplan_$(CHECKOUT_ID)
LIB52_MARIADB_URL ?= $(MARIADB_SERVER)/fetchplan52_$(CHECKOUT_ID)
# Interpreters of the acceptance test's virtualenvs (Django 5.2 on 3.12 when there is one).
PYTHON312 ?= $(shell scripts/find-python 3.12 2>/dev/null || scripts/find-python)

.PHONY: help venv venv-django52 demo test lint typecheck test-sqlite test-postgres test-mariadb test-lib \
        test-lib-django61 test-lib-django52 test-acceptance load clean bench bench-quick bench-deps \
        test-lane-bookstore test-lane-library

help:
	@echo "make demo   - install, migrate, seed and serve the bookstore at http://$(DEMO_ADDR)/"
	@echo "              (DEMO_ADDR=host:port, DEMO_BOOKS=N, DEMO_DB=url: docs/configuration.md)"
	@echo "make test   - lint, type-check, and run the tests on SQLite, PostgreSQL and MariaDB: the"
	@echo "              bookstore's, the library's on Django 6.1 and 5.2, and its wheel in a"
	@echo "              new project (make test-lib, make test-acceptance run those alone)"
	@echo "make load   - gunicorn on 127.0.0.1 + seeded PostgreSQL: wrk on reads, token-authenticated"
	@echo "              writes and the rating vs price sort, 30 s each (LOAD_PATHS=..., LOAD_ARGS=...)"
	@echo "make bench  - benchmarks on SQLite, PostgreSQL (and MariaDB: list, export) into bench/results/ (< 20 min;"
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
	$(PY) -m pip install --quiet -e packages/django-fetchplan -e '.[dev,bench,mariadb]'
	@touch $(STAMP)

demo: $(STAMP)
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(PY) manage.py migrate --no-input
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(PY) manage.py seed --books $(DEMO_BOOKS) --if-empty
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(PY) manage.py demo_reader
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(PY) manage.py runserver $(DEMO_ADDR)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The bookstore (mypy.ini), the library's src and tests (its pyproject), and the files its
# acceptance test copies into a new project (their own settings).
typecheck: $(STAMP)
	$(VENV)/bin/mypy
	cd $(LIB) && $(CURDIR)/$(VENV)/bin/mypy
	cd $(LIB) && $(CURDIR)/$(VENV)/bin/mypy --config-file tests/acceptance/new-project/mypy.ini

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

# Runs on MariaDB/MySQL when it answers; REQUIRE_MARIADB=1 turns "unreachable" into a failure.
test-mariadb: $(STAMP)
	@if $(PY) scripts/mariadb_ready.py "$(MARIADB_URL)"; then \
	  echo "== tests on MariaDB ($(MARIADB_URL))"; \
	  DATABASE_URL="$(MARIADB_URL)" $(PY) -m pytest $(PYTEST_ARGS); \
	elif [ "$${REQUIRE_MARIADB:-0}" = "1" ]; then \
	  echo "error: MariaDB at $(MARIADB_URL) is unreachable and REQUIRE_MARIADB=1" >&2; exit 1; \
	else \
	  echo "== MariaDB at $(MARIADB_URL) is unreachable: skipping its run (REQUIRE_MARIADB=1 makes this fail)"; \
	fi

# $(call lib_suite,python,postgres url,label,mariadb url): the library's suite on SQLite, then
# on PostgreSQL and on MariaDB when they answer (REQUIRE_POSTGRES=1, REQUIRE_MARIADB=1 turn
# "unreachable" into a failure; REQUIRE_POSTGRES=1 also makes a read replica that cannot be
# started for the routing tests a failure: REQUIRE_REPLICA).
define lib_suite
	@echo "== library suite, $(3), SQLite"
	cd $(LIB) && DATABASE_URL=sqlite:///:memory: $(CURDIR)/$(1) -m pytest $(PYTEST_ARGS)
	@if $(PY) scripts/pg_reachable.py "$(2)"; then \
	  echo "== library suite, $(3), PostgreSQL ($(2))"; \
	  cd $(LIB) && DATABASE_URL="$(2)" REQUIRE_REPLICA="$${REQUIRE_POSTGRES:-0}" \
	    $(CURDIR)/$(1) -m pytest $(PYTEST_ARGS); \
	elif [ "$${REQUIRE_POSTGRES:-0}" = "1" ]; then \
	  echo "error: PostgreSQL at $(2) is unreachable and REQUIRE_POSTGRES=1" >&2; exit 1; \
	else \
	  echo "== PostgreSQL at $(2) is unreachable: skipping the library suite's run there"; \
	fi
	@if $(PY) scripts/mariadb_ready.py "$(4)"; then \
	  echo "== library suite, $(3), MariaDB ($(4))"; \
	  cd $(LIB) && DATABASE_URL="$(4)" $(CURDIR)/$(1) -m pytest $(PYTEST_ARGS); \
	elif [ "$${REQUIRE_MARIADB:-0}" = "1" ]; then \
	  echo "error: MariaDB at $(4) is unreachable and REQUIRE_MARIADB=1" >&2; exit 1; \
	else \
	  echo "== MariaDB at $(4) is unreachable: skipping the library suite's run there"; \
	fi
endef

venv-django52: $(STAMP52)

$(STAMP52): $(LIB)/pyproject.toml $(LIB)/constraints-django52.txt Makefile
	@if [ ! -x $(PY52) ]; then \
	  python=$(PYTHON312) || exit 1; \
	  echo "Creating $(VENV52) with $$python"; \
	  "$$python" -m venv $(VENV52) || exit 1; \
	fi
	$(PY52) -m pip install --quiet --upgrade pip
	$(PY52) -m pip install --quiet -c $(LIB)/constraints-django52.txt -e '$(LIB)[test,mariadb]'
	@touch $(STAMP52)

test-lib-django61: $(STAMP)
	$(call lib_suite,$(PY),$(LIB_POSTGRES_URL),Django 6.1,$(LIB_MARIADB_URL))

test-lib-django52: $(STAMP) $(STAMP52)
	$(call lib_suite,$(PY52),$(LIB52_POSTGRES_URL),Django 5.2,$(LIB52_MARIADB_URL))

test-lib: test-lib-django61 test-lib-django52

# Builds the library's wheel and installs it, with only Django and pydantic, into a clean
# virtualenv per Django version (cached in $(LIB)/.cache while the sources are unchanged).
test-acceptance: $(STAMP)
	cd $(LIB) && FETCHPLAN_ACCEPTANCE_PYTHON_DJANGO52="$(PYTHON312)" \
	  FETCHPLAN_ACCEPTANCE_PYTHON_DJANGO61="$$($(CURDIR)/scripts/find-python)" \
	  $(CURDIR)/$(PY) -m pytest tests/acceptance $(PYTEST_ARGS)

# After lint and typecheck, the suites run in two lanes at once (machines of this kind have 2
# cores; one after the other they took over 30 minutes on a slow one): the bookstore's suite on
# its three databases, and the library's suites with the acceptance test. Their databases are
# distinct (bookstore_*, fetchplan_*, fetchplan52_*). Each lane's output is printed whole when
# the lane ends (--output-sync); either lane failing fails make test. TEST_LANES=1 runs the
# suites one after the other instead.
TEST_LANES ?= 2
test: lint typecheck
	@echo "== test lanes: bookstore (SQLite, PostgreSQL, MariaDB) | library (Django 6.1, 5.2) + acceptance; -j$(TEST_LANES)"
	@$(MAKE) --no-print-directory -j$(TEST_LANES) --output-sync=recurse test-lane-bookstore test-lane-library

test-lane-bookstore: $(STAMP)
	@started=$$(date +%s); $(MAKE) --no-print-directory -j1 test-sqlite test-postgres test-mariadb; \
	  status=$$?; echo "== lane bookstore took $$(( $$(date +%s) - started )) s"; exit $$status

test-lane-library: $(STAMP) $(STAMP52)
	@started=$$(date +%s); $(MAKE) --no-print-directory -j1 test-lib test-acceptance; \
	  status=$$?; echo "== lane library took $$(( $$(date +%s) - started )) s"; exit $$status

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
	BENCH_POSTGRES="$(BENCH_POSTGRES)" BENCH_MARIADB="$(MARIADB_SERVER)" $(PY) -m bench $(ARGS)

# A quick run writes into bench/results/quick/ (git-ignored), never over the committed results.
bench-quick: $(BENCH_STAMP)
	BENCH_POSTGRES="$(BENCH_POSTGRES)" BENCH_MARIADB="$(MARIADB_SERVER)" $(PY) -m bench --quick --out bench/results/quick $(ARGS)

clean:
	rm -rf $(VENV) $(VENV52) .mypy_cache .pytest_cache .ruff_cache $(LIB)/.cache $(LIB)/build
