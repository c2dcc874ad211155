#!/usr/bin/env bash
# Debian packages the product and its tests need: espeak-ng (offline speech), sox (audio checks), Node.js and npm
# (the web app's build), chromium (the browser suite drives Debian's Chromium; Playwright cannot download its
# own here), fonts with Hangul, so screenshots show Korean, and colour emoji for the offline scenario pictures.
set -euo pipefail
need=()
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox libsox-fmt-all)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# Noto Color Emoji (SIL OFL 1.1): conversation's offline scenario pictures are composed from it.
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need+=(fonts-noto-color-emoji)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Playwright and jsdom need Node.js 20 or newer (Debian 12's own nodejs is 18).
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "the web app needs Node.js >= 20 (found $(node -v)): install a newer nodejs package (e.g. Debian 13's," >&2
  echo "or NodeSource's), then run make again" >&2
  exit 1
fi
