#!/usr/bin/env bash
# Installs everything the tests need (the project, its test extra, Debian's office suite, browser, PostgreSQL
# and CJK fonts), checks the code (ruff; mypy as pyproject.toml says), runs the whole test suite, then the fast
# tests again on the lowest dependency versions pyproject.toml allows (scripts/floors.sh; FLOORS=0 skips it).
# Extra arguments go to pytest (and then the floors check is left out: a targeted run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
if [ $# -eq 0 ] && [ "${FLOORS:-1}" != 0 ]; then
  bash scripts/floors.sh
fi
