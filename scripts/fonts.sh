#!/usr/bin/env bash
# Makes sure Chromium can draw Chinese: the console's screenshots (the
# browser journeys, docs/screenshots/) show boxes without a CJK font.
# Installs Debian's fonts-noto-cjk when fontconfig knows no Chinese font;
# does nothing otherwise. Safe to run any number of times.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
has_cjk() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .; }

if has_cjk; then
  exit 0
fi
if dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed'; then
  as_root fc-cache -f >/dev/null 2>&1 || true
  has_cjk && exit 0
fi
printf 'fonts: installing fonts-noto-cjk\n' >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk fontconfig >/dev/null
as_root fc-cache -f >/dev/null 2>&1 || true
