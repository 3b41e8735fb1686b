#!/usr/bin/env bash
# tests/fresh-machine.sh: proves the README's promise that `make demo` and
# `make test` pass on a fresh Debian bookworm machine with only
# build-essential and git, by making one: a minimal root from debootstrap,
# with those two packages and nothing else, a clone of this repository's
# HEAD in it, and the two commands run there under chroot as root (as CI
# runs them). `../shared/` is absent in there, so this also proves that the
# tests needing it skip, saying why.
#
#   tests/fresh-machine.sh        (make fresh-test; root, the network to
#                                  Debian's mirror; 10 to 20 minutes)
#
# The base root (debootstrap + build-essential + git, about 400 MB) is built
# once and kept outside the repository, in $ECSC_FRESH_CACHE (default
# /var/tmp/ecsc-fresh/bookworm); each run works on a copy of it, thrown away
# after, so every run starts from the same fresh machine. Only committed work
# is tested: the clone is of HEAD. Ends with "fresh-machine: N passed, N
# failed"; the log of each command is kept in $ECSC_FRESH_CACHE/last-*.log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
cache=${ECSC_FRESH_CACHE:-/var/tmp/ecsc-fresh/bookworm}
mirror=${ECSC_FRESH_MIRROR:-http://deb.debian.org/debian}
base=$cache/base
pass=0 fail=0

say() { echo "fresh-machine: $*" >&2; }
if [ "$(id -u)" != 0 ]; then
  say "needs root (debootstrap, chroot and mount); run it as root or with sudo"
  exit 2
fi
command -v debootstrap >/dev/null 2>&1 || tests/install-deps.sh debootstrap
mkdir -p "$cache"

# in_root ROOT CMD...: runs CMD in ROOT with a clean environment, as a
# machine's root login would have it.
in_root() {
  local root=$1
  shift
  env -i HOME=/root TERM=dumb LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    chroot "$root" "$@"
}

mounted=()
mount_all() {
  local root=$1
  mount -t proc proc "$root/proc" && mounted=("$root/proc" "${mounted[@]}")
  mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" && mounted=("$root/dev" "${mounted[@]}")
  # The host's network, as a new machine on the same network would have it:
  # its resolver, and the certificate authorities the host adds to Debian's
  # (a proxy's, where one inspects TLS: npm needs it then). No tool.
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1 && [ -x "$root/usr/sbin/update-ca-certificates" ]; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    in_root "$root" update-ca-certificates >/dev/null 2>&1 || true
  fi
}
unmount_all() {
  local m
  for m in "${mounted[@]}"; do umount -R "$m" 2>/dev/null || umount -lR "$m" 2>/dev/null || true; done
  mounted=()
}

# The base: bookworm's minimal root, then build-essential and git.
if [ ! -f "$base/.ecsc-fresh-complete" ]; then
  say "making the base root in $base (once)"
  rm -rf "$base" "$base.new"
  debootstrap --variant=minbase bookworm "$base.new" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { say "debootstrap failed; see $cache/debootstrap.log"; exit 2; }
  trap unmount_all EXIT
  mount_all "$base.new"
  in_root "$base.new" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential git && apt-get clean' \
    >>"$cache/debootstrap.log" 2>&1 || { say "installing build-essential and git failed; see $cache/debootstrap.log"; exit 2; }
  unmount_all
  touch "$base.new/.ecsc-fresh-complete"
  mv "$base.new" "$base"
fi

# What a killed run left: its mounts, then its copy.
for old in "$cache"/run.*; do
  [ -d "$old" ] || continue
  { grep -o " $old/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -lR "$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$old"
done

# This run's machine: a copy of the base, thrown away at the end.
run=$(mktemp -d "$cache/run.XXXXXX")
cleanup() {
  unmount_all
  rm -rf --one-file-system "$run"
}
trap cleanup EXIT
cp -a "$base/." "$run/"
mount_all "$run"

# The repository as a newcomer gets it: a clone, here of HEAD. /src/ecsc
# has no ../shared beside it.
commit=$(git rev-parse HEAD)
mkdir -p "$run/src"
git clone -q --no-hardlinks "$repo" "$run/src/ecsc"
git -C "$run/src/ecsc" checkout -q "$commit"
say "testing $commit in a fresh bookworm root"

ok() { pass=$((pass + 1)); echo "PASS $1"; }
not_ok() {
  fail=$((fail + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | tail -n 30 | sed 's/^/    /'
}
# step NAME CMD: runs the shell command CMD in the clone, inside the root.
step() {
  local name=$1 log="$cache/last-$1.log"
  if in_root "$run" bash -c "cd /src/ecsc && $2" >"$log" 2>&1; then
    ok "$name"
  else
    not_ok "$name (log: $log)" "$(cat "$log")"
  fi
}

# What the machine had: none of the tools the tests run, so make test must
# bring every one (python3 is not even in build-essential's closure).
# shellcheck disable=SC2016  # $t is the root's shell's
present=$(in_root "$run" sh -c 'for t in python3 clang node npm shellcheck curl vim dot pkg-config; do command -v $t; done' || true)
if [ -z "$present" ]; then ok "the fresh root has no test tool before make test"; else not_ok "the fresh root has no test tool before make test" "$present"; fi

step demo "make demo"
step test "make test"
log="$cache/last-test.log"
if [ -f "$log" ]; then
  # make test's last line counts and must say 0 failed.
  if tail -n 1 "$log" | grep -qE '^[0-9]+ passed, 0 failed'; then ok "make test ends with 0 failed"; else not_ok "make test ends with 0 failed" "$(tail -n 1 "$log")"; fi
  # Without ../shared, the validators skip and say so.
  if grep -q 'SKIP validators .*shared is absent' "$log"; then ok "tests needing ../shared skip and say why"; else not_ok "tests needing ../shared skip and say why" "no such SKIP line in $log"; fi
fi

echo "fresh-machine: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
