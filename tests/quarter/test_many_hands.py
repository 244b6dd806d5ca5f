"""Many hands at once (docs/testing.md): departments importing results into one plan at the same moment, in real
processes, all land — the plan folder's lock makes a lost update impossible, not unlikely."""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from planner import output
from planner.check.verify import verify_plan
from planner.cli import main
from planner.output import FolderBusy
from planner.plan.folder import read_plan
from planner.quarter.results import import_results
from tests.conftest import TINY

ROOT = Path(__file__).resolve().parents[2]
WRITERS, ROUNDS = 8, 3
END = "2026-10-23"  # the tiny fixture's last day: every visit is in the past
# Each writer imports everything first, then waits for the starting gun, so the eight imports really overlap.
AT_THE_GUN = """
import sys, time
from pathlib import Path
from planner.cli import main, results  # noqa: F401 (imported before the gun)
gun = Path(sys.argv[1])
while not gun.exists():
    time.sleep(0.002)
sys.exit(main(sys.argv[2:]))
"""


def disjoint_results(plan_dir: Path, dataset, out: Path, n: int) -> list[Path]:
    """`n` results CSVs that together hold one row for every (visit, item) of the plan, each row once: checked
    on the planned day by the planned officers of the item's department."""
    plan = read_plan(plan_dir)
    pairs = [(v, item_id) for v in plan.visits for item_id in v.item_ids]
    files = []
    for k in range(n):
        path = out / f"部门{k}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["visit_id", "item_id", "checked_on", "result", "inspector_ids"])
            for visit, item_id in pairs[k::n]:
                dept = dataset.item[item_id].dept_id
                team = [p for p in visit.inspector_ids if dataset.inspector[p].dept_id == dept]
                writer.writerow([visit.visit_id, item_id, visit.date.isoformat(), "未发现问题", ";".join(team)])
        files.append(path)
    return files


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_eight_imports_into_one_plan_at_once_all_land(tiny, tiny_plan_dir, tmp_path):
    for round_ in range(ROUNDS):  # a lost update that shows one time in ten is a bug: more than one try
        here = tmp_path / f"round{round_}"
        plan_dir = here / "plan"
        shutil.copytree(tiny_plan_dir, plan_dir)
        files = disjoint_results(plan_dir, tiny, here, WRITERS)
        chain_before = read_plan(plan_dir).record.commitment_chain
        gun = here / "go"
        writers = [subprocess.Popen(
            [sys.executable, "-c", AT_THE_GUN, str(gun), "results", str(plan_dir), "--add", str(path), "--today", END,
             "--by", path.stem, "--data", TINY], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for path in files]
        gun.touch()
        outcomes = [w.communicate(timeout=300) for w in writers]
        assert [w.returncode for w in writers] == [0] * WRITERS, outcomes

        plan = read_plan(plan_dir)
        expected = {(v.visit_id, item_id) for v in plan.visits for item_id in v.item_ids}
        assert {(r.visit_id, r.item_id) for r in plan.results} == expected  # every row of every writer
        assert sorted(e.user for e in plan.results_log) == sorted(p.stem for p in files)  # 8 lines, one each
        chain = plan.record.commitment_chain
        assert chain[:len(chain_before)] == chain_before
        assert sorted(link["event"] for link in chain[len(chain_before):]) == sorted(
            f"results {sha256(p)}" for p in files)  # 8 new links, in whatever order the writers got the lock
        assert verify_plan(plan_dir, tiny).findings == []
        assert sorted(p.name for p in here.iterdir()) == sorted(["plan", "go", *(p.name for p in files)])


def test_a_writer_that_cannot_get_the_plan_says_so_and_changes_nothing(tiny, tiny_plan_dir, tmp_path, monkeypatch):
    plan_dir = tmp_path / "plan"
    shutil.copytree(tiny_plan_dir, plan_dir)
    (path,) = disjoint_results(plan_dir, tiny, tmp_path, 1)
    before = {p.name: p.read_bytes() for p in plan_dir.iterdir()}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(plan_dir)], cwd=ROOT, stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(output, "LOCK_WAIT_S", 0.3)  # the writer's wait (60 s), cut short for the test
        with pytest.raises(FolderBusy, match="正被另一个操作使用.*等待 0 秒后仍未结束；本次没有做任何改动，请稍后重试"):
            import_results(plan_dir, [path], today=tiny.workdays[-1], user="x", now=datetime(2026, 10, 23, 9),
                           dataset=tiny)
    finally:
        holder.kill()
        holder.wait()
    assert {p.name: p.read_bytes() for p in plan_dir.iterdir()} == before
    assert main(["results", str(plan_dir), "--add", str(path), "--today", END]) == 0  # the holder gone: it lands


HOLDER = """
import sys, time
from planner.output import folder_lock
with folder_lock(sys.argv[1]):
    print("holding", flush=True)
    time.sleep(120)
"""


KILLED_BETWEEN_RENAMES = """
import os, signal, sys
from pathlib import Path
real = Path.rename
def rename(self, other):
    done = real(self, other)
    if ".replaced-" in str(other):  # the old plan moved aside, the new one not yet in its place
        os.kill(os.getpid(), signal.SIGKILL)
    return done
Path.rename = rename
from planner.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", [["status", "--today", END], ["verify", "--data", TINY],
                                     ["results", "--add", "again.csv", "--today", END]])
def test_the_next_command_repairs_a_replacement_killed_between_its_renames(tiny, tiny_plan_dir, tmp_path, command):
    plan_dir = tmp_path / "plan"
    shutil.copytree(tiny_plan_dir, plan_dir)
    (path,) = disjoint_results(plan_dir, tiny, tmp_path, 1)
    shutil.copy(path, tmp_path / "again.csv")
    before = {p.name: p.read_bytes() for p in plan_dir.iterdir()}
    killed = subprocess.run([sys.executable, "-c", KILLED_BETWEEN_RENAMES, "results", str(plan_dir), "--add",
                             str(path), "--today", END], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert killed.returncode == -9
    assert not plan_dir.exists() and [p.name for p in tmp_path.glob(".plan.replaced-*")]  # what the kill left
    name, *rest = command
    args = [name, str(plan_dir), *(str(tmp_path / a) if a.endswith(".csv") else a for a in rest)]
    assert main(args) == 0  # … repaired by the command itself: the replacement rolled back, under the lock
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["plan", path.name, "again.csv"])
    if name != "results":
        assert {p.name: p.read_bytes() for p in plan_dir.iterdir()} == before  # the plan as it was, whole
    else:
        assert len(read_plan(plan_dir).results_log) == 1  # the import the kill stopped, done again, once
    assert verify_plan(plan_dir, tiny).findings == []
