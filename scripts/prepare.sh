#!/usr/bin/env bash
# Make this machine ready to run or test fostercare: system libraries, the virtual
# environment, PostgreSQL and Redis. Safe to run again; does only what is missing.
#   scripts/prepare.sh          for `make run`
#   scripts/prepare.sh --test   also installs Chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

source scripts/lib/services.sh

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Need root (or sudo) to run: $*" >&2; exit 1; fi
}

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing system packages: ${missing[*]}"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# WeasyPrint's libraries, fonts for PDFs, gettext for the translations.
apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext
# The browser tests: Debian's Chromium, and libatomic1 for the Node.js that Playwright
# bundles as its driver (without it every browser test fails at launch); pdftoppm and
# zbarimg read the invoice PDF's bar code back in the contracts tests.
[ $want_test = 1 ] && apt_install chromium libatomic1 poppler-utils zbar-tools

PYTHON=${PYTHON:-python3.11}
if [ ! -x .venv/bin/pip ]; then
  say "Creating the virtual environment"
  # Debian's python3.11 comes without venv/ensurepip; a pyenv or python.org build has them.
  if ! command -v "$PYTHON" >/dev/null || ! "$PYTHON" -c "import ensurepip" 2>/dev/null; then
    apt_install python3.11 python3.11-venv
  fi
  rm -rf .venv
  "$PYTHON" -m venv .venv || { rm -rf .venv; echo "Could not create .venv" >&2; exit 1; }
fi
# uv installs the locked packages. A pinned version, and told to trust the system's
# certificates as pip does (its own bundle fails behind an HTTPS-inspecting proxy).
UV_VERSION=0.13.9
case "$(.venv/bin/uv --version 2>/dev/null)" in
  "uv $UV_VERSION" | "uv $UV_VERSION "*) ;;
  *) .venv/bin/pip install -q "uv==$UV_VERSION" ;;
esac
stamp=.venv/.requirements-dev.lock
if ! cmp -s requirements-dev.lock "$stamp"; then
  say "Installing Python packages from requirements-dev.lock"
  .venv/bin/uv pip sync -q --system-certs --python .venv/bin/python requirements-dev.lock
  cp requirements-dev.lock "$stamp"
fi

# PostgreSQL: use DATABASE_URL when given; otherwise make sure a local server runs
# and has the fostercare role and database.
if [ -z "${DATABASE_URL:-}" ]; then
  # The client first: pg_isready is how we tell that a server already answers. Without
  # it a machine whose server runs elsewhere (a container, another package) would get a
  # second PostgreSQL, whose package makes its cluster on 5433.
  pg_isready --version >/dev/null 2>&1 || apt_install postgresql-client
  if ! postgresql_answers 127.0.0.1 5432; then
    # A UTF-8 cluster whatever the shell's locale (a bare machine has none set, and
    # initdb would make SQL_ASCII databases in which ä and ö do not match case-blind).
    export LANG=C.UTF-8 LC_ALL=C.UTF-8
    apt_install postgresql
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    if [ ! -d "/etc/postgresql/$version/main" ]; then
      as_root pg_createcluster --locale C.UTF-8 "$version" main
    fi
    # The package may have started it already; if a start fails, pg_ctlcluster says why
    # and the wait below shows the server's log.
    if ! postgresql_answers 127.0.0.1 5432; then
      say "Starting PostgreSQL $version"
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    fi
    if ! wait_for_postgresql 127.0.0.1 5432 30 "/var/log/postgresql/postgresql-$version-main.log"; then
      echo "The clusters on this machine (the port must be 5432):" >&2
      pg_lsclusters >&2 || true
      exit 1
    fi
  fi
  pg() { as_root runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAc "$1" 2>/dev/null \
           || psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
  if [ "$(pg "SELECT 1 FROM pg_roles WHERE rolname='fostercare'")" != 1 ]; then
    say "Creating the PostgreSQL role fostercare"
    # CREATEDB so the test runner can make its own databases.
    pg "CREATE ROLE fostercare LOGIN CREATEDB PASSWORD 'fostercare'"
  fi
  if [ "$(pg "SELECT 1 FROM pg_database WHERE datname='fostercare'")" != 1 ]; then
    pg "CREATE DATABASE fostercare OWNER fostercare"
  fi
fi

# Redis: use REDIS_URL when given; otherwise make sure a local server answers.
if [ -z "${REDIS_URL:-}" ]; then
  if ! redis_answers 127.0.0.1 6379; then
    apt_install redis-server
    say "Starting Redis"
    as_root mkdir -p /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" \
      --appendonly no --dir /var/lib/redis --logfile /var/log/redis/fostercare.log || true
    wait_for_redis 127.0.0.1 6379 15 /var/log/redis/fostercare.log || exit 1
  fi
fi

# A local env file for development: DEBUG on and a secret key of this checkout's own.
# (Not named .env, which docker compose would read for a production deployment.)
if [ ! -f .env.local ]; then
  say "Writing .env.local for local development"
  printf 'DEBUG=true\nSECRET_KEY=%s\n' "$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(40))')" > .env.local
fi

say "Compiling translations"
.venv/bin/python manage.py compilemessages --ignore=.venv -v 0
