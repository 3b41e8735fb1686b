#!/usr/bin/env bash
# tests/fresh-machine.sh: proves the README's promise that `make demo` and
# `make test` pass on a fresh Debian bookworm machine with only
# build-essential and git, by making such machines: a minimal root from
# debootstrap, with those two packages and nothing else, a clone of this
# repository's HEAD in it, and the README's commands run there under chroot
# as root (as CI runs them), each on a machine of its own: `make demo` on
# one, `make test` on another, so that each is shown to install what it
# needs by itself. Before root's `make demo`, a user without root or sudo
# runs it and must be told the exact `apt-get install` line; on a third
# machine, a user with sudo and no password runs `make demo`, which must
# install through sudo. `../shared/` is
# absent in there, so this also proves that the tests needing it skip,
# saying why.
#
#   tests/fresh-machine.sh        (make fresh-test; root, the network to
#                                  Debian's mirror; 10 to 20 minutes on
#                                  two free cores, more on a busy machine)
#
# The base root (debootstrap + build-essential + git, about 400 MB) is built
# once and kept outside the repository, in $ECSC_FRESH_CACHE (default
# /var/tmp/ecsc-fresh/bookworm), and checked on every run: its apt history
# must hold that one install and nothing else. Each machine is a copy of it,
# thrown away after, so every run starts from the same fresh machine; one run
# at a time (a lock in the cache: a second run waits). Only committed work
# is tested: the clone is of HEAD. Ends with "fresh-machine: N passed, N
# failed"; the log of each command is kept in $ECSC_FRESH_CACHE/last-*.log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
cache=${ECSC_FRESH_CACHE:-/var/tmp/ecsc-fresh/bookworm}
mirror=${ECSC_FRESH_MIRROR:-http://deb.debian.org/debian}
base=$cache/base
pass=0 fail=0
started=$SECONDS

say() { echo "fresh-machine: $*" >&2; }
if [ "$(id -u)" != 0 ]; then
  say "needs root (debootstrap, chroot and mount); run it as root or with sudo"
  exit 2
fi
command -v debootstrap >/dev/null 2>&1 || tests/install-deps.sh debootstrap
mkdir -p "$cache"

# One run at a time: a second one would take the first's machine for a
# killed run's, and remove it.
exec 9>"$cache/.lock"
if ! flock -n 9; then
  say "another make fresh-test is using $cache; waiting for it to end"
  flock 9
fi

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
  # The root a mount point of its own, as a machine's / is: unshare -m (the
  # tests' mount namespaces) cannot change the propagation of a / that is
  # not one. Private, so that nothing mounted in it reaches the host.
  mount --bind "$root" "$root" && mount --make-private "$root" && mounted=("$root" "${mounted[@]}")
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
install_line="apt-get install -y -qq build-essential git"
if [ ! -f "$base/.ecsc-fresh-complete" ]; then
  say "making the base root in $base (once)"
  rm -rf "$base" "$base.new"
  debootstrap --variant=minbase bookworm "$base.new" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { say "debootstrap failed; see $cache/debootstrap.log"; exit 2; }
  trap unmount_all EXIT
  mount_all "$base.new"
  in_root "$base.new" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive $install_line && apt-get clean" \
    >>"$cache/debootstrap.log" 2>&1 || { say "installing build-essential and git failed; see $cache/debootstrap.log"; exit 2; }
  unmount_all
  touch "$base.new/.ecsc-fresh-complete"
  mv "$base.new" "$base"
fi

# What a killed run left: its mounts (the root's own included), then its copy.
for old in "$cache"/run.*; do
  [ -d "$old" ] || continue
  { grep -oE " $old(/[^ ]*)? " /proc/mounts || true; } | sort -r | while read -r m; do umount -lR "$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$old"
done

ok() { pass=$((pass + 1)); echo "PASS $1"; }
not_ok() {
  fail=$((fail + 1))
  echo "FAIL $1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | tail -n 30 | sed 's/^/    /'; fi
}

# The base is what its recipe makes and nothing more: one apt-get install
# since debootstrap, the recipe's.
installs=$(grep '^Commandline:' "$base/var/log/apt/history.log" 2>/dev/null || true)
if [ "$installs" = "Commandline: $install_line" ]; then
  ok "the base root is debootstrap's minbase with build-essential and git, nothing else"
else
  not_ok "the base root is debootstrap's minbase with build-essential and git, nothing else" \
    "its apt history (remove $base to make it again):"$'\n'"$installs"
fi

# new_machine: a copy of the base, with a clone of HEAD in /src/ecsc (no
# ../shared beside it): the repository as a newcomer gets it. Sets $run.
commit=$(git rev-parse HEAD)
run=""
new_machine() {
  run=$(mktemp -d "$cache/run.XXXXXX")
  cp -a "$base/." "$run/"
  mount_all "$run"
  mkdir -p "$run/src"
  git clone -q --no-hardlinks "$repo" "$run/src/ecsc"
  git -C "$run/src/ecsc" checkout -q "$commit"
}
drop_machine() {
  unmount_all
  [ -z "$run" ] || rm -rf --one-file-system "$run"
  run=""
}
trap drop_machine EXIT

# run_step NAME CMD [USER]: runs the shell command CMD in the clone, inside
# the machine, as root (or as USER, through a login shell), its output in
# $cache/last-NAME.log; sets step_code and step_time.
step_code=0 step_time=0
run_step() {
  local t0=$SECONDS
  step_code=0
  if [ -n "${3:-}" ]; then
    in_root "$run" runuser -l "$3" -c "cd /src/ecsc && $2" >"$cache/last-$1.log" 2>&1 || step_code=$?
  else
    in_root "$run" bash -c "cd /src/ecsc && $2" >"$cache/last-$1.log" 2>&1 || step_code=$?
  fi
  step_time=$((SECONDS - t0))
}
# step NAME CMD: run_step, which passes when CMD exits 0.
step() {
  run_step "$1" "$2"
  if [ "$step_code" = 0 ]; then
    ok "$1 (${step_time}s)"
  else
    not_ok "$1: exit $step_code (log: $cache/last-$1.log)" "$(cat "$cache/last-$1.log")"
  fi
}

say "testing $commit in fresh bookworm roots"

# The first machine: make demo, by a user without root or sudo (told what to
# install), then by root.
new_machine
# What the machine had: none of the tools or libraries the tests use, so make
# test must bring every one (python3 is not even in build-essential's closure).
# shellcheck disable=SC2016  # $t is the root's shell's
present=$(in_root "$run" sh -c 'for t in python3 clang node npm shellcheck curl vim dot zsh fish groff jq pkg-config; do command -v $t; done; test ! -e /usr/include/yaml.h || echo /usr/include/yaml.h' || true)
if [ -z "$present" ]; then ok "the fresh root has no test tool before make test"; else not_ok "the fresh root has no test tool before make test" "$present"; fi

in_root "$run" useradd -m newcomer
in_root "$run" chown -R newcomer: /src/ecsc
run_step demo-no-root "make demo" newcomer
# The machine has no sudo, as a Debian installed with a root password: su.
want="  su -c 'apt-get install pkg-config libyaml-dev libjansson-dev libpcre2-dev libunistring-dev'"
if [ "$step_code" != 0 ] && grep -qxF -- "$want" "$cache/last-demo-no-root.log"; then
  ok "without root or sudo, make demo stops and prints the apt-get line to run"
else
  not_ok "without root or sudo, make demo stops and prints the apt-get line to run (exit $step_code)" \
    "want the line: $want"$'\n'"$(cat "$cache/last-demo-no-root.log")"
fi
in_root "$run" chown -R root: /src/ecsc
step demo "make demo"
if [ -f "$run/src/ecsc/out/demo/staging/vpc/main.tf.json" ]; then ok "make demo wrote out/demo"; else not_ok "make demo wrote out/demo"; fi
drop_machine

# The second machine: make demo by a user with sudo and no password, as on
# a cloud image's default user, whose make installs through sudo -n. A
# machine of its own, so that root has installed nothing before.
new_machine
in_root "$run" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo" \
  >"$cache/last-sudo-install.log" 2>&1 || not_ok "installing sudo in the machine" "$(cat "$cache/last-sudo-install.log")"
in_root "$run" useradd -m admin
echo 'admin ALL=(ALL) NOPASSWD:ALL' >"$run/etc/sudoers.d/admin"
chmod 440 "$run/etc/sudoers.d/admin"
in_root "$run" chown -R admin: /src/ecsc
run_step demo-sudo "make demo" admin
if [ "$step_code" = 0 ] && grep -q '^ecsc: installing ' "$cache/last-demo-sudo.log" &&
  [ -f "$run/src/ecsc/out/demo/staging/vpc/main.tf.json" ]; then
  ok "with sudo and no password, make demo installs through sudo and writes out/demo (${step_time}s)"
else
  not_ok "with sudo and no password, make demo installs through sudo and writes out/demo (exit $step_code)" \
    "$(cat "$cache/last-demo-sudo.log")"
fi
drop_machine

# The third machine: make test, alone.
new_machine
step test "make test"
log="$cache/last-test.log"
# make test's last line is the count, and says 0 failed.
if tail -n 1 "$log" | grep -qE '^[0-9]+ passed, 0 failed$'; then ok "make test ends with N passed, 0 failed"; else not_ok "make test ends with N passed, 0 failed" "$(tail -n 1 "$log")"; fi
# Without ../shared, the validators skip and say so.
if grep -q 'SKIP validators .*shared is absent' "$log"; then ok "tests needing ../shared skip and say why"; else not_ok "tests needing ../shared skip and say why" "no such SKIP line in $log"; fi
# What the suite wrote is ignored by git or gone: a newcomer's clone stays clean.
left=$(in_root "$run" git -C /src/ecsc status --porcelain 2>&1 || true)
if [ -z "$left" ]; then ok "make test leaves the clone clean (git status)"; else not_ok "make test leaves the clone clean (git status)" "$left"; fi
drop_machine

echo "fresh-machine: $((SECONDS - started))s in all"
echo "fresh-machine: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
