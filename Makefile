# Report Figures: `make run` starts the dashboard on the bundled reports (or on yours:
# `make run REPORTS=path/to/folder`), `make test` runs every test. Both set up what they
# need first: a .venv with the exact versions of the lock files. Neither `make run` nor
# anything it needs asks for root; `make test` also installs Debian's Chromium and a CJK
# font for the browser tests where it can (as root with apt), and skips them where not.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     := data/figures.duckdb
PORT   ?= 8501
REPORTS ?=
LOCK   := requirements.lock
DEV_LOCK := requirements-dev.lock
APP_STAMP := $(VENV)/.app-installed
DEV_STAMP := $(VENV)/.dev-installed
NATIVE_STAMP := $(VENV)/.native-tools-installed
RULES  := $(wildcard data/rules/*.yaml)
CORPUS := $(wildcard data/corpus/*)
# uv installs the lock files in seconds; a pinned uv is fetched from PyPI into .tmp/uv
# (not into the .venv). Where it cannot be had, pip installs the same lock files.
UV_VERSION := 0.13.9
UV_DIR := .tmp/uv
UV     := $(UV_DIR)/bin/uv
LOWEST := .tmp/venv-lowest

.PHONY: run test test-python test-browser-repeat setup native store bench system-deps browser-note lock lowest clean help FORCE

help:
	@echo "make run                  start the dashboard on http://127.0.0.1:$(PORT) (the bundled demo reports)"
	@echo "make run REPORTS=folder   the same on your own reports, in a store of their own"
	@echo "make test                 run every test (installs Chromium and a CJK font when root with apt)"
	@echo "make test-python OTHER=X  every test under another Python 3.11+ X (python3.13), in a venv of its own"
	@echo "make test-browser-repeat  the browser tests RUNS=5 times in a row (a flaky wait shows up)"
	@echo "make lock                 re-resolve requirements.lock and requirements-dev.lock from pyproject.toml"
	@echo "make lowest               install the lowest allowed versions in $(LOWEST) and run the smoke test"
	@echo "make bench                run the benchmarks in bench/ (needs ../shared/bench_corpus)"

# A .venv that lost its python or pip (a half-made one, a removed system Python) is
# rebuilt: the stamps below are then out of date whatever their times.
VENV_OK := $(shell $(BIN)/python -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo yes)
ifneq ($(VENV_OK),yes)
$(APP_STAMP): FORCE
endif

define need_python
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  found=$$($(PYTHON) -c 'import sys; print("Python", sys.version.split()[0])' 2>/dev/null || echo "not a working Python"); \
	  echo "error: Report Figures needs Python 3.11 or newer; PYTHON=$(PYTHON) is $$found."; \
	  echo "       Install one (apt-get install python3.11, brew install python@3.12, python.org)"; \
	  echo "       and name it: make $(or $(MAKECMDGOALS),run) PYTHON=python3.11"; \
	  exit 1; }
endef

define get_uv
	@test -x $(UV) || $(BIN)/python -m pip install -q --disable-pip-version-check \
	  --target $(UV_DIR) uv==$(UV_VERSION) >/dev/null 2>&1 || echo "note: uv not available; pip will install"
endef

# install_lock(LOCK FILE): the exact versions, with uv when it can be had, else pip;
# then this checkout itself, editable (the `report-figures` command).
define install_lock
	$(get_uv)
	@if [ -x $(UV) ]; then \
	  echo "installing $(1) with uv"; \
	  $(UV) pip install -q --python $(BIN)/python -r $(1) \
	    && $(UV) pip install -q --python $(BIN)/python --no-deps -e .; \
	else \
	  echo "installing $(1) with pip"; \
	  $(BIN)/python -m pip install -q --disable-pip-version-check -r $(1) \
	    && $(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .; \
	fi
endef

$(APP_STAMP): $(LOCK) pyproject.toml
	$(need_python)
	@if [ "$(VENV_OK)" != yes ] && [ -e $(VENV) ]; then echo "$(VENV) is broken (no python or pip): rebuilding it"; rm -rf $(VENV); fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "error: '$(PYTHON) -m venv' failed; on Debian/Ubuntu it needs the python3-venv package"; exit 1; }
	$(call install_lock,$(LOCK))
	@touch $@

$(DEV_STAMP): $(DEV_LOCK) $(APP_STAMP)
	$(call install_lock,$(DEV_LOCK))
	@touch $@

setup: $(APP_STAMP)

# The build tools for the compiled extraction (mypyc, in the dev lock); optional, so a
# failed install only means the Python source runs.
$(NATIVE_STAMP): requirements-native.txt $(DEV_STAMP)
	@$(BIN)/python -c 'import mypy, setuptools' 2>/dev/null && touch $@ \
	  || echo "note: build tools not installed; the extraction runs from Python source"

# The extraction modules compiled with mypyc (about 1.5x as fast); profile-guided with GCC
# (a short training run on the demo reports, about 4 CPU minutes in all; the plain build
# when that fails); a no-op when current, and when it cannot build, the Python source runs
# instead (etl/extraction/native.py, build.py).
# `make run` does without: the demo's five reports take seconds either way.
native: $(NATIVE_STAMP)
	@$(BIN)/python -m etl.extraction.build || echo "note: running the extraction from Python source"

# The demo store is rebuilt when the reports or the rules change; a re-run is idempotent.
$(DB): $(APP_STAMP) $(CORPUS) $(RULES) $(wildcard etl/*.py etl/*/*.py)
	$(BIN)/python -m etl run --db $(DB)
	$(BIN)/python -m etl check --db $(DB) -o /dev/null
	touch $@

