# Two commands on a fresh machine (python3 and pip only):
#   make build   builds graphs/kg.ttl and graphs/kg.html from seeds/
#   make test    runs the test suite
# Each installs what it needs into .venv first.
#   make screenshot  retakes docs/kg-view.png in headless chromium (apt-get install chromium)
#   make fuzz        a long fuzzing run of the reader and the date parser (FUZZ_ARGS="--examples 100000")

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test screenshot fuzz install clean

build: $(STAMP)
	$(BIN)/kg build seeds --out graphs

test: $(STAMP)
	$(BIN)/python -m pytest -q tests kg

screenshot: $(STAMP)
	VJKG_REQUIRE_BROWSER=1 VJKG_SCREENSHOT=docs/kg-view.png $(BIN)/python -m pytest -q tests/test_browser.py -k screenshot

fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz.py $(FUZZ_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
