# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The PostgreSQL the suite runs on besides SQLite (trust auth on the dev and CI machines).
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test setup browser-deps test-sqlite test-postgres check messages audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work here).
browser-deps:
	@sh scripts/ensure-browser.sh

run: setup browser-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo --if-empty
	@# A background worker runs the queued tasks (climate analyses, imports) beside the server.
	$(BIN)/python manage.py db_worker --queue-name default & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

check: setup
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

test-sqlite: setup browser-deps
	$(BIN)/python -m pytest

test-postgres: setup browser-deps
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest

# Known vulnerabilities in the pinned and installed packages (pip-audit; accepted ones with a
# reason in .security/pip-audit-ignore.txt) and bandit on our code. AUDIT_STRICT=1 also fails
# when the vulnerability service cannot be reached.
audit: setup
	$(BIN)/python scripts/security_audit.py

test: check audit test-sqlite test-postgres

# Re-extract our strings after changing them; translate in locale/th, then `make messages`.
messages: setup
	$(BIN)/python manage.py makemessages -l th --ignore=.venv --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Load benchmark (issue 8): gunicorn + wrk on PostgreSQL with BENCH_CITIES generated cities
# (benchmarks/README.md). Needs wrk: apt-get install -y wrk.
BENCH_CITIES ?= 2500
BENCH_DB_URL ?= postgres://postgres@127.0.0.1:5432/scale
.PHONY: bench-load
bench-load: setup
	$(BIN)/python benchmarks/load.py --cities $(BENCH_CITIES) --database-url $(BENCH_DB_URL)
