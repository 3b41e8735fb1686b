#!/bin/sh
# tests/install-deps.sh: installs the Debian packages ecsc's build and tests
# need, where this machine allows it (root, or sudo without a password);
# otherwise says exactly what to run, and fails.
#
#   tests/install-deps.sh PACKAGE...            installs them (make deps: the
#                                               libraries pkg-config missed)
#   tests/install-deps.sh --commands CMD=PACKAGE...
#                                               installs the package of each
#                                               command not on PATH (py:MOD:
#                                               python3 module MOD) (make
#                                               test-deps: every tool a test
#                                               runs); nothing when all are
set -eu
what="libraries"
if [ "${1:-}" = --commands ]; then
  shift
  what="tools for the tests"
  need=""
  for pair in "$@"; do
    case $pair in
      py:*)  # a python3 module: py:yaml=python3-yaml
        mod=${pair%%=*}
        python3 -c "import ${mod#py:}" >/dev/null 2>&1 || need="$need ${pair#*=}" ;;
      *) command -v "${pair%%=*}" >/dev/null 2>&1 || need="$need ${pair#*=}" ;;
    esac
  done
  [ -n "$need" ] || exit 0
  # shellcheck disable=SC2086
  set -- $need
fi
# tell_line PACKAGE...: the line to run by hand, through sudo where it is
# installed, else su (a Debian installed with a root password has no sudo).
tell_line() {
  if command -v sudo >/dev/null 2>&1; then
    echo "  sudo apt-get install $*" >&2
  else
    echo "  su -c 'apt-get install $*'" >&2
  fi
}
# apt_install [--sudo] PACKAGE...: the package lists first (a failed update
# is said, not fatal: the lists on the machine may do), then the packages;
# a failed install fails, with the line to run by hand.
apt_install() {
  as=""
  if [ "$1" = --sudo ]; then as="sudo -n"; shift; fi
  echo "ecsc: installing $*" >&2
  $as apt-get update -qq >/dev/null ||
    echo "ecsc: apt-get update failed; installing from the package lists this machine has" >&2
  # No question asked, and no "delaying package configuration, since
  # apt-utils is not installed" (debconf's warning on a minimal Debian).
  if ! $as env DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq "$@" >/dev/null; then
    echo "ecsc: could not install $what; install them with:" >&2
    tell_line "$@"
    exit 1
  fi
  exit 0
}
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt_install "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt_install --sudo "$@"
  fi
fi
echo "ecsc: missing $what; install them with:" >&2
tell_line "$@"
exit 1
