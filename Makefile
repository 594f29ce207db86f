# cchc — make demo | make test | make bench | make lint
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/cchc_test
SQLITE_URL ?= sqlite:///$(CURDIR)/var/test.sqlite3
HOST   ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: install setup demo serve test test-sqlite test-pg check-env bench lint audit fuzz clean

$(BIN)/cchc: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(BIN)/cchc

install: $(BIN)/cchc

setup: install
	mkdir -p var
	$(BIN)/cchc setup

demo: setup
	$(BIN)/cchc demo
	@echo "Phục vụ tại http://$(HOST)  (Ctrl+C để dừng)"
	CCHC_QUEUE_KIOSK_ALWAYS_OPEN=1 $(BIN)/cchc runserver $(HOST) --insecure

serve: install
	$(BIN)/cchc runserver $(HOST) --insecure

test: install check-env test-sqlite test-pg

# what the suite needs outside Python (chromium, PDF libraries, PostgreSQL): installed or started when run
# as root, otherwise the exact commands to run are printed (scripts/check-env.sh)
check-env:
	PG_URL=$(PG_URL) bash scripts/check-env.sh

test-sqlite: install
	bash scripts/check-env.sh --without-postgres
	mkdir -p var
	DATABASE_URL=$(SQLITE_URL) $(BIN)/pytest $(PYTEST_ARGS)

test-pg: install check-env
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)

bench: install
	mkdir -p bench/results
	@# -P: the script folder is not put on sys.path, so bench/calendar.py cannot shadow the standard calendar module
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python -P $$f || exit 1; done

# known vulnerabilities in the installed packages (pip-audit, PyPI's data): fails on a finding, only warns when
# PyPI cannot be reached (scripts/audit_deps.py, docs/deploy.md)
audit: install
	$(BIN)/python scripts/audit_deps.py

# schemathesis soak: 20 valid + 20 invalid requests per API operation and role (CI runs 1 + 1), SQLite
fuzz: install
	mkdir -p var
	CCHC_FUZZ_SOAK=1 DATABASE_URL=$(SQLITE_URL) $(BIN)/pytest tests/test_api_fuzz.py -m slow -p no:randomly $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check cchc bench tests

clean:
	rm -rf var/test.sqlite3* .pytest_cache
