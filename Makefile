# The two commands of the README: `make site` and `make test`. Everything else is set-up.
# Third-party assets (plotly.js bundles, topojson) come from the registries here, never from git.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= data
OUT ?= site
# The archived source texts that quotes are checked against, when present beside the project.
# With them every quote and every summary can be checked, so the build is strict: a warning
# (a quote not found, prose copied from a source) stops it. Without them (a fresh clone
# elsewhere) the unchecked quotes are warnings and the site still builds.
ARCHIVE ?= $(wildcard ../shared/seeds)
ARCHIVE_FLAG := $(if $(ARCHIVE),--archive $(ARCHIVE) --strict)

# The exact Python packages (with their hashes) that set-up installs: made from pyproject.toml's
# ranges by `make lock`, for Python 3.11 on Linux (docs/contributing.md, "Dependencies").
LOCK := requirements/lock.txt
PIP_TOOLS := pip-tools==7.6.2

.PHONY: setup site test lint serve clean lock lock-upgrade

# The JSON Schemas the editor settings name (.vscode/settings.json), with the ids of $(DATA)
# for autocompletion: refreshed at every set-up, rewritten only when they change.
setup: $(VENV)/.installed node_modules/.installed $(VENV)/.vendored
	$(BIN)/explainer schema --data $(DATA) --out schema >/dev/null

# Every package from the lock, each checked against its hashes (build backend included), then
# this project itself without build isolation, so nothing unlocked is fetched; `pip check`
# proves the set complete and consistent.
$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --only-binary :all: -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser assets the package ships (plotly.js partial bundle, map outlines, their licences),
# copied from node_modules/ into explainer/vendor/, where builds and the wheel find them.
$(VENV)/.vendored: node_modules/.installed $(VENV)/.installed
	$(BIN)/python -m explainer.core.assets node_modules
	touch $@

site: setup  ## set up, then validate and build the site from $(DATA) into $(OUT)
	$(BIN)/explainer build --data $(DATA) --out $(OUT) $(ARCHIVE_FLAG)

test: setup  ## set up, then run every test (browser tests need Debian's chromium)
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check explainer tests bench
	$(BIN)/ruff format --check explainer tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

serve: setup
	$(BIN)/explainer serve --data $(DATA)

clean:
	rm -rf $(OUT) build .pytest_cache .mypy_cache .ruff_cache

# Refresh the lock after editing pyproject.toml's dependencies: pins still allowed are kept.
# `make lock-upgrade` moves every pin to the newest release the ranges allow. pip-compile runs in
# a throw-away virtual environment with the interpreter the lock is for (Python 3.11).
LOCK_FLAGS = --quiet --generate-hashes --allow-unsafe --all-extras --all-build-deps --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host
lock:
	$(MAKE) _lock COMPILE_FLAGS=

lock-upgrade:
	$(MAKE) _lock COMPILE_FLAGS=--upgrade

_lock:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "the lock is for Python 3.11: make lock PYTHON=python3.11")'
	@tools=$$(mktemp -d) && trap 'rm -rf "$$tools"' EXIT && \
	$(PYTHON) -m venv "$$tools" && "$$tools/bin/pip" install --quiet '$(PIP_TOOLS)' && \
	mkdir -p $(dir $(LOCK)) && \
	CUSTOM_COMPILE_COMMAND="make lock" "$$tools/bin/pip-compile" $(LOCK_FLAGS) $(COMPILE_FLAGS) \
		--output-file $(LOCK) pyproject.toml
