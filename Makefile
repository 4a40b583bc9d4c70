# The two commands:
#   make run    install, migrate, load reference and demo data, serve on http://127.0.0.1:8000
#   make test   install, then ruff, mypy, lint-imports, the migrations check and pytest (what CI runs)
# Both use DATABASE_URL when it is set (environment or .env) and otherwise an embedded
# PostgreSQL with its data in .data/pg (see tracker/embedded.py).

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The venv's tools (python, ruff, mypy, pytest, celery) come first on PATH in every recipe.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
LAUNCH := $(PY) -m tracker.embedded run --
IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --no-upgrade
# The browser tests drive this Chromium (Debian's package).
CHROMIUM ?= /usr/bin/chromium
export PYTEST_ARGS ?=

# WeasyPrint (the pdf report drafts) lays text out with Pango and HarfBuzz, in the Noto fonts
# (Arabic, Chinese): Debian's packages.
REPORT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk

.PHONY: help venv assets messages chromium reports-deps run test test-xss test-api bench bench-plans faults load worker beat db-stop

help:
	@echo "make run      quick start: install, migrate, load reference and demo data, runserver"
	@echo "make test     ruff, ruff format --check, mypy, lint-imports, makemigrations --check, pytest"
	@echo "              (PYTEST_ARGS='-k something -x' is passed to pytest)"
	@echo "make test-xss the XSS corpus through every view of every text sink, in Chromium too"
	@echo "make test-api the API against its schema: 4 callers, 100 examples per operation"
	@echo "make worker   Celery worker (needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0)"
	@echo "make beat     Celery beat (same)"
	@echo "make bench    benchmarks (bench/run.py, report_bench.py, api_scale_bench.py)"
	@echo "              (BENCH_SCALE_ARGS='--size 50000' for a quicker API scale bench)"
	@echo "make bench-plans  the plan's matrix page and XLSX export at 500 and 5,000 recommendations"
	@echo "make faults   PostgreSQL restart, Redis stop, worker SIGKILL, for real (root; scripts/faults.py)"
	@echo "make load     locust: 50 users for 2 minutes against gunicorn + a worker (scripts/load.py)"
	@echo "make db-stop  stop an embedded PostgreSQL left running"
	@echo "Without DATABASE_URL an embedded PostgreSQL keeps its data in .data/pg."

# --- installation -----------------------------------------------------------------------------

venv: $(VENV)/.installed

$(PY):
	$(PYTHON) -m venv $(VENV) || { \
	  [ "$(IS_ROOT)" = yes ] || { echo "python3 -m venv failed: install python3-venv"; exit 1; }; \
	  rm -rf $(VENV); \
	  apt-get update && $(APT_INSTALL) python3-venv && $(PYTHON) -m venv $(VENV); }

# Reinstalled only when pyproject.toml is newer than the stamp.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -e '.[dev]'
	touch $@

assets: node_modules/.installed build/css/.built

# Bootstrap's stylesheets trimmed to the classes the templates, the Python and our scripts use
# (scripts/trim-css.mjs); remade when any of them changes.
TRIM_SOURCES := $(shell find templates tracker recommendations plans reporting static/js \
	\( -name '*.html' -o -name '*.py' -o -name '*.js' \) -not -path '*/migrations/*' 2>/dev/null)
build/css/.built: node_modules/.installed scripts/trim-css.mjs $(TRIM_SOURCES)
	node scripts/trim-css.mjs
	touch $@

# npm ci empties node_modules and installs exactly package-lock.json; the stamp records when.
node_modules/.installed: package-lock.json package.json
	@command -v npm >/dev/null || { \
	  [ "$(IS_ROOT)" = yes ] || { echo "npm is missing: install Node.js 20 and npm"; exit 1; }; \
	  apt-get update && $(APT_INSTALL) nodejs npm; }
	npm ci --no-audit --no-fund
	touch $@

