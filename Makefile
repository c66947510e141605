# Every target creates the virtualenv it needs; CI calls these same targets.
# `make run`: the development server and, beside it, the worker that runs background jobs
# (emails); both stop together.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# Installed from the lock file: every package, transitive ones included, pinned with its hashes.
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock | cksum | cut -d' ' -f1)
# check --deploy runs under production-like settings.
PROD_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-only-key-a8f3e9c1b7d2405f9e6a1c3b8d7f2e4a90 DJANGO_ALLOWED_HOSTS=clinic.example.org

.PHONY: install run test fuzz test-faults lint format check backup restore lock

# Without DATABASE_URL, every target asks for the embedded PostgreSQL (pgserver, data in
# .pgdata/); the site itself refuses to start with neither.
ifeq ($(strip $(DATABASE_URL)),)
export OIH_EMBEDDED_DB := 1
ASK_EMBEDDED := OIH_EMBEDDED_DB=1 
endif

$(STAMP): requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	rm -f $(VENV)/.installed-*
	touch $@

# After changing a pin in requirements.txt or requirements-dev.txt (the files people edit):
# the lock files, with the hashes of every package (pip-tools). requirements.lock is what a
# server installs (docs/deploy.md); requirements-dev.lock is what make install installs.
LOCK := $(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
lock: $(STAMP)
	$(LOCK) -o requirements.lock requirements.txt
	$(LOCK) -o requirements-dev.lock requirements-dev.txt

# The Spanish pages' translations: .po (in git) to .mo (built here, by polib, so no GNU
# gettext is needed). To collect new strings after marking them, a developer with gettext
# runs: DJANGO_DEBUG=1 $(PY) manage.py makemessages -l es --no-obsolete
install: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py compile_catalogues

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_content
	@echo ""
	@echo "  Site:   http://127.0.0.1:8000/"
	@echo "  Guides: http://127.0.0.1:8000/learn/"
	@echo "  Intake: http://127.0.0.1:8000/intake/"
	@echo "  Admin:  http://127.0.0.1:8000/admin/"
	@echo "  To sign in to the admin, in another terminal run:"
	@echo "    $(ASK_EMBEDDED)DJANGO_DEBUG=1 $(PY) manage.py seed_demo          (a demo clinician and editor)"
	@echo "    $(ASK_EMBEDDED)DJANGO_DEBUG=1 $(PY) manage.py createsuperuser    (your own administrator)"
	@echo "  Emails are printed here, sent by the background worker started beside the server."
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite but the fault test, which crashes a throwaway PostgreSQL under load, in
# one worker per core (pytest-xdist); each worker has its own test database. A worker that
# runs out of tests takes some of another's (worksteal): with the default scheduling one
# worker could be left with a queue of browser tests while the other sat idle.
test: install
	$(PY) -m pytest -n auto --dist worksteal -m "not faults"

# The generated-input tests exploring: a fresh seed each run, printed (FUZZ_SEED=n repeats
# a run), 1,000 inputs per form (OIH_FUZZ_EXAMPLES=n sets another number).
fuzz: install
	@seed=$${FUZZ_SEED:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}; \
	echo "make fuzz: seed $$seed (make fuzz FUZZ_SEED=$$seed runs these inputs again)"; \
	OIH_FUZZ=explore $(PY) -m pytest -n auto --dist worksteal -m fuzz --hypothesis-seed=$$seed

test-faults: install
	$(PY) -m pytest -m faults -s

# make backup [OUT=path.dump]; make restore DUMP=path.dump (replaces the database's data).
# Both use DATABASE_URL, or the embedded database; debug mode only spares a local run
# from needing production secrets, and serves no pages.
MANAGE_LOCAL := DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py
backup: install
	$(MANAGE_LOCAL) backup_database $(if $(OUT),--output $(OUT))

restore: install
	@test -n "$(DUMP)" || (echo "Say which file: make restore DUMP=backups/oih-....dump" && exit 2)
	$(MANAGE_LOCAL) restore_database $(DUMP) --yes

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	DJANGO_DEBUG=1 $(PY) manage.py check
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# `make bench`: the site under load as it is deployed (gunicorn, debug off, its own PostgreSQL
# database with 100,000 seeded intakes); prints a table, writes bench/results.json. See bench/README.md.
BENCH_STAMP := $(VENV)/.bench-installed-$(shell cat requirements-bench.txt | cksum | cut -d' ' -f1)

$(BENCH_STAMP): requirements-bench.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	rm -f $(VENV)/.bench-installed-*
	touch $@

.PHONY: bench
bench: install $(BENCH_STAMP)
	@command -v wrk >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
		(apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)); } || \
		{ echo "make bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(PY) bench/run.py $(BENCH_ARGS)
