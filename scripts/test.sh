#!/usr/bin/env bash
# One command: set up, then run the whole test suite offscreen (unit, integration over real HTTP, UI, faults).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m slow` for the long fault trials.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
bash scripts/start-cups.sh || echo "warning: CUPS could not be started; printing tests will be skipped"
# a throwaway PostgreSQL cluster for the platform's tests (tests/server run on SQLite and PostgreSQL)
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/lxt-pg.XXXXXX")
trap 'bash scripts/pg-cluster.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
set +e
pg_url=$(bash scripts/pg-cluster.sh start "$pg_dir" | tail -1)
pg_rc=$?
set -e
if [ "$pg_rc" -eq 0 ]; then
  export LXT_TEST_PG_URL="$pg_url"
  echo "==> PostgreSQL test cluster at $pg_url"
elif [ "$pg_rc" -eq 3 ] && [ -z "${CI:-}" ]; then
  echo "warning: PostgreSQL is not installed; the platform's tests run on SQLite only"
else
  echo "error: the PostgreSQL test cluster could not be started" >&2
  exit 1
fi
set +e
.venv/bin/ruff check .
ruff_rc=$?
# the type checker: files and options in pyproject.toml ([tool.mypy]); its cache lives in .venv
.venv/bin/python -m mypy
mypy_rc=$?
.venv/bin/python -m pytest -m "not slow" -p no:cacheprovider "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
if [ "$ruff_rc" -ne 0 ]; then
  echo "error: ruff found problems" >&2
  exit 1
fi
if [ "$mypy_rc" -ne 0 ]; then
  echo "error: mypy found type errors" >&2
  exit 1
fi
exit "$rc"