messages: venv
	@if ! command -v msgfmt >/dev/null && [ "$(IS_ROOT)" = yes ]; then \
	  $(APT_INSTALL) gettext || { apt-get update && $(APT_INSTALL) gettext; }; \
	fi
	@if ! command -v msgfmt >/dev/null; then \
	  echo "messages: msgfmt not found, translations not compiled (apt-get install gettext)"; \
	elif ! find . -name '*.po' -not -path './$(VENV)/*' -not -path './node_modules/*' | grep -q .; then \
	  echo "messages: no .po files to compile"; \
	else \
	  echo "$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules"; \
	  $(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules; \
	fi

chromium:
	@if [ -x $(CHROMIUM) ] && { [ "$(IS_ROOT)" != yes ] || dpkg -s fonts-noto-core fonts-noto-cjk >/dev/null 2>&1; }; then \
	  echo "chromium: $(CHROMIUM) is installed"; \
	elif [ "$(IS_ROOT)" = yes ]; then \
	  apt-get update && $(APT_INSTALL) chromium fonts-noto-core fonts-noto-cjk; \
	else \
	  echo "The browser tests need Chromium at $(CHROMIUM). Install it with:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y chromium fonts-noto-core fonts-noto-cjk"; \
	  exit 1; \
	fi

# The libraries and fonts of the pdf report drafts, installed when one is missing (as chromium).
reports-deps:
	@if dpkg -s $(REPORT_PACKAGES) >/dev/null 2>&1; then \
	  echo "reports-deps: Pango, HarfBuzz and the Noto fonts are installed"; \
	elif [ "$(IS_ROOT)" = yes ]; then \
	  $(APT_INSTALL) $(REPORT_PACKAGES) || { apt-get update && $(APT_INSTALL) $(REPORT_PACKAGES); }; \
	else \
	  echo "The pdf reports need Pango and the Noto fonts. Install them with:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y $(REPORT_PACKAGES)"; \
	  exit 1; \
	fi

# --- the two commands -------------------------------------------------------------------------

run: venv assets messages reports-deps
	$(LAUNCH) scripts/quickstart.sh

test: venv assets messages chromium reports-deps
	DJANGO_SETTINGS_MODULE=tracker.settings.test $(LAUNCH) scripts/check.sh

# --- the rest ---------------------------------------------------------------------------------

# The long XSS run: every payload of tests/security/xss_payloads.txt through every view of every
# text sink, served (tests/security/test_xss.py) and in Chromium (tests/e2e/test_xss_browser.py).
# `make test` runs the same with the views that show many payloads at once.
test-xss: venv assets messages chromium
	TRACKER_XSS_FULL=1 DJANGO_SETTINGS_MODULE=tracker.settings.test $(LAUNCH) \
	  pytest tests/security/test_xss.py tests/e2e/test_xss_browser.py $(PYTEST_ARGS)

# The API against its schema with all four callers and 100 examples per operation
# (tests/tracker/api/test_schema_fuzz.py; make test runs two callers with 5).
test-api: venv
	TRACKER_SCHEMATHESIS_CALLERS=all TRACKER_SCHEMATHESIS_EXAMPLES=$${TRACKER_SCHEMATHESIS_EXAMPLES:-100} \
	  DJANGO_SETTINGS_MODULE=tracker.settings.test $(LAUNCH) pytest tests/tracker/api/test_schema_fuzz.py $(PYTEST_ARGS)
# The faults of the reliability issue, for real, on a private PostgreSQL cluster and Redis: needs
# root (pg_createcluster). Not part of make test.
faults: venv
	$(PY) scripts/faults.py

# Load: locust (the "load" extra of pyproject.toml), loopback only, stops by itself. Not part of
# make test.
load: venv
	@$(PY) -c "import locust" 2>/dev/null || $(PY) -m pip install --quiet -e '.[load]'
	$(PY) scripts/load.py

bench: venv reports-deps
	@if [ -f bench/run.py ]; then \
	  $(LAUNCH) python bench/run.py && $(LAUNCH) python bench/report_bench.py \
	    && $(LAUNCH) python bench/api_scale_bench.py $(BENCH_SCALE_ARGS); \
	else \
	  echo "bench: no benchmarks yet (bench/run.py does not exist); nothing to run"; \
	fi

bench-plans: venv
	$(LAUNCH) python bench/plan_bench.py

define need_broker
	@if [ -z "$${CELERY_BROKER_URL:-}" ] && ! grep -qsE '^CELERY_BROKER_URL=.+' .env; then \
	  echo "Set CELERY_BROKER_URL (environment or .env), e.g. redis://127.0.0.1:6379/0."; \
	  echo "Without a broker, make run executes tasks in-process and needs no worker."; \
	  exit 1; \
	fi
endef

worker: venv
	$(need_broker)
	$(LAUNCH) celery -A tracker worker -l info

beat: venv
	$(need_broker)
	@mkdir -p .data
	$(LAUNCH) celery -A tracker beat -l info --schedule .data/celerybeat-schedule

db-stop: venv
	$(PY) -m tracker.embedded stop
