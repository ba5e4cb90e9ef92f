# shellcheck shell=bash
# Whether PostgreSQL and Redis answer, for scripts/prepare.sh. Sourcing this file only
# defines functions, so the checks can be run on their own:
#   bash -c 'source scripts/lib/services.sh && wait_for_redis 127.0.0.1 6379'

# postgresql_answers HOST PORT
postgresql_answers() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$1" -p "$2" 2>/dev/null
  else
    # Without the client tools an open port is the best we can tell.
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
  fi
}

# redis_answers HOST PORT: a PING over bash's /dev/tcp, so that a port held by something
# other than Redis does not count. NOAUTH is a Redis that wants a password: it answers.
redis_answers() {
  (
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 2 reply <&3 || exit 1
    case $reply in +PONG* | -NOAUTH*) exit 0 ;; *) exit 1 ;; esac
  ) 2>/dev/null
}

# wait_for_postgresql HOST PORT [SECONDS [LOGFILE]]
wait_for_postgresql() { _wait_for PostgreSQL postgresql_answers "$@"; }

# wait_for_redis HOST PORT [SECONDS [LOGFILE]]
wait_for_redis() { _wait_for Redis redis_answers "$@"; }

# Returns as soon as the service answers. Otherwise, after SECONDS (default 30), says on
# stderr which service does not answer where, shows the end of its log, and fails.
_wait_for() {
  local name=$1 check=$2 host=$3 port=$4 seconds=${5:-30} log=${6:-}
  local deadline=$((SECONDS + seconds))
  until "$check" "$host" "$port"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name does not answer on $host:$port (waited ${seconds}s)." >&2
      if [ -n "$log" ] && [ -r "$log" ]; then
        echo "The last lines of $log:" >&2
        tail -n 20 "$log" | sed 's/^/    /' >&2
      elif [ -n "$log" ]; then
        echo "Its log, $log, is missing or unreadable." >&2
      fi
      return 1
    fi
    sleep 0.5
  done
}
