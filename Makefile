# CollectWatch: every target sets up what it needs. `make run` serves; `make test` tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: setup run officer test test-unit test-browser stage lint bench demo translations messages migrate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## setup: virtual environment, dependencies, compiled translations and the test tools from npm (axe-core)
setup: $(STAMP) translations $(if $(wildcard package.json),$(NODE_STAMP))

# axe-core for the browser tests' accessibility checks; without npm those checks skip, saying why.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "npm ci --silent (axe-core for the browser tests)"; \
		npm ci --silent --no-audit --no-fund && touch $@; \
	else \
		echo "npm not found: axe-core not installed, so the browser tests will be skipped"; \
	fi

translations: $(STAMP)
	$(BIN)/python -m complaints.core.catalogs compile

## messages: extract new strings into the catalogs (then translate them)
messages: $(STAMP)
	$(BIN)/python -m complaints.core.catalogs update
	$(BIN)/python -m complaints.core.catalogs check || true

## migrate: apply migrations and load the reference data (idempotent)
migrate: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-reference

## run: set everything up and serve on http://$(HOST):$(PORT)
run: migrate
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## officer: create an account and print its enrolment link for PORT (or PUBLIC_BASE_URL): make officer EMAIL=chief@example.org ROLE=admin
ROLE ?= admin
officer: officer-email migrate
	PORT=$(PORT) $(BIN)/flask create-officer --email "$(EMAIL)" --role $(ROLE)

# Checked before anything is installed or migrated, so a mistyped command changes nothing.
.PHONY: officer-email
officer-email:
	@test -n "$(EMAIL)" || { echo "usage: make officer EMAIL=someone@example.org [ROLE=admin|officer] [PORT=$(PORT)]"; exit 2; }

## test: set everything up and run the whole suite (browser tests need /usr/bin/chromium)
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: setup
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

## lint: ruff, mypy strict, bandit (security findings) and pip-audit (known vulnerabilities; says loudly when offline)
lint: setup
	$(BIN)/ruff check complaints tests tools bench wsgi.py
	$(BIN)/ruff format --check complaints tests tools bench wsgi.py
	$(BIN)/mypy complaints
	@echo "bandit -c pyproject.toml -r complaints"
	@bash -o pipefail -c '$(BIN)/bandit -c pyproject.toml -r complaints -q 2>&1 | { grep -v "nosec encountered .*, but no failed test" || true; }'
	$(BIN)/python tools/audit_dependencies.py

## demo: fictional demo data for trying the app
demo: migrate
	$(BIN)/flask demo-data

## bench: statistics, officer-queue and duplicate-candidate benchmarks on BENCH_COMPLAINTS (default 1,000,000) fictional complaints
BENCH_COMPLAINTS ?= 1000000
bench: setup
	$(BIN)/python bench/run.py --complaints $(BENCH_COMPLAINTS)
	PYTHONPATH=. $(BIN)/python bench/queue_server.py --complaints $(BENCH_COMPLAINTS)
	$(BIN)/python bench/duplicates.py --complaints $(BENCH_COMPLAINTS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find complaints -name '*.mo' -delete

## test-browser: only the journeys in a real Chromium (needs /usr/bin/chromium and npm's axe-core)
test-browser: setup
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

## stage: the production set-up as README deploys it (nginx TLS, gunicorn, PostgreSQL, Redis) through Chromium;
## needs nginx and TEST_DATABASE_URL=postgresql://... (skips, saying why, without them)
stage: setup
	$(BIN)/python -m pytest tests/stage $(PYTEST_ARGS)

## load: 200 consumers filing with evidence + 50 statistics readers, 60 s, gunicorn (4 workers), SQLite (LOAD_ARGS="--database postgresql" for PostgreSQL)
.PHONY: load
load: setup
	$(BIN)/python bench/load.py $(LOAD_ARGS)

## mutation: mutation testing of the rule modules ([tool.mutmut] in pyproject.toml) against the unit tests; not in CI (slow). MUTANTS="complaints.statistics.periods*" narrows it.
.PHONY: mutation
mutation: setup
	$(BIN)/python tools/mutation.py $(MUTANTS)
