# Two commands on a fresh machine with python3 and make:
#   make run   — set up .venv and build raw/ into cleaned/
#   make test  — set up .venv with the test extras and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test build-cleaned bench clean-venv browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

run: $(STAMP)
	$(BIN)/corpuskit build raw --out cleaned
	cp cleaned/README.md dataset_card.md

# The HTML-report test drives a real headless Chromium (Debian's packages).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "make: chromium is missing; install Debian's chromium and chromium-driver"; fi; }

test: $(TEST_STAMP) browser
	$(BIN)/python -m pytest

clean-venv:
	rm -rf $(VENV)
