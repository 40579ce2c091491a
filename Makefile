# Two commands on a fresh machine with python3 and make:
#   make run   — set up .venv and build raw/ into cleaned/
#   make test  — set up .venv with the test extras and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test build-cleaned bench bench-inputs test-ray clean-venv browser

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

# Benchmark: corpuskit build vs datatrove on generated corpora (bench/README in the
# main README, "Scale and speed").  datatrove gets its own venv; if it cannot be
# installed the bench still runs and says so instead of printing a ratio.
# BENCH_ARGS=--sizes 10000 for a quick run.
BENCH_VENV := bench/.venv-datatrove
BENCH_ARGS ?= --sizes 10000,100000,200000
# datatrove 0.10.1 hashes str with xxhash, which xxhash 4 refuses: pin below 4.
DATATROVE_PKGS := datatrove==0.10.1 opencc regex tokenizers orjson 'xxhash<4'

$(BENCH_VENV)/.installed:
	@mkdir -p bench/out
	@{ $(PYTHON) -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q $(DATATROVE_PKGS) && touch $@; } \
	  > bench/out/datatrove-install.log 2>&1 \
	  || echo "make: datatrove could not be installed (bench/out/datatrove-install.log); benching without it"

$(VENV)/.installed-bench: pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	touch $@

bench: $(VENV)/.installed-bench $(BENCH_VENV)/.installed
	$(BIN)/python bench/run_bench.py $(BENCH_ARGS)

# The large inputs of the scale issue: one ~1 GB JSONL file and a folder of a million
# small files, built end to end with their memory sampled (20-30 minutes, ~4 GB of disk).
INPUTS_ARGS ?= --cases jsonl,files
bench-inputs: $(VENV)/.installed-bench
	$(BIN)/python bench/large_inputs.py $(INPUTS_ARGS)

# The Ray engine's tests start a local Ray instance (about a minute): not in `make test`.
$(VENV)/.installed-ray: pyproject.toml $(TEST_STAMP)
	$(BIN)/python -m pip install -q -e '.[test,ray]'
	touch $@

test-ray: $(VENV)/.installed-ray
	$(BIN)/python -m pytest -m ray tests/engines

clean-venv:
	rm -rf $(VENV)
