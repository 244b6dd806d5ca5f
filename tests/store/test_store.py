"""The store on SQLite and on a real PostgreSQL server: datasets, plans kept whole with every version, audit."""
from __future__ import annotations

import json
import shutil
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from models.problems import UserError
from planner.store.store import PlanChanged, Store


class Clock:
    """A store clock the test moves by hand."""

    def __init__(self):
        self.now = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture()
def store(db_url):
    store = Store(db_url, clock=Clock())
    yield store
    store.close()


def folder_files(folder: Path) -> dict[str, bytes]:
    """The plan's files (the hidden marker of who wrote the folder is the folder's, not the plan's)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def with_results(plan_dir: Path, tmp_path: Path, text: str) -> Path:
    """A copy of the plan folder with a results file, as a results import would write it."""
    changed = tmp_path / "changed"
    shutil.copytree(plan_dir, changed)
    (changed / "results.csv").write_text(text, encoding="utf-8")
    return changed


def test_a_plan_is_kept_whole_and_written_back_byte_for_byte(store, tiny_plan_dir, tmp_path):
    record = json.loads((tiny_plan_dir / "record.json").read_text(encoding="utf-8"))
    plan_id = store.save_plan("第四季度", "d1", tiny_plan_dir, seed=record["seed"], changes=[], by="张三")
    row = store.plan(plan_id)
    assert (row.name, row.dataset_digest, row.version, row.created_by) == ("第四季度", "d1", 1, "张三")
    assert row.record == record and not row.is_scenario
    assert row.created == store.clock()
    out = store.write_plan(plan_id, tmp_path / "back")
    assert folder_files(out) == folder_files(tiny_plan_dir)
    assert store.find_plan(str(plan_id)) == row == store.find_plan("第四季度")
    assert store.find_plan("没有这个") is None


def test_write_plan_never_writes_into_a_folder_with_files(store, tiny_plan_dir, tmp_path):
    plan_id = store.save_plan("p", "d1", tiny_plan_dir, seed="s", changes=[], by="张三")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(UserError, match="不是空文件夹"):
        store.write_plan(plan_id, busy)
    assert [p.name for p in busy.iterdir()] == ["mine.txt"]
    with pytest.raises(UserError, match="找不到方案 999"):
        store.write_plan(999, tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_a_results_import_keeps_the_version_it_replaces(store, tiny_plan_dir, tmp_path):
    plan_id = store.save_plan("p", "d1", tiny_plan_dir, seed="s", changes=[], by="张三")
    original = store.plan_files(plan_id)
    store.clock.advance(days=3)
    changed = with_results(tiny_plan_dir, tmp_path, "visit_id,item_id\nV1,I1\n")
    assert store.update_plan(plan_id, changed, expected_version=1, by="市场监管局", note="导入 a.xlsx") == 2
    row = store.plan(plan_id)
    assert (row.version, row.note, row.updated_by, row.created_by) == (2, "导入 a.xlsx", "市场监管局", "张三")
    assert row.updated - row.created == timedelta(days=3)
    assert store.plan_files(plan_id, version=1) == original
    assert folder_files(store.write_plan(plan_id, tmp_path / "now")) == folder_files(changed)
    assert folder_files(store.write_plan(plan_id, tmp_path / "then", version=1)) == folder_files(tiny_plan_dir)
    versions = store.versions(plan_id)
    assert [(v.version, v.note, v.created_by) for v in versions] == [(1, "排程", "张三"), (2, "导入 a.xlsx", "市场监管局")]
    with pytest.raises(UserError, match="第 7 版"):
        store.plan_files(plan_id, version=7)


def test_an_update_from_a_stale_version_is_refused_and_changes_nothing(store, tiny_plan_dir, tmp_path):
    plan_id = store.save_plan("p", "d1", tiny_plan_dir, seed="s", changes=[], by="张三")
    first = with_results(tiny_plan_dir, tmp_path / "a", "visit_id,item_id\nV1,I1\n")
    second = with_results(tiny_plan_dir, tmp_path / "b", "visit_id,item_id\nV2,I2\n")
    store.update_plan(plan_id, first, expected_version=1, by="部门甲", note="甲")
    with pytest.raises(PlanChanged, match="部门甲"):
        store.update_plan(plan_id, second, expected_version=1, by="部门乙", note="乙")
    assert store.plan(plan_id).version == 2
    assert [v.note for v in store.versions(plan_id)] == ["排程", "甲"]
    assert folder_files(store.write_plan(plan_id, tmp_path / "now")) == folder_files(first)


def test_replans_keep_their_parent_and_plans_filter_by_dataset(store, tiny_plan_dir):
    base = store.save_plan("基础", "d1", tiny_plan_dir, seed="s", changes=[], by="张三")
    again = store.save_plan("请假后", "d1", tiny_plan_dir, seed="s", changes=["remove:X"], parent_id=base, by="张三")
    other = store.save_plan("另一个", "d2", tiny_plan_dir, seed="s", changes=[], by="李四")
    assert [p.id for p in store.plans("d1")] == [base, again]
    assert [p.id for p in store.plans()] == [base, again, other]
    replan = store.plan(again)
    assert replan.is_scenario and replan.parent_id == base and replan.changes == ["remove:X"]
    assert replan.note == "重新排程"


def test_the_audit_log_says_who_did_what_when(store, tiny_plan_dir, tmp_path):
    plan_id = store.save_plan("p", "d1", tiny_plan_dir, seed="s", changes=[], by="张三")
    store.clock.advance(minutes=5)
    base = store.plan(plan_id)
    store.save_plan("p2", "d1", tiny_plan_dir, seed="s", changes=["remove:X"], parent_id=plan_id, by="张三")
    store.update_plan(plan_id, with_results(tiny_plan_dir, tmp_path, "x\n"), expected_version=base.version,
                      by="部门甲", note="导入 r.csv")
    store.log("李四", "export", plan_id=plan_id, detail="plan-1.zip")
    store.save_draw("d1", "seed-1", [], {"seed": "seed-1"}, by="张三")
    entries = store.audit()
    assert [(e.user_name, e.action, e.plan_id) for e in entries] == [
        ("张三", "draw", None), ("李四", "export", plan_id), ("部门甲", "results", plan_id),
        ("张三", "replan", plan_id + 1), ("张三", "plan", plan_id)]
    assert entries[-1].at == entries[0].at - timedelta(minutes=5)
    assert [e.action for e in store.audit(user="李四")] == ["export"]
    assert len(store.audit(limit=2)) == 2
    with pytest.raises(ValueError):
        store.log("张三", "no such action")


def test_datasets_are_remembered_once_with_an_uploads_bytes(store):
    store.save_dataset("d1", "county.xlsx", "upload:county.xlsx", b"PK\x03\x04 bytes", by="张三")
    store.clock.advance(hours=1)
    store.save_dataset("d1", "county.xlsx", "upload:county.xlsx", b"other", by="李四")  # same inputs again
    store.save_dataset("d2", "changshan", "fixture:changshan", None, by="李四")
    assert [(d.digest, d.created_by) for d in store.datasets()] == [("d2", "李四"), ("d1", "张三")]
    row, blob = store.dataset("d1")
    assert row.source == "upload:county.xlsx" and blob == b"PK\x03\x04 bytes"
    assert store.dataset("d2")[1] is None and store.dataset("nope") is None


def test_records_keep_chinese_text_and_json_types(store, tiny_plan_dir, tmp_path):
    folder = tmp_path / "p"
    shutil.copytree(tiny_plan_dir, folder)
    record = {"seed": "种子", "metrics": {"visits": 3, "rate": 0.5, "ok": True, "none": None}, "list": [1, "二"]}
    (folder / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    plan_id = store.save_plan("p", "d1", folder, seed="种子", changes=["absent:甲:2026-10-01:2026-10-02"], by="张三")
    row = Store(store.url).plan(plan_id)  # read back through a second connection pool
    assert row.record == record and row.changes == ["absent:甲:2026-10-01:2026-10-02"]


def test_a_sqlite_store_is_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "county"))
    monkeypatch.delenv("PLANNER_DB_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    store = Store()
    store.log("张三", "login")  # a write: SQLite makes its -wal and -shm files
    folder = tmp_path / "county"
    assert store.where == str(folder / "planner.db")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["planner.db", "planner.db-shm", "planner.db-wal"]
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == dict.fromkeys(files, 0o600)
    store.close()


def test_a_database_of_the_old_per_coordinator_format_is_refused_by_name(tmp_path):
    old = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{old}")
    with engine.begin() as db:
        db.exec_driver_sql("CREATE TABLE plans (id INTEGER PRIMARY KEY, coordinator TEXT NOT NULL)")
    engine.dispose()
    with pytest.raises(UserError, match="旧版格式"):
        Store(str(old))


def test_an_unreachable_server_is_a_message(tmp_path):
    with pytest.raises(UserError, match=r"无法打开数据库 postgresql\+psycopg://planner:\*\*\*@127.0.0.1:9/x"):
        Store("postgresql://planner:secret@127.0.0.1:9/x")


def test_two_imports_at_once_one_wins_and_the_other_is_told(db_url, tiny_plan_dir, tmp_path):
    """Two sessions (threads, each with its own Store as on a real server) update the same version at once."""
    import threading

    first = Store(db_url)
    plan_id = first.save_plan("p", "d1", tiny_plan_dir, seed="s", changes=[], by="张三")
    folders = [with_results(tiny_plan_dir, tmp_path / name, f"{name}\n") for name in ("a", "b")]
    stores = [first, Store(db_url)]
    start, outcomes = threading.Barrier(2), []

    def update(i: int) -> None:
        start.wait()
        try:
            outcomes.append(stores[i].update_plan(plan_id, folders[i], expected_version=1, by=f"部门{i}", note=""))
        except PlanChanged:
            outcomes.append("changed")

    threads = [threading.Thread(target=update, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == ["2", "changed"]
    assert [v.version for v in first.versions(plan_id)] == [1, 2]
    for store in stores:
        store.close()
