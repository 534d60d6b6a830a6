# Two commands set everything up on a fresh machine: `make lint-errors` and `make test`.
# Both create the virtual environments they need (.venv with $(PYTHON), .venv312 and .venv313).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Python 3.12 and 3.13 (the sys.monitoring backend): PYTHON312=... / PYTHON313=... override;
# otherwise pyenv's newest build of that minor version, or pythonX.Y on PATH.
find_python = $(shell p=$$(pyenv prefix $$(pyenv versions --bare 2>/dev/null | grep "^$(1)\." | tail -1) 2>/dev/null); \
	if [ -n "$$p" ] && [ -x "$$p/bin/python" ]; then echo "$$p/bin/python"; \
	elif command -v python$(1) >/dev/null 2>&1 && python$(1) -c '' 2>/dev/null; then command -v python$(1); fi)
PYTHON312 ?= $(call find_python,3.12)
PYTHON313 ?= $(call find_python,3.13)
VENV312 ?= .venv312
VENV313 ?= .venv313
PY312 := $(VENV312)/bin/python
PY313 := $(VENV313)/bin/python
PYTEST_ARGS ?=
LINT_TARGETS := recorder lint_rules fault_injection

.DEFAULT_GOAL := help
.PHONY: help venv venv312 venv313 test test-py311 test-py312 test-py313 lint-errors lint typecheck docs docs-check mutation faults faults-ci bench bench-quick clean

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# A venv per extra interpreter; make_venv(interpreter, venv dir, version for the message).
define make_venv
	@if [ -z "$(1)" ]; then echo "make: no Python $(3) found (set PYTHON$(subst .,,$(3))=...)" >&2; exit 2; fi
	$(1) -m venv $(2)
	$(2)/bin/python -m pip install --quiet --upgrade pip
	$(2)/bin/python -m pip install --quiet -e '.[dev]'
	touch $(2)/.installed
endef

$(VENV312)/.installed: pyproject.toml
	$(call make_venv,$(PYTHON312),$(VENV312),3.12)

$(VENV313)/.installed: pyproject.toml
	$(call make_venv,$(PYTHON313),$(VENV313),3.13)

venv: $(VENV)/.installed ## Create .venv with the package and its dev tools

venv312: $(VENV312)/.installed ## Create .venv312 (Python 3.12) for the sys.monitoring backend

venv313: $(VENV313)/.installed ## Create .venv313 (Python 3.13)

test: test-py311 test-py312 test-py313 ## Run every test on Python 3.11 (settrace), 3.12 and 3.13 (both backends)

test-py311: venv ## Run every test with $(PYTHON)
	$(PY) -m pytest $(PYTEST_ARGS)

# Outside CI a missing 3.12/3.13 is a warning; under CI=true it is a failure, never a skip.
define test_on
	@if [ -z "$(1)" ]; then \
	  if [ "$$CI" = "true" ]; then echo "make: CI needs Python $(3) (set PYTHON$(subst .,,$(3))=...)" >&2; exit 2; fi; \
	  echo "make: WARNING: no Python $(3) found, its tests were NOT run (set PYTHON$(subst .,,$(3))=...)" >&2; \
	else $(MAKE) --no-print-directory $(2) && $(2:venv%=.venv%)/bin/python -m pytest $(PYTEST_ARGS); fi
endef

test-py312: ## Run every test with Python 3.12
	$(call test_on,$(PYTHON312),venv312,3.12)

test-py313: ## Run every test with Python 3.13
	$(call test_on,$(PYTHON313),venv313,3.13)

lint-errors: venv ## The error-policy gate: REC rules via flake8, then ruff and mypy --strict
	$(VENV)/bin/flake8 --select REC $(LINT_TARGETS)
	$(PY) -m recorder.policy_table --check README.md
	$(VENV)/bin/ruff check $(LINT_TARGETS) tests bench devtools
	$(PY) -m mypy

lint: lint-errors ## Alias of lint-errors

typecheck: venv ## mypy --strict on the packages
	$(PY) -m mypy

docs: venv ## Regenerate docs/error-codes.md, docs/lint-rules.md and the README policy table
	$(PY) -m recorder.errors.docs > docs/error-codes.md
	$(PY) -m lint_rules docs > docs/lint-rules.md
	$(PY) -m recorder.policy_table --write README.md

MODULES ?=
VENVMUT ?= .venv-mutation
# A venv of its own: mutmut needs a newer click than Fixit (in .venv) allows.
$(VENVMUT)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENVMUT)
	$(VENVMUT)/bin/python -m pip install --quiet --upgrade pip
	$(VENVMUT)/bin/python -m pip install --quiet -e '.[lint]' 'pytest>=8,<10' 'hypothesis>=6.100,<7' 'mutmut>=3.8,<4'
	touch $@

mutation: $(VENVMUT)/.installed ## Mutation testing (mutmut) of MODULES="recorder/decision.py ..." (default: the core)
	$(VENVMUT)/bin/python -m devtools.mutation --python $(VENVMUT)/bin/python $(MODULES)

faults: venv ## The full fault-injection sweep, and every crash state of the recorder's publication
	$(PY) -m fault_injection sweep
	$(PY) -m pytest -q -p no:cacheprovider tests/crash/test_crash_recorder.py

faults-ci: venv ## The documented seeded sample of the sweep that CI runs
	$(PY) -m fault_injection sweep --sample 400 --seed 2026

bench: venv venv312 ## Benchmarks: writes BENCHMARKS.md (about 15-20 minutes; 18.5 measured on 2026-12-07)
	$(PY) -m bench --out BENCHMARKS.md

bench-quick: venv venv312 ## A smaller benchmark run for development
	$(PY) -m bench --quick --out BENCHMARKS.md

clean: ## Remove virtual environments and caches
	rm -rf $(VENV) $(VENV312) $(VENV313) $(VENVMUT) .pytest_cache .mypy_cache .ruff_cache .lint_rules_cache
