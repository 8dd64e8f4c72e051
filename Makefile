# The two commands of the quick start: `make run` (the whole app, locally) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# checkov pins packages the project pins otherwise, so it gets a virtual environment of its own.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov

.PHONY: install run test lint format clean bench load

# The venv is rebuilt when pyproject.toml changes, so a pull never runs against stale packages.
$(INSTALLED): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

$(CHECKOV): tools/checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -r tools/checkov.txt
	touch $(CHECKOV)

# The virtual environment alone (`run` and `test` make it too): for a second checkout to compare.
install: $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/league dev up

test: $(INSTALLED) $(CHECKOV) lint
	$(BIN)/pytest

# League App against the bare bus floor on a stack of its own (README, "Performance").
bench: $(INSTALLED)
	$(BIN)/python -m bench

# A realistic mix of traffic against `make run` (README, "Performance"); bounded in time and users.
# Its writers send a token `league dev token` mints from the running stack's issuer.
LOAD_HOST ?= http://127.0.0.1:8080
LOAD_USERS ?= 50
LOAD_TIME ?= 60s
load: $(INSTALLED)
	@token=$$(mktemp) && trap 'rm -f "$$token"' EXIT && \
	  $(BIN)/league dev token --subject load > "$$token" && \
	  LEAGUE_LOAD_TOKEN_FILE="$$token" $(BIN)/locust -f k8s/load/locustfile.py --headless \
	    --host $(LOAD_HOST) --users $(LOAD_USERS) --spawn-rate 10 --run-time $(LOAD_TIME) \
	    --only-summary

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .pytest_cache .mypy_cache .ruff_cache
