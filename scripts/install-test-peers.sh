#!/usr/bin/env bash
# Installs the real protocol peers the tests use (Debian packages): a Postfix the SSM document tests run as
# throw-away instances. Non-interactive (CI has no stdin), idempotent, and quick when everything is present.
# openssl serves the document's relay AUTH test. Never configures the machine's own Postfix: "No configuration"
# leaves /etc/postfix/main.cf absent, and the tests run their own instances from temporary config directories.
set -euo pipefail

packages=(postfix libsasl2-modules ca-certificates openssl util-linux)
# lmdb maps (the map type of distributions that dropped Berkeley DB) — optional: tests skip lmdb if unavailable.
optional=(postfix-lmdb)

missing=()
for p in "${packages[@]}" "${optional[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-test-peers: all present (${packages[*]} ${optional[*]})"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-peers: missing ${missing[*]}; run as root (apt-get install needs it)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# "No configuration": the package must not write or start a live mail system on this machine.
echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" </dev/null
if apt-cache show postfix-lmdb >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends postfix-lmdb </dev/null
else
  echo "install-test-peers: postfix-lmdb not offered by this distribution; lmdb tests will be skipped"
fi
echo "install-test-peers: installed $(dpkg-query -W -f='${Version}' postfix) postfix"
