# Two commands set everything up on a fresh machine: `make lint-errors` and `make test`.
# Both create the virtual environments they need (.venv with $(PYTHON), .venv312 with Python 3.12+).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Python 3.12+ for the sys.monitoring backend: PYTHON312=... overrides; otherwise pyenv or PATH.
PYTHON312 ?= $(shell for v in 3.12 3.13; do \
	  p=$$(pyenv prefix $$(pyenv versions --bare 2>/dev/null | grep "^$$v" | tail -1) 2>/dev/null); \
	  if [ -n "$$p" ] && [ -x "$$p/bin/python" ]; then echo "$$p/bin/python"; exit 0; fi; \
	  if command -v python$$v >/dev/null 2>&1 && python$$v -c '' 2>/dev/null; then command -v python$$v; exit 0; fi; \
	done)
VENV312 ?= .venv312
PY312 := $(VENV312)/bin/python
PYTEST_ARGS ?=
LINT_TARGETS := recorder lint_rules fault_injection

.DEFAULT_GOAL := help
.PHONY: help venv venv312 test test-py311 test-py312 lint-errors lint typecheck docs docs-check faults faults-ci bench bench-quick clean

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(VENV312)/.installed: pyproject.toml
	@if [ -z "$(PYTHON312)" ]; then echo "make: no Python 3.12+ found (set PYTHON312=...)" >&2; exit 2; fi
	$(PYTHON312) -m venv $(VENV312)
	$(PY312) -m pip install --quiet --upgrade pip
	$(PY312) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed ## Create .venv with the package and its dev tools

venv312: $(VENV312)/.installed ## Create .venv312 (Python 3.12+) for the sys.monitoring backend

test: test-py311 test-py312 ## Run every test on Python 3.11 (settrace) and 3.12+ (both backends)

test-py311: venv ## Run every test with $(PYTHON)
	$(PY) -m pytest $(PYTEST_ARGS)

test-py312: venv312 ## Run every test with Python 3.12+
	$(PY312) -m pytest $(PYTEST_ARGS)

lint-errors: venv ## The error-policy gate: REC rules via flake8, then ruff and mypy --strict
	$(VENV)/bin/flake8 --select REC $(LINT_TARGETS)
	$(VENV)/bin/ruff check $(LINT_TARGETS) tests bench
	$(PY) -m mypy

lint: lint-errors ## Alias of lint-errors

typecheck: venv ## mypy --strict on the packages
	$(PY) -m mypy

docs: venv ## Regenerate docs/error-codes.md and docs/lint-rules.md from their catalogs
	$(PY) -m recorder.errors.docs > docs/error-codes.md
	$(PY) -m lint_rules docs > docs/lint-rules.md

faults: venv ## The full fault-injection sweep
	$(PY) -m fault_injection sweep

faults-ci: venv ## The documented seeded sample of the sweep that CI runs
	$(PY) -m fault_injection sweep --sample 400 --seed 2026

bench: venv venv312 ## Benchmarks: writes BENCHMARKS.md (under 15 minutes)
	$(PY) -m bench --out BENCHMARKS.md

bench-quick: venv venv312 ## A smaller benchmark run for development
	$(PY) -m bench --quick --out BENCHMARKS.md

clean: ## Remove virtual environments and caches
	rm -rf $(VENV) $(VENV312) .pytest_cache .mypy_cache .ruff_cache .lint_rules_cache
