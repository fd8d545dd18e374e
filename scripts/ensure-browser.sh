#!/bin/sh
# Installs Debian's chromium (and Thai fonts, so screenshots show Thai) when missing.
set -e
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi -e tlwg -e sarabun -e loma; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "The browser tests need Debian's chromium and fonts-thai-tlwg: run as root or apt-get install them." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null
