# noghost: `make run` to try it, `make test` to check it. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings read $NOGHOST_ENV_FILE when set, else ./.env: the development one is written there.
ENV_FILE := $(or $(NOGHOST_ENV_FILE),.env)
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,postgres,redis,production]"
	touch $(STAMP)

# The drafts' languages (locale/*/django.po, docs/design.md rule 14), compiled by GNU gettext's msgfmt.
MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
$(MO): %.mo: %.po $(STAMP)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV) -v0

install: $(STAMP) $(MO)

# A development .env (DEBUG on, a random key, mail printed to the terminal), written once.
$(ENV_FILE):
	printf 'DEBUG=1\nSECRET_KEY=%s\nEMAIL_URL=consolemail://\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

# The server and the worker run under crm/run.py, each in a session of its own: a Ctrl-C, a TERM
# to make, or a TERM to make's whole process group (systemd, `timeout`, terminal multiplexers)
# reaches only the supervisor, which stops each exactly once (django-q2 can hang for good if a
# second signal lands while it handles the first) and kills what is left after 10 seconds.
# SITE_URL, unless set, follows HOST and PORT (NOGHOST_HOST, NOGHOST_PORT), so e-mail links work.
run: export NOGHOST_HOST := $(HOST)
run: export NOGHOST_PORT := $(PORT)
run: install $(ENV_FILE)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	$(PY) manage.py setup_schedules
	@echo "noghost on http://$(HOST):$(PORT)/  (log in as $${NOGHOST_DEMO_USER:-demo} / $${NOGHOST_DEMO_PASSWORD:-noghost-demo}); Ctrl-C stops the server and the worker."
	$(PY) -m crm.run $(HOST) $(PORT)

test: install
	$(PY) -m pytest

# Every benchmark at full size (long: see README); `make bench BENCH=--quick` for a small run.
bench: install
	$(PY) -m bench $(BENCH)

clean:
	rm -rf $(VENV) var .pytest_cache
