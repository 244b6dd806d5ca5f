"""Ctrl-C during a solve (a real process, a real SIGINT): nothing written and exit 130, or with --keep-partial
the plan as it stood, said so in the record."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from planner.output import MARKER
from planner.schedule.solve import WORK_UNITS_PER_SECOND

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "fixtures" / "changshan"


def interrupted_plan(out: Path, *extra: str) -> tuple[int, str, str]:
    """Plan the county with a long time limit and send SIGINT once the solver reports progress."""
    args = [sys.executable, "-m", "planner", "plan", str(COUNTY), "--out", str(out), "--time-limit", "600", *extra]
    run = subprocess.Popen(args, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    seen = b""
    while "正在减少".encode() not in seen:  # the progress line: a level is being reduced, the solver runs
        chunk = os.read(run.stderr.fileno(), 4096)
        assert chunk, f"the plan ended before solving: {seen.decode(errors='replace')}"
        seen += chunk
    run.send_signal(signal.SIGINT)
    out_text, err_rest = run.communicate(timeout=120)
    return run.returncode, out_text.decode(), (seen + err_rest).decode()


def test_ctrl_c_writes_nothing_and_exits_130(tmp_path):
    code, out, err = interrupted_plan(tmp_path / "q4")
    assert code == 130
    assert "已中断：求解被 Ctrl-C 停止，未写入任何文件" in err and "Traceback" not in err
    assert "已写入" not in out
    assert list(tmp_path.iterdir()) == []  # no folder, no temporary folder, no lock


def test_ctrl_c_keeps_the_previous_plan_untouched(tmp_path):
    old = tmp_path / "q4"
    old.mkdir()
    (old / "visits.csv").write_text("earlier")
    (old / MARKER).write_text(json.dumps({"kind": "plan", "files": ["visits.csv"]}))
    code, _, _ = interrupted_plan(old)
    assert code == 130
    assert (old / "visits.csv").read_text() == "earlier"


def test_keep_partial_writes_the_plan_and_says_it_was_interrupted(tmp_path):
    code, out, err = interrupted_plan(tmp_path / "q4", "--keep-partial")
    assert code == 130
    record = json.loads((tmp_path / "q4" / "record.json").read_text(encoding="utf-8"))
    assert record["interrupted"] is True and record["solver"]["reproducible"] is False
    assert "求解被 Ctrl-C 中断，按 --keep-partial 写出的是中断时的方案" in out
    budget = record["solver"]["time_limit_s"] * WORK_UNITS_PER_SECOND
    assert record["solver"]["work"] < budget / 10  # the search ended early, long before its budget
