"""Many hands on one store (docs/testing.md), on SQLite and on a real PostgreSQL server: two department sessions
entering results in the same second both land; two first uses of a new store both succeed; a file that is no
database is said in words."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from models.problems import UserError
from planner.plan.folder import read_plan
from planner.quarter.results import import_results
from planner.store.store import Store
from tests.quarter.test_many_hands import disjoint_results

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 3


def test_two_sessions_entering_results_at_once_both_land(db_url, tiny, tiny_plan_dir, tmp_path):
    sessions = [Store(db_url), Store(db_url)]
    files = disjoint_results(tiny_plan_dir, tiny, tmp_path, 2)
    for round_ in range(ROUNDS):
        plan_id = sessions[0].save_plan(f"p{round_}", "d1", tiny_plan_dir, seed="s", changes=[], by="协调员")
        versions, attempts = enter_at_once(sessions, plan_id, files, tiny)
        assert sorted(versions) == [2, 3] and sorted(attempts) == [1, 2]  # the second applied again on version 2
        with sessions[0].opened_plan(plan_id) as folder:
            plan = read_plan(folder)
        expected = {(v.visit_id, i) for v in plan.visits for i in v.item_ids}
        assert {(r.visit_id, r.item_id) for r in plan.results} == expected  # both departments' rows
        assert sorted(e.user for e in plan.results_log) == ["部门0", "部门1"]
        assert [v.version for v in sessions[0].versions(plan_id)] == [1, 2, 3]
    for store in sessions:
        store.close()


def enter_at_once(sessions: list[Store], plan_id: int, files: list[Path], tiny) -> tuple[list[int], list[int]]:
    """Each session imports its department's file into the plan (Store.change_plan, in its own thread); both
    have read and changed version 1 before either stores (a barrier holds them). The versions they stored, and
    how often each change ran."""
    both_read, versions, attempts = threading.Barrier(2), [0, 0], [0, 0]

    def enter(i: int) -> None:
        def change(folder: Path):
            report = import_results(folder, [files[i]], today=tiny.workdays[-1], user=f"部门{i}",
                                    now=datetime(2026, 10, 23, 9), dataset=tiny)
            attempts[i] += 1
            if attempts[i] == 1:
                both_read.wait(timeout=60)
            return report
        versions[i] = sessions[i].change_plan(plan_id, change, by=f"部门{i}", note="结果").version

    threads = [threading.Thread(target=enter, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return versions, attempts


FIRST_USE = """
import sys, time
from pathlib import Path
from planner.store.store import Store
gun = Path(sys.argv[1])
while not gun.exists():
    time.sleep(0.001)
Store(sys.argv[2]).close()
"""


def test_first_uses_of_a_new_store_at_once_all_succeed(db_url, tmp_path):
    for round_ in range(ROUNDS):
        gun = tmp_path / f"go{round_}"
        url = db_url.replace("planner.db", f"planner{round_}.db")
        if "postgresql" in url and round_:
            break  # one fresh database per test on the server
        first = [subprocess.Popen([sys.executable, "-c", FIRST_USE, str(gun), url], cwd=ROOT, stderr=subprocess.PIPE,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True) for _ in range(6)]
        gun.touch()
        errors = [p.communicate(timeout=120)[1] for p in first]
        assert [p.returncode for p in first] == [0] * 6, errors
        store = Store(url)
        assert store.plans() == [] and store.departments() == {}
        store.close()


@pytest.mark.parametrize("content", [b"visit_id,item_id\nV1,I1\n", b"", bytes(range(256)) * 40])
def test_a_store_that_is_not_a_database_is_said_in_words(tmp_path, content):
    path = tmp_path / "results.csv"
    path.write_bytes(content)
    if not content:
        Store(str(path)).close()  # an empty file is a new database
        return
    with pytest.raises(UserError, match=r"results.csv 不是本程序的数据库（file is not a database）：--db 或 PLANNER_DB_URL"):
        Store(str(path))
    assert path.read_bytes() == content


def test_the_command_line_says_a_store_is_not_a_database(tmp_path, capsys):
    from planner.cli import main

    (tmp_path / "plan.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["users", "--db", str(tmp_path / "plan.csv"), "list"]) == 1
    assert "不是本程序的数据库" in capsys.readouterr().err
