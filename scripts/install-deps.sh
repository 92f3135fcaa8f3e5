#!/usr/bin/env bash
# Installs the Debian packages nimbus_exporter needs, only those that are missing.
#   scripts/install-deps.sh build   libraries to build and run
#   scripts/install-deps.sh test    also the real peers the tests run (promtool, Prometheus,
#                                   Alertmanager's amtool, node_exporter, wrk, and moto with
#                                   boto3 from PyPI)
set -euo pipefail
want=(pkg-config libmicrohttpd-dev libcurl4-openssl-dev libssl-dev zlib1g-dev)
if [ "${1:-build}" = "test" ]; then
  want+=(prometheus prometheus-alertmanager prometheus-node-exporter wrk curl systemd strace)
fi
missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  # Installing Prometheus's packages must not leave their services running on this machine.
  if [ -d /usr/sbin ] && [ ! -e /usr/sbin/policy-rc.d ] && [ "$(id -u)" -eq 0 ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The AWS tests run the moto emulator and seed it with boto3 (PyPI; Debian has no moto).
if [ "${1:-build}" = "test" ] && ! python3 -c "import moto.server, flask, flask_cors, boto3" 2>/dev/null; then
  echo "installing: moto[server] boto3 (pip)" >&2
  python3 -m pip --version >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  python3 -m pip install --quiet --disable-pip-version-check "moto[server]>=5" boto3 \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "moto[server]>=5" boto3
fi
