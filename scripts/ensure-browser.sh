#!/bin/sh
# Installs the Debian packages the suite and the PDFs need when they are missing:
# chromium (browser tests, PDF printing), fonts-thai-tlwg (Thai text in screenshots and PDFs),
# poppler-utils (pdftotext reads PDFs back in tests), gettext (msgfmt checks the catalogue).
set -e
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
fc-list 2>/dev/null | grep -qi -e tlwg -e loma || missing="$missing fonts-thai-tlwg"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "Missing Debian packages:$missing. Run as root or apt-get install them." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
