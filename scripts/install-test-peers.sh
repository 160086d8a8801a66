#!/usr/bin/env bash
# Installs the real protocol peers the tests use (Debian packages). Safe to run again.
set -euo pipefail
echo "install-test-peers: nothing to install yet"
