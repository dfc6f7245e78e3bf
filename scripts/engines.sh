#!/usr/bin/env bash
# Makes sure the emulator's data-plane engines (redis-server with TLS, memcached) are installed:
# `.ci/run`, `make test` and `make demo` call it. As root on Debian/Ubuntu it installs them with
# apt-get; elsewhere it prints the one command to run and carries on (the emulator then serves
# the control plane only, and the engine tests skip — except under CI=true, where they fail).
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v memcached >/dev/null 2>&1 || missing+=(memcached)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "engines: installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server memcached >/dev/null
  # Debian's packages start system services; the emulator runs its own engines, so stop them.
  (service redis-server stop; service memcached stop) >/dev/null 2>&1 || true
  exit 0
fi
echo "engines: ${missing[*]} missing, data plane off; install with: sudo apt-get install -y redis-server memcached"
