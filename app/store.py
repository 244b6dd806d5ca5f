"""The app's embedded store (SQLite): dataset digests, draws, plans and what-if scenarios per coordinator.

A plan is kept whole: its plan folder zipped into one blob, so it can be reopened after a restart, exported
again, or written back to a folder from the command line:

    python -m app.store list [--coordinator NAME]
    python -m app.store export PLAN_ID_OR_NAME --out DIR [--coordinator NAME]

The database file is data/planner.db, or the path (or sqlite:/// URL) in the environment variable
PLANNER_DB_URL. Every row belongs to one coordinator, so two coordinators on one server never overwrite
each other's work.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import sys
import zipfile
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "planner.db"

SCHEMA = """
CREATE TABLE IF NOT EXISTS datasets (
    coordinator TEXT NOT NULL, digest TEXT NOT NULL, name TEXT NOT NULL, source TEXT NOT NULL,
    blob BLOB, created TEXT NOT NULL, PRIMARY KEY (coordinator, digest));
CREATE TABLE IF NOT EXISTS draws (
    id INTEGER PRIMARY KEY AUTOINCREMENT, coordinator TEXT NOT NULL, dataset_digest TEXT NOT NULL,
    seed TEXT NOT NULL, changes TEXT NOT NULL, record TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT, coordinator TEXT NOT NULL, name TEXT NOT NULL,
    dataset_digest TEXT NOT NULL, parent_id INTEGER, changes TEXT NOT NULL, seed TEXT NOT NULL,
    record TEXT NOT NULL, files BLOB NOT NULL, created TEXT NOT NULL);
"""


def db_path() -> Path:
    """PLANNER_DB_URL may be a file path or a sqlite:/// URL; other engines are not supported yet."""
    url = os.environ.get("PLANNER_DB_URL", "").strip()
    if not url:
        return DEFAULT_DB
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):])
    if "://" in url:
        raise ValueError(f"暂只支持 SQLite 数据库（sqlite:///路径），收到：{url}")
    return Path(url)


@dataclass(frozen=True)
class PlanRow:
    id: int
    coordinator: str
    name: str
    dataset_digest: str
    parent_id: int | None
    changes: list[str]
    seed: str
    record: dict
    created: str

    @property
    def is_scenario(self) -> bool:
        return self.parent_id is not None


