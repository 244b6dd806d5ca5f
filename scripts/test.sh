#!/usr/bin/env bash
# Installs everything the tests need (the project, its test extra, Debian's office suite, browser, PostgreSQL
# and CJK fonts), checks the code (ruff; mypy as pyproject.toml says) and runs the whole test suite.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
