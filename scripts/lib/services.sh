# Whether PostgreSQL and Redis answer, for scripts/prepare.sh. Sourcing this file only
# defines functions, so the checks can be run on their own:
#   bash -c 'source scripts/lib/services.sh && wait_for_redis 127.0.0.1 6379'

# postgresql_answers HOST PORT
postgresql_answers() { pg_isready -q -h "$1" -p "$2" 2>/dev/null; }

# redis_answers HOST PORT
redis_answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_for_postgresql HOST PORT [SECONDS]
wait_for_postgresql() {
  local deadline=$((SECONDS + ${3:-30}))
  until postgresql_answers "$1" "$2"; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "PostgreSQL did not start" >&2; return 1; fi
    sleep 1
  done
}

# wait_for_redis HOST PORT [SECONDS]
wait_for_redis() {
  for _ in $(seq $((${3:-10} * 2))); do redis_answers "$1" "$2" && break; sleep 0.5; done
}
