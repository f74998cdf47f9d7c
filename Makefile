# Learnmap. On a fresh machine:  make run  (the site on http://127.0.0.1:8000)  and  make test.
#
#   make run PORT=9000         another port (PORT from the environment works too)
#   make run PYTHON=python3.12 another interpreter for the virtualenv (3.11 or newer)
#   make test PYTEST_ARGS="-k serve -x"

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
PYTEST_ARGS ?=

BIN := $(VENV)/bin
VENV_CFG := $(VENV)/pyvenv.cfg
# Touched after each install; pip runs again whenever pyproject.toml (or the venv) is newer.
RUN_STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

# A virtualenv whose interpreter is gone or too old (Python upgraded, removed) is made again.
ifneq ($(shell $(BIN)/python -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null),True)
.PHONY: $(VENV_CFG)
endif

.DEFAULT_GOAL := help
.PHONY: help run test test-topology lint format bench clean distclean

help:
	@echo "make run        install, migrate, load the built-in roadmaps, serve on http://127.0.0.1:$(PORT)"
	@echo "make test       the whole suite (pytest), ruff check and the import contracts"
	@echo "make test-topology  the production topology (PostgreSQL, Redis, nginx, two instances) and its tests"
	@echo "make lint       ruff check, ruff format --check and the import contracts"
	@echo "make format     ruff format and ruff check --fix"
	@echo "make bench      run every benchmark under bench/ and print the figures"
	@echo "make clean      remove caches and build files (never ./var, which holds your data)"
	@echo "make distclean  clean, and remove $(VENV) too"

$(VENV_CFG):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Learnmap needs Python 3.11 or newer, and '$(PYTHON)' is" \
	    "$$(command -v $(PYTHON) >/dev/null && $(PYTHON) --version 2>&1 || echo 'not installed')." >&2; \
	  echo "Install a newer Python and name it: make $(MAKECMDGOALS) PYTHON=python3.12" >&2; \
	  exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "'$(PYTHON)' cannot create virtualenvs: on Debian or Ubuntu," \
	    "install python3-venv (apt-get install python3-venv)." >&2; \
	  exit 1; }
	$(PYTHON) -m venv --clear $(VENV)

$(RUN_STAMP): pyproject.toml $(VENV_CFG)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable .
	@touch $@

$(DEV_STAMP): pyproject.toml $(VENV_CFG)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[dev]'
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/learnmap compiletranslations --verbosity 0
	$(BIN)/learnmap serve --setup always --port $(PORT)

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

# tests/topology starts PostgreSQL, Redis, nginx (Debian's packages) and two app instances:
# collected only with LEARNMAP_TOPOLOGY=1 (tests/topology/conftest.py), so `make test` skips them.
test-topology: $(DEV_STAMP)
	LEARNMAP_TOPOLOGY=1 $(BIN)/pytest tests/topology $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(DEV_STAMP)
	@for script in $$(find bench -name 'bench_*.py' | sort); do \
	  echo "== $$script"; $(BIN)/python "$$script" || exit 1; \
	done

clean:
	rm -rf build dist src/*.egg-info .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
