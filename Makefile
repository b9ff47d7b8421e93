# IP Clinic — everyday commands. Needs only Python 3.11 on the machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
export PORT
LOCK := requirements.lock
# Bytecode caches are written even where PYTHONDONTWRITEBYTECODE is set: the test suite starts
# dozens of Python processes (test workers, gunicorn, Celery, manage.py), and each would
# otherwise compile every module it imports from source again (about 3 s of CPU each).
unexport PYTHONDONTWRITEBYTECODE
# One test process more than cores: browser, server and worker tests spend part of their time
# waiting for other processes (on 2 cores: 7 min 0 s with 3 test processes, 7 min 50 s with 2).
TEST_PROCESSES ?= $(shell echo $$(( $$(nproc) + 1 )))
CATALOGUE := locale/zh_Hans/LC_MESSAGES/django.po
# Production-like processes on one machine (make prod); WEB_CONCURRENCY sets gunicorn's workers.
PROD_ENV := DJANGO_DEBUG=0
WORKER := $(BIN)/celery -A clinic worker --loglevel INFO --without-gossip --without-mingle

.PHONY: run test worker prod lock install migrate demo messages lint format check-deploy bench clean schema

# Every dependency, transitive ones too, comes pinned with its hashes from the lock file.
$(STAMP): $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-compile --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	touch $(STAMP)

## Regenerate the lock file from pyproject.toml (keeps current pins; `make lock UPGRADE=1` updates).
lock:
	test -x $(BIN)/uv || $(BIN)/pip install --quiet 'uv==0.13.9'
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 \
	  --no-header --quiet $(if $(UPGRADE),--upgrade) -o $(LOCK)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

var/.demo-seeded: | migrate
	$(BIN)/python manage.py seed_demo
	touch var/.demo-seeded

demo: migrate
	$(BIN)/python manage.py seed_demo

## Run the system with demo data: SQLite, a file broker under var/, one Celery worker (beat embedded).
run: migrate var/.demo-seeded
	@echo "Demo logins: officer, officer2, lead, reviewer1-6, expert1-6, sme1-60 (password demo12345)"
	@$(BIN)/celery -A clinic worker -B --concurrency 1 --loglevel WARNING --without-gossip \
	  --without-mingle --without-heartbeat & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Celery worker and beat against REDIS_URL (development: one process runs both).
worker: $(STAMP)
	$(BIN)/celery -A clinic worker -B --loglevel INFO

## The production-like stack on this machine against DATABASE_URL and REDIS_URL: migrate,
## collectstatic, gunicorn on PORT, one Celery worker per queue (mail, pdf, default), one beat.
## DJANGO_ALLOW_PLAIN_HTTP=1 DJANGO_ALLOWED_HOSTS=127.0.0.1 tries it over plain http.
prod: $(STAMP)
	$(PROD_ENV) $(BIN)/python manage.py migrate --noinput
	$(PROD_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	@export $(PROD_ENV); ns=$${CLINIC_NAMESPACE:-}; \
	  $(WORKER) -Q $${ns}mail -n mail@%h --concurrency 2 & pids=$$!; \
	  $(WORKER) -Q $${ns}pdf -n pdf@%h --concurrency 1 & pids="$$pids $$!"; \
	  $(WORKER) -Q $${ns}default -n default@%h --concurrency 1 & pids="$$pids $$!"; \
	  $(BIN)/celery -A clinic beat --loglevel INFO & pids="$$pids $$!"; \
	  trap 'kill $$pids 2>/dev/null; wait' EXIT INT TERM; \
	  $(BIN)/gunicorn clinic.wsgi --bind $${BIND:-127.0.0.1}:$(PORT) --access-logfile -

## Lint and run the whole test suite (in parallel: one pytest process per core).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) -q --durations=15

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Merge translations handed in under locale/incoming/ (they fill untranslated entries), refresh
## and compile the catalogue.
messages: $(STAMP)
	if ls locale/incoming/*.po >/dev/null 2>&1; then \
	  msgcat --use-first -o $(CATALOGUE) $(CATALOGUE) locale/incoming/*.po && rm locale/incoming/*.po; fi
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'build/*'
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore '.venv/*'

## Write the API's OpenAPI file (docs/openapi.yaml); a test fails while it differs from the API.
schema: $(STAMP)
	$(BIN)/python manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn

check-deploy: $(STAMP)
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c "import secrets;print(secrets.token_urlsafe(50))")} \
	  DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-clinic.example.org} \
	  DATABASE_URL=$${DATABASE_URL:-postgres://clinic@127.0.0.1/clinic} \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

## Every benchmark script in bench/ (their shared helpers live in bench/lib/ and are not run).
bench: $(STAMP)
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf var
