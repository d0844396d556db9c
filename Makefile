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

# Four workers (pytest-xdist) even on two cores: most of the suite's time is spent waiting on loopback servers,
# subprocesses and timers, not computing. The few tests that time responsiveness (marked latency) run after them,
# alone. TEST_WORKERS=0 runs the first part in this one process.
TEST_WORKERS ?= 4
unit: $(STAMP)
	$(BIN)/pytest -q -n $(TEST_WORKERS) -m "not latency"
	$(BIN)/pytest -q -m latency

# The extraction scores first (dev and held-out splits; the shared corpus as its own split when it is beside us).
bench: $(STAMP)
	$(BIN)/ceasefire-watch evaluate --quiet examples/articles $(wildcard ../shared/corpus)
# Then every figure of the scale work beside its target, "met" or "NOT met"; PostgreSQL beside SQLite when a server
# answers on 127.0.0.1:5432. A bench that misses a target goes on to the next (the `-`).
	-$(BIN)/python -m bench.extract
	-$(BIN)/python -m bench.startup
	-$(BIN)/python -m bench.status
	-$(BIN)/python -m bench.fanout --backend both --hog 1
	-$(BIN)/python -m bench.milestones
# The 10,000-chat fan-out under Telegram's limits takes about 6 minutes (10,000 / 30 s plus set-up); LONG=0 skips it.
ifneq ($(LONG),0)
	-$(BIN)/python -m bench.fanout --part b --limited-chats 10000 --hog 0
endif
	$(BIN)/python -m bench.feeds

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache data/*.sqlite3* data/demo.log data/demo-files
