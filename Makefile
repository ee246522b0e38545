# noghost: `make run` to try it, `make test` to check it. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,postgres,redis,production]"
	touch $(STAMP)

install: $(STAMP)

# A development .env (DEBUG on, a random key, mail printed to the terminal), written once.
.env:
	printf 'DEBUG=1\nSECRET_KEY=%s\nEMAIL_URL=consolemail://\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

run: install .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	$(PY) manage.py setup_schedules
	@echo "noghost on http://127.0.0.1:8000/  (log in as $${NOGHOST_DEMO_USER:-demo} / $${NOGHOST_DEMO_PASSWORD:-noghost-demo}); Ctrl-C stops the server and the worker."
	$(PY) manage.py qcluster & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver --noreload 127.0.0.1:8000

test: install
	$(PY) -m pytest

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) var .pytest_cache
