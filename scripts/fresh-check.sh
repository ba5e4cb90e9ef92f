#!/usr/bin/env bash
# Prove that a bare Debian needs nothing but what the README names: build a minimal
# Debian bookworm root with debootstrap, install there only the README's packages, clone
# this repository's committed HEAD into it, run `make test`, and check that `make run`
# serves /login/.
#
# The root runs in a network namespace of its own, so its 127.0.0.1 is its own loopback
# and the host's PostgreSQL and Redis are out of its sight; it reaches the package
# registries through NAT on the host. Needs root; takes 5 to 10 minutes here (2 cores).
#   make fresh-check
#   FRESH_DIR=/var/tmp/elsewhere make fresh-check    (default /var/tmp/fostercare-fresh)
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${FRESH_DIR:-/var/tmp/fostercare-fresh}
root=$dir/root
ns=${FRESH_NETNS:-fostercare-fresh}
net=${FRESH_NET:-10.213.0} # a /30: .1 is the host end of the veth pair, .2 the namespace's
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
veth=fcfresh0 # the host end; the namespace's end is fcfresh1
env_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "fresh-check: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, a network namespace, chroot)"

# The README's own line, run as written: what it names is all the root gets.
readme_install=$(grep -m1 -E '^apt-get update && apt-get install -y ' README.md) ||
  die "README.md has no line 'apt-get update && apt-get install -y ...'"

missing=()
for tool in debootstrap:debootstrap ip:iproute2 iptables:iptables curl:curl; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing on this host: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

commit=$(git rev-parse HEAD)
git diff --quiet HEAD || echo "fresh-check: uncommitted changes are not tested; testing $commit" >&2

ext=$(ip route show default | awk '{ print $5; exit }')
[ -n "$ext" ] || die "this host has no default route, so the root could not reach the registries"

