#!/usr/bin/env bash
# The dependency floors hold: a second virtualenv with the lowest version every requirement of pyproject.toml
# allows (uv's --resolution lowest-direct) runs a fast subset of the tests that touches each dependency —
# CP-SAT, the loader's readers, exports, the store's accounts, two app pages. uv's cache is reused across runs.
# Called by scripts/test.sh; prints its time. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
venv="${FLOORS_VENV:-.venv-floors}"
.venv/bin/uv venv -q --clear --python .venv/bin/python "$venv"  # fresh: nothing above a floor stays from before
# the test tools this subset needs, at the floors the test extra names
tools=$(.venv/bin/python - <<'PY'
import re, tomllib
extra = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["test"]
wanted = ("pytest", "hypothesis", "python-stdnum", "pypdf", "scipy", "psycopg")
print(" ".join(r for r in extra if re.match(r"[\w-]+", r).group(0) in wanted))
PY
)
# shellcheck disable=SC2086
.venv/bin/uv pip install -q --python "$venv/bin/python" --resolution lowest-direct -e . $tools
PYTHONPATH="$PWD" "$venv/bin/python" -m pytest -p no:cacheprovider -W ignore::DeprecationWarning -m "not browser and not office" \
  tests/models tests/draw tests/schedule tests/check tests/quarter \
  tests/plan/test_changes.py tests/plan/test_api.py tests/plan/test_rechecks.py \
  tests/export/test_export.py tests/store/test_accounts.py \
  "tests/app/test_app.py::test_load_draw_plan_and_look" "tests/app/test_app.py::test_a_leader_sees_figures_and_no_business" \
  "$@"
echo "最低版本依赖检查（--resolution lowest-direct）用时 $((SECONDS - started)) 秒"
