# The two commands of the README: `make site` and `make test`. Everything else is set-up.
# Third-party assets (plotly.js bundles, topojson) come from the registries here, never from git.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= data
OUT ?= site
# The archived source texts that quotes are checked against, when present beside the project.
ARCHIVE ?= $(wildcard ../shared/seeds)
ARCHIVE_FLAG := $(if $(ARCHIVE),--archive $(ARCHIVE))

.PHONY: setup site test lint serve clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,images]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

site: setup  ## set up, then validate and build the site from $(DATA) into $(OUT)
	$(BIN)/explainer build --data $(DATA) --out $(OUT) $(ARCHIVE_FLAG)

test: setup  ## set up, then run every test (browser tests need Debian's chromium)
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check explainer tests bench
	$(BIN)/ruff format --check explainer tests bench
	$(BIN)/mypy

serve: setup
	$(BIN)/explainer serve --data $(DATA)

clean:
	rm -rf $(OUT) build .pytest_cache .mypy_cache .ruff_cache
