# The project's entry points. `make run` and `make test` work on a fresh machine with
# Python 3.11 and Node: they install what is needed first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEBUG ?= 0

.PHONY: install run test lint format clean bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "EMSLIRP needs Python 3.11"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var/assets/.built: node_modules/.installed static/build.mjs static/scss/main.scss
	npm run --silent build
	touch $@

install: $(VENV)/.installed var/assets/.built

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	# As users see it: the product's own error pages, not Django's debug page (DEBUG=1
	# make run for that); static files served by runserver all the same; e-mailed links
	# point at this address.
	DJANGO_DEBUG=$(DEBUG) EMSLIRP_BASE_URL=http://127.0.0.1:$(PORT) \
		$(PY) manage.py runserver --insecure 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) benchmarks/bench_planner.py
	$(PY) benchmarks/bench_reminders.py
	$(PY) benchmarks/bench_regional.py

clean:
	rm -rf $(VENV) node_modules var
