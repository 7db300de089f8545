# Two commands for a new user (see README.md):
#   make run   - the workstation on a demo database with live simulated traffic
#   make test  - lint, types, import contracts and the whole test suite
# and for measuring: make bench - every bench/bench_*.py at full size, figures
# in bench/results.json.
# Each builds its own virtual environment from python3 and the package registry.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := .demo

.PHONY: run test test-sqlite lint bench check-env clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $@

check-env: $(STAMP)

DEMO_ENV := OHJAUS_DATABASE_URL=$(DEMO)/demo.db

# The demo desk is open every day around the clock, so that it moves at any hour.
run: $(STAMP)
	@mkdir -p $(DEMO)
	@$(DEMO_ENV) $(BIN)/ohjaus demo
	@$(DEMO_ENV) $(BIN)/ohjaus hours set all "mon-sun 00:00-24:00"
	@echo "Simulated traffic runs in the background (log: $(DEMO)/simulate.log)."
	@$(DEMO_ENV) $(BIN)/ohjaus simulate --per-day 600 --speed 4 \
	    > $(DEMO)/simulate.log 2>&1 & sim=$$!; \
	  trap 'kill $$sim 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/ohjaus

lint: $(STAMP)
	$(BIN)/ruff check src tests migrations bench docs
	$(BIN)/ruff format --check src tests migrations bench docs
	$(BIN)/mypy
	$(BIN)/lint-imports

# The suite runs twice: on SQLite, then on a throwaway PostgreSQL cluster that
# tests/pg_cluster.py starts on loopback and removes (skipped, with a line
# saying so, where no PostgreSQL server is installed; never skipped in CI).
# Each pass spreads its tests over one process a core (pytest-xdist).
PYTEST := $(BIN)/python -m pytest -n auto

test: lint
	$(PYTEST)
	$(BIN)/python tests/pg_cluster.py -- $(PYTEST)

test-sqlite: lint
	$(PYTEST)

# Every benchmark at full size, one after another (about 4 minutes on 2 cores); figures,
# with ratios against the floors measured in the same run, go to bench/results.json.
bench: $(STAMP)
	$(BIN)/python -m bench.runner --output bench/results.json

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
