# Caredesk: `make run` serves the demo workspace, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
PG_URL ?= postgres://postgres@127.0.0.1:5432/caredesk
PYTEST_ARGS ?=

.PHONY: run install dev lint format check test test-sqlite test-postgres browser-deps worker demo clean fuzz

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed: $(UV) requirements.lock pyproject.toml
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.lock
	$(UV) pip install --quiet --python $(BIN)/python -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

PORT ?= 8000

# The demo workspace at http://127.0.0.1:$(PORT) with demo data, and the background worker
# (email outbox, chat alerts, retention) beside it; one Ctrl-C stops both.
run: install
	CAREDESK_DEBUG=true $(BIN)/caredesk migrate --noinput -v 0
	CAREDESK_DEBUG=true CAREDESK_PUBLIC_URL=$${CAREDESK_PUBLIC_URL:-http://127.0.0.1:$(PORT)} \
	  $(BIN)/caredesk demo --if-empty
	@export CAREDESK_DEBUG=true CAREDESK_PUBLIC_URL=$${CAREDESK_PUBLIC_URL:-http://127.0.0.1:$(PORT)}; \
	$(BIN)/caredesk worker -v 0 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Worker running (pid $$worker, quiet: see the Outbox page); mail goes to var/mail/ unless EMAIL_HOST is set."; \
	$(BIN)/caredesk runserver 127.0.0.1:$(PORT)

worker: install
	CAREDESK_DEBUG=true $(BIN)/caredesk worker

# Debian's Chromium drives the browser tests (installed when missing and running as root).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: /usr/bin/chromium missing; browser tests will be skipped"; fi; \
	fi

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: dev
	CAREDESK_DEBUG=true $(BIN)/caredesk check --fail-level WARNING
	CAREDESK_DEBUG=true $(BIN)/caredesk makemigrations --check --dry-run
	CAREDESK_DEBUG=false SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
	  CAREDESK_ALLOWED_HOSTS=caredesk.example.com \
	  $(BIN)/caredesk check --deploy --fail-level WARNING

test-sqlite: dev browser-deps
	env -u DATABASE_URL DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: dev browser-deps
	DATABASE_URL=$(PG_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

# The whole suite: lint, checks, then every test on SQLite and on PostgreSQL.
test: lint check test-sqlite test-postgres

# The API contract test with a larger budget (every boundary of every field, more examples per
# operation), on PostgreSQL. FUZZ_EXAMPLES=500 for a longer run.
FUZZ_EXAMPLES ?= 100
fuzz: dev
	DATABASE_URL=$(PG_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true CAREDESK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  $(BIN)/pytest -q caredesk/workspace/tests/test_api_contract.py \
	  caredesk/workspace/tests/test_hostile_input.py

clean:
	rm -rf $(VENV) var build *.egg-info
