#!/usr/bin/env bash
# Starts the CUPS daemon (if it is not running) and makes sure a CUPS-PDF queue named "PDF" exists,
# so the printing tests print through a real queue. Prints where CUPS-PDF writes its files.
set -euo pipefail
command -v cupsd >/dev/null 2>&1 || { echo "cupsd not installed"; exit 1; }
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  if command -v service >/dev/null 2>&1 && service cups start >/dev/null 2>&1; then :; else
    (cupsd >/dev/null 2>&1 || true)
  fi
  for _ in $(seq 1 50); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.1; done
fi
if ! lpstat -p PDF >/dev/null 2>&1; then
  ppd=$(lpinfo -m 2>/dev/null | awk '/CUPS-PDF/ {print $1; exit}')
  lpadmin -p PDF -E -v cups-pdf:/ ${ppd:+-m "$ppd"} >/dev/null 2>&1 || true
  cupsenable PDF >/dev/null 2>&1 || true
  cupsaccept PDF >/dev/null 2>&1 || true
fi
lpstat -p PDF
