# PanReflex – developer and demo commands. Only Python 3.11+ and make are needed on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PANREFLEX := $(BIN)/panreflex
HOST ?= 127.0.0.1
PORT ?= 8000
export PANREFLEX_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo install install-test serve worker test test-unit test-e2e test-postgres test-e2e-postgres lint imports messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Install the locked versions, then the project itself (editable, so `panreflex` runs this tree).
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

demo: install
	mkdir -p $(PANREFLEX_DATA_DIR)
	DEBUG=1 $(PANREFLEX) migrate --no-input
	DEBUG=1 $(PANREFLEX) load-demo
	DEBUG=1 $(PANREFLEX) compilemessages --ignore=.venv -v0 || true
	@echo "PanReflex runs on http://$(HOST):$(PORT) (demo logins above; Ctrl+C stops)"
	DEBUG=1 EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend $(PANREFLEX) db_worker & \
	  WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	  DEBUG=1 EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend $(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --ws-per-message-deflate false

serve: install
	DEBUG=1 EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend $(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --ws-per-message-deflate false

worker: install
	$(PANREFLEX) db_worker

# Debian's chromium for the browser tests, when missing and apt-get is usable.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and apt-get not usable: browser tests will be skipped"; fi; \
	fi

messages: install
	$(PANREFLEX) compilemessages --ignore=.venv -v0

# Two workers (pytest-xdist): unit and integration tests spread freely, browser tests file by file.
WORKERS ?= 2

test: install chromium messages imports
	$(BIN)/pytest -q -n $(WORKERS) panreflex $(PYTEST_ARGS)
	$(BIN)/pytest -q -n $(WORKERS) --dist loadfile e2e $(PYTEST_ARGS)

test-unit: install messages imports
	$(BIN)/pytest -q -n $(WORKERS) panreflex $(PYTEST_ARGS)

test-e2e: install chromium messages
	$(BIN)/pytest -q -n $(WORKERS) --dist loadfile e2e $(PYTEST_ARGS)

# The whole suite against PostgreSQL: unit and integration tests on DATABASE_URL's test database, the
# browser tests with a server on a database of its own on the same PostgreSQL server.
PG_URL = $${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
test-postgres: install chromium messages
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n $(WORKERS) panreflex $(PYTEST_ARGS)
	E2E_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n $(WORKERS) --dist loadfile e2e $(PYTEST_ARGS)

test-e2e-postgres: install chromium messages
	E2E_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n $(WORKERS) --dist loadfile e2e $(PYTEST_ARGS)

lint: install imports
	$(BIN)/ruff check .

# The app layers of docs/architecture.md ([tool.importlinter] in pyproject.toml), imports inside
# functions included.
imports: install
	$(BIN)/lint-imports

bench: install
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f; done

clean:
	rm -rf $(VENV) var build *.egg-info
