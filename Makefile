# Two set-up commands on a fresh machine: `make run` and `make test`.
# `make run` installs only what the bot needs at run time; `make test` adds the
# developer tools (pytest, ruff, mypy, import-linter, pandas for the benchmarks). Each install
# has its own stamp, so a `make run` never lets `make test` skip the dev tools.
# --no-compile: Python compiles the modules the shell imports on first use,
# instead of pip compiling every installed file up front (a third of the install).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck bench hardening clean

$(BIN)/python:
	@echo "==> [1/3] creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	@echo "==> [2/3] installing linkgap and its run-time dependencies (about 30 s with a warm pip cache)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	@echo "==> installing linkgap with the developer tools (pytest, ruff, mypy, import-linter, pandas)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	@echo "==> [3/3] starting the local shell (type /linkgap help, or exit)"
	$(BIN)/linkgap shell

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/ruff format --check bot tests benchmarks
	$(BIN)/lint-imports

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# The suite on every core (TEST_WORKERS=0 runs it in one process); a file's tests stay on one
# worker, so module-level fixtures are built once.
TEST_WORKERS ?= auto

test: lint typecheck
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks.run_all

# Hostile, malformed and odd requests (Slack's published examples included) replayed against
# the real app, then 200 concurrent commands to `linkgap serve`: a table of tried / handled /
# failed, exit 1 if anything failed. Its WSGI part also runs in `make test`.
hardening: $(DEV_STAMP)
	$(BIN)/python -m tests.scenarios.hardening

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache linkgap.db linkgap.slack.json linkgap-files
