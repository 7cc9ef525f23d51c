# Passage: the two commands that matter are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install system-deps services lint typecheck php-lint messages test demo bench clean

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint constraints.txt -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

# Debian packages the checks need: php-cli lints the Moodle plugin, Chromium runs the browser tests,
# gettext compiles the translations.
system-deps:
	@missing=""; \
	command -v php >/dev/null || missing="$$missing php-cli"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# PostgreSQL and Redis as this machine runs them; started only when they are down.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy moodle_client

php-lint: system-deps
	@status=0; for f in $$(find moodle_plugin -name '*.php'); do \
		php -l "$$f" >/dev/null || status=1; \
	done; exit $$status

messages: install
	@if ls */locale >/dev/null 2>&1 || test -d locale; then $(BIN)/python manage.py compilemessages -v 0; fi

test: install system-deps services lint typecheck php-lint messages
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$status

# Needs nothing running: SQLite, the stand-in Moodle and a Celery worker without Redis.
demo: install
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq gettext >/dev/null; } || echo "no gettext: the portal shows English only"
	@if command -v msgfmt >/dev/null; then $(MAKE) --no-print-directory messages; fi
	$(BIN)/python -m portal.demo

# Speed and memory goals: the campaign (job engine), the dashboard at scale and a 2 GB backup's
# round trip; each writes its figures to bench/results/. With MOODLE_URL and MOODLE_TOKEN, also
# the backup and reset jobs on that real Moodle (bench.live; it does nothing without them).
bench: install services
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.dashboard
	$(BIN)/python -m bench.storage
	$(BIN)/python -m bench.live

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var
