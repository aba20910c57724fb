# Kontum Posts — two commands: `make run` and `make test`.
# A Python 3.12+ : python3.13, python3.12, python3 if new enough, then pyenv's 3.12/3.13 (see docs/).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 \
  $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p || echo $$p; } && break; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test` on the two-core machines it runs on: three on PostgreSQL, whose workers wait on
# the server and on the processes and browsers the tests start (that pass: 536 s with two, 403 s with three), two on
# SQLite, which runs in the workers themselves (three gained nothing: 339 s and 340 s).
TEST_WORKERS ?= $(if $(findstring postgres,$(DATABASE_URL)),3,2)
# Browser tests must run, not skip, under `make test` (set REQUIRE_BROWSER=0 to allow skipping).
export REQUIRE_BROWSER ?= 1
# Playwright drives Debian's Chromium; it must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export DJANGO_ALLOW_ASYNC_UNSAFE := true

.PHONY: run test setup sysdeps db demo bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Kontum Posts needs Python 3.12 or newer: install python3.12 (or set PYTHON=/path/to/python3.12)"; exit 1; }
	@test -x $(PY) && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

# Chromium (browser tests) and poppler-utils (pdftotext/pdftoppm), from Debian, when missing and root.
sysdeps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing$$missing from Debian"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing (sudo apt-get install$$missing)"; \
	  fi; \
	fi

db: setup
	$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py shell -v0 -c "from communes.models import Province; import sys; sys.exit(0 if Province.objects.filter(code__in=[62, 75]).values('code').distinct().count() == 2 else 1)" \
	  || $(PY) manage.py import_divisions --province 62 --province 75

# The pilot (carried into Quảng Ngãi's units on 01/07/2025), and the changes after the packaged data
# (communes/data/changes-2026.csv: ten xã of Đồng Nai became phường on 30/04/2026); both idempotent.
demo: db
	$(PY) manage.py load_pilot_demo
	$(PY) manage.py record_changes communes/data/changes-2026.csv

run: demo
	@echo ""
	@echo "  Kontum Posts is at http://$(HOST):$(PORT)/  (demo logins above)"
	@echo "    the 2019 review:  http://$(HOST):$(PORT)/?as_of=2019-04-23&province=62"
	@echo "    today:            http://$(HOST):$(PORT)/?province=51  (Quảng Ngãi, the pilot carried in on 01/07/2025)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup sysdeps
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadscope

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) var

# Load run (~2 min): two gunicorns, Redis, a PostgreSQL primary and streaming replica of its own, paced viewers and editors, loopback only. See load/run.py.
.PHONY: load
load: setup
	$(PY) -m load
