# Two commands on a fresh machine (python3 and pip only):
#   make build   builds graphs/kg.ttl and graphs/kg.html from seeds/
#   make test    runs the test suite
# Each installs what it needs into .venv first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test install clean

build: $(STAMP)
	$(BIN)/kg build seeds --out graphs

test: $(STAMP)
	$(BIN)/python -m pytest -q tests kg

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache
