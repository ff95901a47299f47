# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make demo   - create .venv, install drafter, run it on the bundled seed packs
#   make test   - create .venv, install drafter with its test tools, run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= demo-output

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/drafter demo --out $(OUT)

test: $(STAMP)
	$(BIN)/ruff check drafter tests benchmarks tools
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check drafter tests benchmarks tools

bench: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
