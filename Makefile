# The two commands of the README: `make run` and `make test`.
.PHONY: run test prepare prepare-test lint format messages lock bench fresh-check

run: prepare
	scripts/run.sh

test: prepare-test
	.venv/bin/python manage.py makemigrations --check --dry-run -v 0
	.venv/bin/ruff check .
	.venv/bin/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

prepare:
	scripts/prepare.sh

prepare-test:
	scripts/prepare.sh --test

# Benchmarks with speed targets (tests/benchmarks); each fails when its median misses.
# Then every main page at national scale beside the Django admin's, under gunicorn: the
# data set is built once into the database fostercare_bench (BENCH_SCALE=0.1 for a tenth).
bench: prepare-test
	.venv/bin/pytest tests/benchmarks -m bench -p no:xdist --benchmark-enable --benchmark-columns=min,median,max,rounds $(PYTEST_ARGS)
	.venv/bin/python tests/benchmarks/national.py

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

# Extract new strings into the Finnish and Swedish catalogues (translate, then commit).
messages:
	.venv/bin/python manage.py makemessages -l fi -l sv --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=media --no-obsolete

# Re-resolve the locked dependency versions after editing pyproject.toml.
lock:
	.venv/bin/uv pip compile -q --system-certs pyproject.toml --python-version 3.11 -o requirements.lock
	.venv/bin/uv pip compile -q --system-certs pyproject.toml --extra dev --python-version 3.11 -o requirements-dev.lock

# On a bare Debian bookworm root (debootstrap, own network namespace): install only what
# the README names, clone HEAD, run `make test` and check `make run`. Root; not in `make test`.
fresh-check:
	scripts/fresh-check.sh