store: $(DB)

# REPORTS=folder: those reports in a store of their own (report-figures serve; the
# demo store is left alone). Otherwise the demo store.
run: $(APP_STAMP) browser-note
ifeq ($(strip $(REPORTS)),)
	@$(MAKE) --no-print-directory $(DB)
	REPORT_FIGURES_DB=$(abspath $(DB)) $(BIN)/python -m streamlit run app.py \
	  --server.port $(PORT) --server.address 127.0.0.1
else
	$(BIN)/report-figures serve "$(REPORTS)" --port $(PORT)
endif

# Chart export needs a browser; the dashboard starts without one and says so on its buttons.
browser-note:
	@$(BIN)/python -c 'from etl.exports import render; m = render.missing(); m and print("note:", m)' 2>/dev/null || true

# Debian's Chromium (browser tests, chart export) and a CJK font (no tofu boxes), where
# apt can be used (root); elsewhere the browser tests skip and say why.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "cjk\|wenquanyi" \
	    || ! fc-list 2>/dev/null | grep -qi "liberation"; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium, fonts-noto-cjk and fonts-liberation (apt)"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-liberation >/dev/null; } \
	      || echo "note: apt-get failed; browser tests and chart export tests will be skipped"; \
	  else \
	    echo "note: Chromium or a CJK font is missing and apt-get needs root: browser tests and chart export tests will be skipped"; \
	    echo "      (sudo apt-get install chromium fonts-noto-cjk fonts-liberation adds them)"; \
	  fi; \
	fi

# One pytest worker per core (pytest-xdist); tests/conftest.py keeps the browser tests and
# each module's shared fixtures on one worker. `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto

test: $(DEV_STAMP) native system-deps
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

# Every test under another CPython, 3.11 or newer (`make test-python OTHER=python3.13`):
# a venv of its own, .tmp/venv-<x.y>, from the same lock file; the extraction runs from
# its Python source there (the mypyc build is the .venv's). .ci/run does this for the
# newest other CPython the machine has, so a change that breaks a newer Python shows.
OTHER ?=

test-python: $(DEV_STAMP) system-deps
	@test -n "$(OTHER)" || { echo "usage: make test-python OTHER=python3.13"; exit 1; }
	$(get_uv)
	@set -e; \
	v=$$($(OTHER) -c 'import sys; assert sys.version_info >= (3, 11); print("%d.%d" % sys.version_info[:2])') \
	  || { echo "error: OTHER=$(OTHER) is not a Python 3.11 or newer"; exit 1; }; \
	env=.tmp/venv-$$v; \
	test -x $$env/bin/python || $(OTHER) -m venv $$env; \
	if [ -x $(UV) ]; then \
	  $(UV) pip install -q --python $$env/bin/python -r $(DEV_LOCK); \
	  $(UV) pip install -q --python $$env/bin/python --no-deps -e .; \
	else \
	  $$env/bin/python -m pip install -q --disable-pip-version-check -r $(DEV_LOCK); \
	  $$env/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .; \
	fi; \
	echo "every test under Python $$v ($$env; the extraction from source)"; \
	REPORT_FIGURES_PURE=1 $$env/bin/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

# The browser tests RUNS times in a row, to catch a flaky wait (best with the machine
# busy); stops at the first run with a failure.
RUNS ?= 5

test-browser-repeat: $(DEV_STAMP) system-deps
	@for i in $$(seq $(RUNS)); do echo "browser tests: run $$i of $(RUNS)"; \
	  $(BIN)/python -m pytest -q -p no:randomly tests/e2e || exit 1; done

bench: $(DEV_STAMP) native
	$(BIN)/python bench/run_all.py

# The lock files, from pyproject.toml: every platform (--universal), Python 3.11 and up.
lock: $(APP_STAMP)
	$(get_uv)
	$(UV) pip compile pyproject.toml --universal --python-version 3.11 -q \
	  --custom-compile-command "make lock" -o $(LOCK)
	$(UV) pip compile pyproject.toml --all-extras -c $(LOCK) --universal --python-version 3.11 -q \
	  --custom-compile-command "make lock" -o $(DEV_LOCK)

# The lowest versions pyproject.toml allows for each direct dependency, in a venv of
# their own, and the smoke test (run, check, export, every page under AppTest).
lowest: $(APP_STAMP)
	$(get_uv)
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(UV) pip compile pyproject.toml --extra dev --resolution lowest-direct --python $(LOWEST)/bin/python \
	  -q -o .tmp/lowest.txt
	$(UV) pip install -q --python $(LOWEST)/bin/python -r .tmp/lowest.txt
	$(UV) pip install -q --python $(LOWEST)/bin/python --no-deps -e .
	@grep -E '^(streamlit|duckdb|pandas|numpy|plotly|kaleido|pyarrow|filelock)==' .tmp/lowest.txt
	$(LOWEST)/bin/python -m pytest -q -p no:randomly tests/test_smoke.py

clean:
	rm -rf $(VENV) $(LOWEST) .tmp/venv-3.* $(UV_DIR) $(DB) $(DB).wal .pytest_cache .hypothesis .tmp/native-build etl/extraction/*.so etl/extraction/native-build.json

FORCE:
