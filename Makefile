# benchmark-of-benchmarks: one Makefile renders everything.  `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Extra arguments for the reproduce runner, e.g. make reproduce ARGS="--force --only 07"
ARGS ?=

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) on PATH (or make PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

.PHONY: help venv reproduce verify test lint lock clean-venv
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

venv: $(STAMP) ## create .venv with the pinned packages and benchmeta (editable)

verify: $(STAMP) ## check every data_raw file against data_raw/MANIFEST.csv
	$(PY) -m benchmeta verify

reproduce: $(STAMP) ## verify raw data, then run notebooks 01..07 in order (skips unchanged ones)
	$(PY) -m benchmeta reproduce $(ARGS)

test: $(STAMP) ## run the test suite (offline)
	$(PY) -m pytest -n 2 --dist loadgroup

lint: $(STAMP) ## ruff over lib, tests and notebooks; import-linter layer contracts
	$(PY) -m ruff check lib tests notebooks
	$(VENV)/bin/lint-imports

lock: ## re-resolve requirements.txt from pyproject.toml in a scratch venv
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[test]'
	{ echo "# Exact versions of every package, for Python 3.11 (regenerate: make lock)."; \
	  echo "# Direct dependencies are listed in pyproject.toml."; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^benchmeta' | sort -f; } > requirements.txt
	rm -rf .lock-venv

clean-venv: ## remove .venv
	rm -rf $(VENV)
