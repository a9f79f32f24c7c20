#!/usr/bin/env bash
# Sets up everything 联巡通 needs on a Debian/Ubuntu machine with Python >= 3.11:
# system libraries for Qt, CJK fonts, Xvfb/poppler/CUPS for screenshots, PDF checks and printing,
# then a virtual environment in .venv with the project and its dev tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt's xcb/EGL/fontconfig/dbus runtime and Qt Multimedia's audio
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  libfontconfig1 libdbus-1-3 libglib2.0-0 libnss3 libasound2 libpulse0
  # CJK fonts whose PDF text layer round-trips exactly (see docs/fonts.md)
  fonts-arphic-uming fonts-wqy-microhei
  # screenshots, PDF inspection, real printing
  xvfb xauth poppler-utils cups printer-driver-cups-pdf
  # the reference platform's tests and benchmark also run on PostgreSQL (scripts/pg-cluster.sh)
  postgresql
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "==> installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is required"'
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# the PostgreSQL driver (the extra `postgres`) for the platform's tests on PostgreSQL
if ! .venv/bin/python -c 'import psycopg' >/dev/null 2>&1; then
  .venv/bin/python -m pip install -q -e ".[postgres]"
fi
