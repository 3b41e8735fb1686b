#!/bin/sh
# Installs the Debian packages named as arguments, where this machine allows
# it (root, or sudo without a password); otherwise says exactly what to run.
set -eu
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "ecsc: installing $*" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    exit 0
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "ecsc: installing $*" >&2
    sudo -n apt-get update -qq >/dev/null && sudo -n DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    exit 0
  fi
fi
echo "ecsc: missing libraries; install them with:" >&2
echo "  sudo apt-get install $*" >&2
exit 1