# Everything this script sets up is undone here, on exit and before a new run (a run that
# was killed may have left it). The processes ended are those in our namespace only.
cleanup() {
  set +e
  if ip netns list | grep -qx "$ns\( .*\)\?"; then
    mapfile -t pids < <(ip netns pids "$ns")
    if [ ${#pids[@]} -gt 0 ]; then
      kill "${pids[@]}" 2>/dev/null
      sleep 3
      mapfile -t pids < <(ip netns pids "$ns")
      [ ${#pids[@]} -gt 0 ] && kill -KILL "${pids[@]}" 2>/dev/null
    fi
    ip netns del "$ns"
  fi
  ip link del "$veth" 2>/dev/null
  while iptables -t nat -D POSTROUTING -s "$net.0/30" -o "$ext" -j MASQUERADE 2>/dev/null; do :; done
  while iptables -D FORWARD -i "$veth" -j ACCEPT 2>/dev/null; do :; done
  while iptables -D FORWARD -o "$veth" -j ACCEPT 2>/dev/null; do :; done
  if [ -f "$dir/ip_forward.before" ]; then
    cat "$dir/ip_forward.before" >/proc/sys/net/ipv4/ip_forward
    rm -f "$dir/ip_forward.before"
  fi
  for mnt in srv/source dev/shm dev/pts dev sys proc; do
    mountpoint -q "$root/$mnt" && { umount "$root/$mnt" || umount -l "$root/$mnt"; }
  done
  return 0
}
cleanup
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$SECONDS
say "Building a bare Debian bookworm root (debootstrap, minbase) in $root"
rm -rf "$root"
mkdir -p "$root" "$dir/debs"
debootstrap --variant=minbase --cache-dir="$dir/debs" bookworm "$root" "$mirror" >"$dir/debootstrap.log" 2>&1 ||
  { tail -n 20 "$dir/debootstrap.log" >&2; die "debootstrap failed; its log is $dir/debootstrap.log"; }

# What an installed Debian has and debootstrap leaves out: the updates and security
# suites, and a hosts file naming localhost.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF
[ -s "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This host's network inspects HTTPS with a certificate authority of its own; a machine
# behind such a proxy has that authority installed locally, and the README's
# ca-certificates package adds it to the system store.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi

say "Giving it a network namespace of its own ($ns, $net.2 behind NAT)"
ip netns add "$ns"
ip link add "$veth" type veth peer name fcfresh1
ip link set fcfresh1 netns "$ns"
ip addr add "$net.1/30" dev "$veth"
ip link set "$veth" up
ip -n "$ns" addr add "$net.2/30" dev fcfresh1
ip -n "$ns" link set fcfresh1 up
ip -n "$ns" link set lo up
ip -n "$ns" route add default via "$net.1"
cat /proc/sys/net/ipv4/ip_forward >"$dir/ip_forward.before"
echo 1 >/proc/sys/net/ipv4/ip_forward
iptables -t nat -A POSTROUTING -s "$net.0/30" -o "$ext" -j MASQUERADE
iptables -I FORWARD -i "$veth" -j ACCEPT
iptables -I FORWARD -o "$veth" -j ACCEPT

# Chromium needs /proc and a /dev/shm.
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --make-private "$root/dev" # what is mounted below stays in the root
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
mount -t tmpfs -o mode=1777,size=2g shm "$root/dev/shm"

# The committed HEAD, as a repository inside the root to clone from.
git init -q --bare "$root/srv/fostercare.git"
git push -q "$root/srv/fostercare.git" "$commit:refs/heads/main"
git -C "$root/srv/fostercare.git" symbolic-ref HEAD refs/heads/main

# A command inside the root, in its namespace, with a bare machine's environment.
in_root() {
  ip netns exec "$ns" chroot "$root" env -i HOME=/root PATH="$env_path" TERM=dumb \
    DEBIAN_FRONTEND=noninteractive "$@"
}

if ip netns exec "$ns" bash -c '(exec 3<>/dev/tcp/127.0.0.1/5432) || (exec 3<>/dev/tcp/127.0.0.1/6379)' 2>/dev/null; then
  die "something answers on 127.0.0.1:5432 or 6379 inside the namespace; the check would prove nothing"
fi

say "Installing what the README names: $readme_install"
in_root bash -c "$readme_install" >"$dir/readme-install.log" 2>&1 ||
  { tail -n 20 "$dir/readme-install.log" >&2; die "the README's install line failed"; }

say "Cloning $commit into /root/fostercare"
in_root git clone -q /srv/fostercare.git /root/fostercare

say "make test (its output: $dir/make-test.log)"
test_started=$SECONDS
set +e
in_root bash -c 'cd /root/fostercare && make test' 2>&1 | tee "$dir/make-test.log"
test_status=${PIPESTATUS[0]}
set -e
test_seconds=$((SECONDS - test_started))

say "make run: does it serve /login/? (its output: $dir/make-run.log)"
# setsid: make run, runserver and the Celery processes form one group to stop together.
ip netns exec "$ns" setsid chroot "$root" env -i HOME=/root PATH="$env_path" TERM=dumb \
  bash -c 'cd /root/fostercare && exec make run' >"$dir/make-run.log" 2>&1 &
run_pid=$!
login_status=none
for _ in $(seq 240); do
  login_status=$(ip netns exec "$ns" curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8000/login/) || true
  [ "$login_status" = 200 ] && break
  kill -0 "$run_pid" 2>/dev/null || break
  sleep 1
done
kill -TERM -- "-$run_pid" 2>/dev/null || true
wait "$run_pid" 2>/dev/null || true

summary=$(grep -E '^=+ .*[0-9]+ (passed|failed|error)' "$dir/make-test.log" | tail -n 1 | tr -d '=' | sed 's/^ *//; s/ *$//')
echo
echo "fresh-check of $commit on a bare Debian bookworm root"
echo "  make test: exit ${test_status}, ${summary:-no pytest summary}, wall time $((test_seconds / 60))m$((test_seconds % 60))s"
echo "  make run:  GET http://127.0.0.1:8000/login/ -> $login_status"
echo "  in all:    $(((SECONDS - started) / 60))m$(((SECONDS - started) % 60))s; logs in $dir"
[ "$test_status" = 0 ] && [ "$login_status" = 200 ]
