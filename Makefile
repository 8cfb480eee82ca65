# Everything runs from .venv, created and filled on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: try test lint format run bench sync migrate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

try: $(STAMP)  ## the bot on its embedded defaults: sandbox shell, demo network, no token
	$(BIN)/python -m bot try

test: $(STAMP)  ## the whole suite
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

run: $(STAMP)  ## against Discord: needs DISCORD_TOKEN in .env
	$(BIN)/python -m bot

sync: $(STAMP)
	$(BIN)/python -m bot sync

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

bench: $(STAMP)  ## latency and search figures; BENCH_ARGS="--quick" or "--against REV"
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
