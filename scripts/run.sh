#!/usr/bin/env bash
# Serve the app with a Celery worker and beat; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=${DEBUG:-true}
PORT=${PORT:-8000}

.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py seed_demo

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT

.venv/bin/celery -A fostercare worker --loglevel=INFO --concurrency=2 &
pids+=($!)
.venv/bin/celery -A fostercare beat --loglevel=INFO --schedule=/tmp/fostercare-celerybeat-schedule &
pids+=($!)

cat <<MSG

  fostercare is at http://127.0.0.1:${PORT}/
  Demo logins, all with password "demo":
    unit     unit social worker
    kemi     municipal social worker, Kemi
    tornio   municipal social worker, Tornio
    finance  finance
    admin    administrator (also /admin/)
  Ctrl-C stops the web server, the Celery worker and beat.

MSG
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
wait -n "${pids[@]}"
