#!/usr/bin/env bash
# Make sure Debian's Chromium and Firefox ESR are installed for the e2e tests and `npm run annotate`.
# As root on Debian: installs the missing packages with apt-get. Otherwise: fails with the command to run.
# Never skips: the e2e suite needs both browsers.
set -euo pipefail

CHROMIUM="${GLENS_CHROMIUM:-/usr/bin/chromium}"
FIREFOX="${GLENS_FIREFOX:-/usr/bin/firefox-esr}"

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -x "$FIREFOX" ] || missing+=(firefox-esr)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browsers: installing ${missing[*]} with apt-get…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >&2
  for b in "$CHROMIUM" "$FIREFOX"; do
    if [ ! -x "$b" ]; then
      echo "ensure-browsers: $b is still missing after apt-get install ${missing[*]}." >&2
      exit 1
    fi
  done
  exit 0
fi

echo "ensure-browsers: missing browser(s): ${missing[*]} (expected $CHROMIUM and $FIREFOX)." >&2
echo "ensure-browsers: install them with: sudo apt-get install -y ${missing[*]}" >&2
exit 1
