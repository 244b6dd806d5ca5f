#!/usr/bin/env bash
# Installs everything the tests need (the project, its test extra, Debian's office suite, browser and
# CJK fonts) and runs the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/python -m pytest "$@"
