#!/usr/bin/env bash
# Installs everything the tests need (the project, its test extra, Debian's office suite, browser and
# CJK fonts), checks the code (ruff; mypy on models/ and planner/schedule/) and runs the whole test suite.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
