# Bootstraps a local virtual environment and runs the project's jobs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AS_OF  ?= 2026-06-30

.PHONY: demo test test-fast lint format lab bench bench-postgres clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/python -m ipykernel install --sys-prefix --name recovery-analytics --display-name "Python (recovery_analytics)" >/dev/null
	touch $(STAMP)

SAMPLE := data/sample
MODEL  := models/sample
OUT    := reports

## The main job on the bundled demo portfolio: the weekly reports (training the model first if needed).
demo: $(MODEL)/model.json
	$(BIN)/recovery-analytics weekly --portfolio $(SAMPLE) --model $(MODEL) --as-of $(AS_OF) --out-dir $(OUT)

$(MODEL)/model.json: $(STAMP) $(wildcard $(SAMPLE)/*)
	$(BIN)/recovery-analytics train --portfolio $(SAMPLE) --model-out $(MODEL)

## The whole test suite (what CI runs), with a throw-away PostgreSQL server
## (installed with apt-get when missing and run as root; see scripts/test-postgres.sh).
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks
	scripts/test-postgres.sh $(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	cd benchmarks && ../$(BIN)/python bench_foundation.py && ../$(BIN)/python bench_scale.py && ../$(BIN)/python bench_weekly.py && ../$(BIN)/python bench_speed.py && ../$(BIN)/python bench_dask.py
	scripts/test-postgres.sh sh -c 'cd benchmarks && ../$(BIN)/python bench_postgres.py'

## Read + validate from PostgreSQL against the same data in Parquet (starts a throw-away server).
bench-postgres: $(STAMP)
	scripts/test-postgres.sh sh -c 'cd benchmarks && ../$(BIN)/python bench_postgres.py' 

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
