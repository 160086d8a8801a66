#!/usr/bin/env bash
# Installs the real protocol peers the tests use (Debian packages): a Postfix the SSM document tests run as
# throw-away instances, and Exim and Sendmail extracted (not installed) under /opt/ses-smtp-rotation-test-peers.
# Non-interactive (CI has no stdin), idempotent, and quick when everything is present. openssl serves the
# document's relay AUTH test, unshare (util-linux) the Sendmail tests, shellcheck the Linux step's static check,
# unzip reads the release's lambda.zip back (an independent zip reader).
# Never configures the machine's own Postfix: "No configuration"
# leaves /etc/postfix/main.cf absent, and the tests run their own instances from temporary config directories.
set -euo pipefail

packages=(postfix libsasl2-modules ca-certificates openssl util-linux shellcheck unzip)
# lmdb maps (the map type of distributions that dropped Berkeley DB) — optional: tests skip lmdb if unavailable.
optional=(postfix-lmdb)

# postfix, exim4-daemon-* and sendmail-bin conflict (each provides mail-transport-agent): only Postfix is installed.
# Exim and Sendmail are unpacked with dpkg -x into PEERS_DIR and run by the tests from there with throw-away
# configurations; their shared libraries (which do not conflict) are installed normally.
PEERS_DIR=/opt/ses-smtp-rotation-test-peers
extracted=(exim4-base exim4-config exim4-daemon-light sendmail-base sendmail-cf sendmail-bin)
packages+=(libdb5.3 libgnutls-dane0 libgnutls30 libidn12 libidn2-0 libnsl2 libpcre2-8-0 liblockfile1 libwrap0 m4
  libsasl2-2 libssl3 "libldap-2.5-0")

missing=()
for p in "${packages[@]}" "${optional[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ "${#missing[@]}" -eq 0 ] && [ -f "$PEERS_DIR/.complete" ] && getent passwd Debian-exim >/dev/null; then
  echo "install-test-peers: all present (${packages[*]} ${optional[*]}; $(cat "$PEERS_DIR/.complete"))"
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
# Exim drops to this user as Debian's exim4-base would create it.
getent passwd Debian-exim >/dev/null ||
  useradd --system --user-group --no-create-home --home-dir /var/spool/exim4 --shell /usr/sbin/nologin Debian-exim
if [ ! -f "$PEERS_DIR/.complete" ]; then
  download=$(mktemp -d)
  chmod 755 "$download" # apt downloads as _apt
  (cd "$download" && apt-get download -qq "${extracted[@]}" </dev/null)
  rm -rf "$PEERS_DIR.tmp"
  mkdir -p "$PEERS_DIR.tmp/exim4" "$PEERS_DIR.tmp/sendmail"
  for deb in "$download"/exim4*.deb; do dpkg -x "$deb" "$PEERS_DIR.tmp/exim4"; done
  for deb in "$download"/sendmail*.deb; do dpkg -x "$deb" "$PEERS_DIR.tmp/sendmail"; done
  rm -rf "$download" "$PEERS_DIR"
  mv "$PEERS_DIR.tmp" "$PEERS_DIR"
  chmod 755 "$PEERS_DIR"
  echo "exim4 and sendmail extracted $(date -u +%Y-%m-%d)" >"$PEERS_DIR/.complete"
fi
if apt-cache show postfix-lmdb >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends postfix-lmdb </dev/null
else
  echo "install-test-peers: postfix-lmdb not offered by this distribution; lmdb tests will be skipped"
fi
echo "install-test-peers: installed $(dpkg-query -W -f='${Version}' postfix) postfix; exim4 and sendmail in $PEERS_DIR"
