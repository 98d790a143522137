# JusticeWork — the two commands are `make run` and `make test`. `make help` lists the rest.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export JUSTICEWORK_DATA_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test test-fast lint format bench setup keys messages clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the pinned dependencies

keys: $(STAMP) ## Create local secret, master and audit keys in $JUSTICEWORK_DATA_DIR (first run only)
	$(BIN)/python -m justicework.keyfiles

run: keys ## Set up, migrate, load demo data and serve on http://127.0.0.1:8000 with a task worker
	$(BIN)/justicework migrate --no-input
	$(BIN)/justicework keys check
	$(BIN)/justicework demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/justicework worker --interval 1 & \
	  $(BIN)/justicework runserver --noreload $(HOST):$(PORT)

test: $(STAMP) ## Set up and run the whole suite (PostgreSQL too when DATABASE_URL says postgres://)
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check, ruff format --check, mypy
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

bench: $(STAMP) ## Run benchmarks/ and print a JSON line per figure with its same-run baseline
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

messages: $(STAMP) ## Re-extract and compile translations (needs GNU gettext)
	cd src/justicework && ../../$(BIN)/justicework makemessages -l fr -l es -l ru -l ar --no-obsolete
	cd src/justicework && ../../$(BIN)/justicework compilemessages

clean: ## Remove the virtualenv (keeps ./var and its keys)
	rm -rf $(VENV)
