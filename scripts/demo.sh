#!/usr/bin/env bash
# One command: set up, then open 联巡通 in demo mode (throwaway data dir + embedded reference platform).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m lianxuntong --demo "$@"
