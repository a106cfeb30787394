# Report Figures: `make run` starts the dashboard on the bundled reports, `make test`
# runs every test. Both set up what they need first (a .venv, Python packages, and for
# the browser tests Debian's Chromium and a CJK font).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     := data/figures.duckdb
PORT   ?= 8501
APP_STAMP := $(VENV)/.app-installed
DEV_STAMP := $(VENV)/.dev-installed
NATIVE_STAMP := $(VENV)/.native-tools-installed
RULES  := $(wildcard data/rules/*.yaml)
CORPUS := $(wildcard data/corpus/*)

.PHONY: run test setup native store bench system-deps clean help

help:
	@echo "make run    start the dashboard on http://127.0.0.1:$(PORT) (bundled reports)"
	@echo "make test   run every test (installs Chromium and a CJK font when missing)"
	@echo "make bench  run the benchmarks in bench/ (needs ../shared/bench_corpus)"

$(APP_STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(APP_STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

setup: $(APP_STAMP)

# The build tools for the compiled extraction (mypyc); optional, so a failed install
# only means the Python source runs.
$(NATIVE_STAMP): requirements-native.txt $(APP_STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-native.txt \
	  && touch $@ || echo "note: build tools not installed; the extraction runs from Python source"

# The extraction modules compiled with mypyc (about 1.5x as fast); a no-op when
# current, and when it cannot build, the Python source runs instead (etl/extraction/native.py).
native: $(NATIVE_STAMP)
	@$(BIN)/python -m etl.extraction.build || echo "note: running the extraction from Python source"

# The store is rebuilt when the reports or the rules change; a re-run is idempotent.
$(DB): $(APP_STAMP) $(CORPUS) $(RULES) $(wildcard etl/*.py etl/*/*.py) | native
	$(BIN)/python -m etl run --db $(DB)
	$(BIN)/python -m etl check --db $(DB) -o /dev/null
	touch $@

store: $(DB)

run: $(DB) system-deps
	$(BIN)/python -m streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1

# Debian's Chromium (browser tests, chart export) and a CJK font (no tofu boxes).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "cjk\|wenquanyi" \
	    || ! fc-list 2>/dev/null | grep -qi "liberation"; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium, fonts-noto-cjk and fonts-liberation (apt)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-liberation >/dev/null; \
	  else \
	    echo "note: chromium or a CJK font is missing and apt-get is not usable; browser tests will be skipped"; \
	  fi; \
	fi

test: $(DEV_STAMP) native system-deps
	$(BIN)/python -m pytest -q

bench: $(DEV_STAMP) native
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(DB) $(DB).wal .pytest_cache .hypothesis .tmp/native-build etl/extraction/*.so etl/extraction/native-build.json
