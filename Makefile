# Two entry points for a fresh clone: `make demo` and `make test`. Each creates .venv when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB := data/demo.sqlite3

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ceasefire-watch demo --database $(DEMO_DB)

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

# The extraction scores first (dev and held-out splits; the shared corpus as its own split when it is beside us).
bench: $(STAMP)
	$(BIN)/ceasefire-watch evaluate --quiet examples/articles $(wildcard ../shared/corpus)
	$(BIN)/python -m bench.extract
	$(BIN)/python -m bench.status
	$(BIN)/python -m bench.fanout
	$(BIN)/python -m bench.feeds

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache data/*.sqlite3* data/demo.log data/demo-files
