# The Makefile's targets are the contract the README shows.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export SDW_WAREHOUSE ?= warehouse/sociaal_domein.duckdb
DAGSTER_HOME ?= $(CURDIR)/warehouse/dagster_home
DEMO_DIR ?= warehouse/demo
FIXTURE_WAREHOUSE := warehouse/test/fixture.duckdb
BENCH_LINES ?= 200000
BENCH_ROWS ?= 1000000
PG_DIR ?= warehouse/postgres
PG_PORT ?= 5432

.PHONY: help install demo dev dashboard postgres postgres-stop test lint dbt-test pytest parse defs-check gx-sync bench bench-ingest bench-checks lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv from the pinned dependencies

demo: $(STAMP) ## demo gemeente through every layer, via Dagster
	rm -rf $(DEMO_DIR)  # the generator writes a fresh inbox; same seed, same files
	$(BIN)/sdw demo-data --out $(DEMO_DIR) --seed 42
	SDW_INBOX=$(DEMO_DIR)/inbox SDW_CBS_DIR=$(DEMO_DIR)/cbs SDW_BUDGET_DIR=$(DEMO_DIR)/budget \
		SDW_DOELEN_DIR=$(DEMO_DIR)/doelen \
		SDW_POSTCODE_BUURT=$(DEMO_DIR)/postcode_buurt.csv $(BIN)/sdw run

dev: $(STAMP) ## open the Dagster UI (http://127.0.0.1:3000)
	mkdir -p $(DAGSTER_HOME) && cp -n orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME) $(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

dashboard: $(STAMP) ## open the stuurinformatie dashboard (http://127.0.0.1:8050)
	$(BIN)/sdw dashboard --host 127.0.0.1 --port 8050

postgres: $(STAMP) ## start a local PostgreSQL in warehouse/postgres (PG_PORT=5432); prints its SDW_PG_*
	bash .ci/postgres
	$(BIN)/python -m sdw.pg_local start $(PG_DIR) --port $(PG_PORT)

postgres-stop: ## stop the server make postgres started
	$(BIN)/python -m sdw.pg_local stop $(PG_DIR)

lint: $(STAMP) ## ruff and sqlfluff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SDW_WAREHOUSE=:memory: $(BIN)/sqlfluff lint models tests

parse: $(STAMP) ## dbt parse: the manifest Dagster reads its asset graph from
	$(BIN)/dagster-dbt project prepare-and-package --file src/sdw/build.py

defs-check: parse ## Dagster definitions load
	$(BIN)/dagster definitions validate -m orchestration.definitions

dbt-test: $(STAMP) ## dbt build and the quality checks on tests/fixtures/messages
	rm -f $(FIXTURE_WAREHOUSE)
	SDW_WAREHOUSE=$(FIXTURE_WAREHOUSE) $(BIN)/sdw ingest messages tests/fixtures/messages
	SDW_WAREHOUSE=$(FIXTURE_WAREHOUSE) $(BIN)/sdw build

pytest: $(STAMP) ## the Python test suite
	$(BIN)/pytest -q

test: lint defs-check dbt-test pytest ## every check the project has

gx-sync: $(STAMP) ## write the GX checkpoints and assets that follow from the suites
	$(BIN)/python -m sdw.quality.project

bench: $(STAMP) ## ingest, build, checks and a daily run at 100k/1M/5M lines (BENCH_SIZES; BENCH_FLAGS=--national adds 25M)
	$(BIN)/python bench/run.py $(BENCH_FLAGS)

bench-ingest: $(STAMP) ## message load speed against a bare lxml parse (BENCH_LINES=200000)
	$(BIN)/python bench/ingest.py --product-lines $(BENCH_LINES)

bench-checks: $(STAMP) ## the quality checks on a 1-million-row fact (BENCH_ROWS=1000000), target < 30 s
	$(BIN)/python bench/checks.py --rows $(BENCH_ROWS)

lock: ## re-resolve constraints.txt from pyproject.toml
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet '.[dev]'
	{ echo "# Full resolution of pyproject.toml's dependencies (pip freeze), used as pip constraints."; \
	  echo "# Regenerate with: make lock"; \
	  .lockvenv/bin/pip freeze --exclude sociaal-domein-warehouse; } > constraints.txt
	rm -rf .lockvenv

clean: ## remove build outputs (keeps .venv)
	rm -rf warehouse target logs expectations/gx/uncommitted