class Store:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # One short connection per call: Streamlit runs each session in its own thread.
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    # --- datasets -----------------------------------------------------------------------------------
    def save_dataset(self, coordinator: str, digest: str, name: str, source: str, blob: bytes | None) -> None:
        with closing(self._connect()) as db, db:
            db.execute("INSERT OR REPLACE INTO datasets VALUES (?,?,?,?,?,?)",
                       (coordinator, digest, name, source, blob, _now()))

    def datasets(self, coordinator: str) -> list[dict]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT digest, name, source, created FROM datasets WHERE coordinator=? "
                              "ORDER BY created DESC", (coordinator,)).fetchall()
        return [dict(zip(("digest", "name", "source", "created"), r)) for r in rows]

    def dataset_source(self, coordinator: str, digest: str) -> tuple[str, str, bytes | None] | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT name, source, blob FROM datasets WHERE coordinator=? AND digest=?",
                             (coordinator, digest)).fetchone()
        return tuple(row) if row else None

    # --- draws --------------------------------------------------------------------------------------
    def save_draw(self, coordinator: str, dataset_digest: str, seed: str, changes: list[str], record: dict) -> int:
        with closing(self._connect()) as db, db:
            cur = db.execute("INSERT INTO draws (coordinator, dataset_digest, seed, changes, record, created) "
                             "VALUES (?,?,?,?,?,?)", (coordinator, dataset_digest, seed, json.dumps(changes),
                                                      json.dumps(record, ensure_ascii=False, default=str), _now()))
            return cur.lastrowid

    # --- plans and scenarios ------------------------------------------------------------------------
    def save_plan(self, coordinator: str, name: str, dataset_digest: str, folder: Path, *, seed: str,
                  changes: list[str], parent_id: int | None = None) -> int:
        record = json.loads((Path(folder) / "record.json").read_text(encoding="utf-8"))
        with closing(self._connect()) as db, db:
            cur = db.execute(
                "INSERT INTO plans (coordinator, name, dataset_digest, parent_id, changes, seed, record, files, "
                "created) VALUES (?,?,?,?,?,?,?,?,?)",
                (coordinator, name, dataset_digest, parent_id, json.dumps(changes, ensure_ascii=False), seed,
                 json.dumps(record, ensure_ascii=False), zip_folder(Path(folder)), _now()))
            return cur.lastrowid

    def plans(self, coordinator: str | None = None, dataset_digest: str | None = None) -> list[PlanRow]:
        where, args = [], []
        if coordinator is not None:
            where.append("coordinator=?"), args.append(coordinator)
        if dataset_digest is not None:
            where.append("dataset_digest=?"), args.append(dataset_digest)
        sql = ("SELECT id, coordinator, name, dataset_digest, parent_id, changes, seed, record, created FROM plans"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id")
        with closing(self._connect()) as db:
            rows = db.execute(sql, args).fetchall()
        return [PlanRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], json.loads(r[7]), r[8]) for r in rows]

    def plan(self, plan_id: int) -> PlanRow | None:
        with closing(self._connect()) as db:
            r = db.execute("SELECT id, coordinator, name, dataset_digest, parent_id, changes, seed, record, created "
                           "FROM plans WHERE id=?", (plan_id,)).fetchone()
        return PlanRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], json.loads(r[7]), r[8]) if r else None

    def plan_files(self, plan_id: int) -> bytes:
        with closing(self._connect()) as db:
            row = db.execute("SELECT files FROM plans WHERE id=?", (plan_id,)).fetchone()
        if row is None:
            raise KeyError(plan_id)
        return row[0]

    def write_plan(self, plan_id: int, folder: Path) -> Path:
        """Unzip a stored plan folder into `folder` (created)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(self.plan_files(plan_id))) as z:
            z.extractall(folder)
        return folder

    def find_plan(self, key: str, coordinator: str | None = None) -> PlanRow | None:
        """By id, else the newest plan of that name."""
        if key.isdigit():
            row = self.plan(int(key))
            if row and (coordinator is None or row.coordinator == coordinator):
                return row
        named = [p for p in self.plans(coordinator) if p.name == key]
        return named[-1] if named else None


def zip_folder(folder: Path) -> bytes:
    """The folder's files, sorted, with fixed timestamps: the same folder gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


# --- command line -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.store", description="查看或导出应用中保存的方案与假设情景")
    parser.add_argument("--db", help="数据库文件（默认 data/planner.db 或环境变量 PLANNER_DB_URL）")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="列出保存的方案与情景")
    listing.add_argument("--coordinator", help="只列出该协调员的")
    export = sub.add_parser("export", help="把一个方案或情景写成方案文件夹")
    export.add_argument("plan", help="方案编号或名称")
    export.add_argument("--out", required=True, help="输出文件夹")
    export.add_argument("--coordinator", help="协调员（名称重复时用来区分）")
    args = parser.parse_args(argv)
    store = Store(args.db)
    if args.command == "list":
        return _list(store, args.coordinator)
    return _export(store, args.plan, Path(args.out), args.coordinator)


def _list(store: Store, coordinator: str | None) -> int:
    rows = store.plans(coordinator)
    if not rows:
        print("数据库中还没有保存的方案。")
        return 0
    print("编号\t协调员\t名称\t类型\t检查\t未排程\t创建时间")
    for p in rows:
        metrics = p.record.get("metrics", {})
        kind = f"情景（基于 {p.parent_id}）" if p.is_scenario else "方案"
        print(f"{p.id}\t{p.coordinator}\t{p.name}\t{kind}\t{metrics.get('visits', '')}\t"
              f"{metrics.get('unscheduled', '')}\t{p.created}")
    return 0


def _export(store: Store, key: str, out: Path, coordinator: str | None) -> int:
    row = store.find_plan(key, coordinator)
    if row is None:
        print(f"找不到方案「{key}」；用 python -m app.store list 查看编号", file=sys.stderr)
        return 1
    if out.exists() and any(out.iterdir()):
        print(f"输出文件夹 {out} 不是空的，请指定新的文件夹", file=sys.stderr)
        return 1
    store.write_plan(row.id, out)
    print(f"已把方案 {row.id}（{row.name}）写入 {out}；变化：{'; '.join(row.changes) or '无'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
