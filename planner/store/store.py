"""The county's store: datasets, draws, plans with every version they went through, and the audit log.

One database per county (see docs/store.md). Every method opens its own short transaction, so one Store may
be shared by the threads of a Streamlit server.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Generic, TypeVar

import sqlalchemy as sa

from models.problems import UserError
from planner.output import atomic_folder, holding_folder, printable
from planner.store import schema
from planner.store.blobs import unzip_into, zip_folder
from planner.store.location import database_url
from planner.store.names import MAX_NAME_LENGTH

# audit action -> what it means, as the audit listing shows it
AUDIT_ACTIONS = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出登录",
    "draw": "抽取", "plan": "排程", "replan": "重新排程", "results": "导入检查结果", "export": "下载或导出方案",
    "user_add": "新建账号", "user_remove": "停用账号", "user_passwd": "重设密码",
    "adopt": "采用方案",  # planner.store.adoption
}
PLAN_COLUMNS = [c for c in schema.plans.c if c.name != "files"]
CHANGE_ATTEMPTS = 8  # change_plan: how often a change is applied again to a version another session stored first
SCHEMA_LOCK = 7_243_001  # PostgreSQL advisory lock key: one session at a time creates or upgrades the tables
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


class PlanChanged(UserError):
    """Someone else saved a newer version of the plan since it was read: read it again and redo the change."""


@dataclass(frozen=True)
class DatasetRow:
    digest: str
    name: str
    source: str
    created: datetime
    created_by: str


@dataclass(frozen=True)
class PlanRow:
    """A stored plan's current version, without its files."""
    id: int
    name: str
    dataset_digest: str
    parent_id: int | None
    changes: list[str]
    seed: str
    version: int
    record: dict
    note: str
    created: datetime
    created_by: str
    updated: datetime
    updated_by: str

    @property
    def is_scenario(self) -> bool:
        """A re-plan (what-if) made from another stored plan."""
        return self.parent_id is not None


@dataclass(frozen=True)
class PlanVersion:
    plan_id: int
    version: int
    note: str
    created: datetime
    created_by: str


@dataclass(frozen=True)
class PlanChange(Generic[T]):
    """What change_plan did: the new version (None: the change changed nothing) and the change's own outcome."""
    version: int | None
    outcome: T


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user_name: str
    action: str
    plan_id: int | None
    detail: str


class Store:
    def __init__(self, url: str | sa.URL | None = None, *, clock: Callable[[], datetime] = utc_now):
        self.url = url if isinstance(url, sa.URL) else database_url(url)
        self.clock = clock
        self.engine = connect(self.url)
        create_schema(self.engine, self.where)

    @property
    def where(self) -> str:
        """The database as it may be shown (no password)."""
        if self.url.get_backend_name() == "sqlite":
            return str(self.url.database)
        return self.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """A write transaction; on SQLite it takes the write lock at once, so a read-then-write is atomic."""
        with self.engine.execution_options(write=True).begin() as db:
            yield db

    # --- datasets --------------------------------------------------------------------------------------
    def save_dataset(self, digest: str, name: str, source: str, blob: bytes | None, *, by: str,
                     departments: dict[str, str] | None = None) -> None:
        """Remember a dataset the first time it is loaded (the same digest is the same input files), and the
        county's `departments` it names (dept_id -> name), against which accounts' departments are checked."""
        table = schema.datasets
        with suppress(sa.exc.IntegrityError), self.writing() as db:  # another session saved it meanwhile
            if db.execute(sa.select(table.c.digest).where(table.c.digest == digest)).first() is None:
                db.execute(table.insert().values(digest=digest, name=name, source=source, blob=blob,
                                                 created=self.clock(), created_by=by))
        if departments:
            self._save_departments(departments, digest)

    def _save_departments(self, departments: dict[str, str], digest: str) -> None:
        d = schema.departments
        with suppress(sa.exc.IntegrityError), self.writing() as db:  # another session saved them meanwhile
            known = {row.dept_id: row.name for row in db.execute(sa.select(d.c.dept_id, d.c.name))}
            for dept_id, name in sorted(departments.items()):
                if dept_id not in known:
                    db.execute(d.insert().values(dept_id=dept_id, name=name, dataset_digest=digest))
                elif known[dept_id] != name:
                    db.execute(d.update().where(d.c.dept_id == dept_id).values(name=name, dataset_digest=digest))

    def departments(self) -> dict[str, str]:
        """dept_id -> name of every department a saved dataset named; empty before any dataset was saved."""
        d = schema.departments.c
        with self.engine.connect() as db:
            return {row.dept_id: row.name for row in db.execute(sa.select(d.dept_id, d.name).order_by(d.dept_id))}

    def datasets(self) -> list[DatasetRow]:
        """Newest first."""
        table = schema.datasets
        columns = [c for c in table.c if c.name != "blob"]
        with self.engine.connect() as db:
            rows = db.execute(sa.select(*columns).order_by(table.c.created.desc(), table.c.digest))
            return [DatasetRow(**row._mapping) for row in rows]

    def dataset(self, digest: str) -> tuple[DatasetRow, bytes | None] | None:
        """A stored dataset and, for an upload, its bytes."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(schema.datasets).where(schema.datasets.c.digest == digest)).first()
        if row is None:
            return None
        values = dict(row._mapping)
        blob = values.pop("blob")
        return DatasetRow(**values), blob

    # --- draws -----------------------------------------------------------------------------------------
    def save_draw(self, dataset_digest: str, seed: str, changes: list[str], record: dict, *, by: str) -> int:
        with self.writing() as db:
            draw_id = db.execute(schema.draws.insert().returning(schema.draws.c.id).values(
                dataset_digest=dataset_digest, seed=seed, changes=list(changes), record=record,
                created=self.clock(), created_by=by)).scalar_one()
            self.log(by, "draw", detail=f"种子 {seed}", db=db)
        return draw_id

    # --- plans -----------------------------------------------------------------------------------------
    def save_plan(self, name: str, dataset_digest: str, folder: Path, *, seed: str, changes: list[str], by: str,
                  parent_id: int | None = None) -> int:
        """A new plan (or a re-plan of `parent_id`) from its plan folder, as version 1."""
        record, files = _read_folder(folder)
        now = self.clock()
        action = "replan" if parent_id is not None else "plan"
        with self.writing() as db:
            plan_id = db.execute(schema.plans.insert().returning(schema.plans.c.id).values(
                name=name, dataset_digest=dataset_digest, parent_id=parent_id, changes=list(changes), seed=seed,
                version=1, record=record, files=files, note=AUDIT_ACTIONS[action], created=now, created_by=by,
                updated=now, updated_by=by)).scalar_one()
            self.log(by, action, plan_id=plan_id, detail=name, db=db)
        return plan_id

    def update_plan(self, plan_id: int, folder: Path, *, expected_version: int, by: str, note: str,
                    action: str = "results") -> int:
        """Replace a plan's files (a results import) with the folder's, keeping the version it replaces.

        `expected_version` is the version the caller read and changed; if someone saved a newer one meanwhile,
        PlanChanged is raised and nothing is written. Returns the new version."""
        record, files = _read_folder(folder)
        plans = schema.plans
        with self.writing() as db:  # PostgreSQL locks the row; SQLite took the write lock at BEGIN
            current = db.execute(sa.select(plans).where(plans.c.id == plan_id).with_for_update()).first()
            if current is None:
                raise UserError(f"找不到方案 {plan_id}")
            if current.version != expected_version:
                raise PlanChanged(f"方案 {plan_id} 已被 {current.updated_by} 更新为第 {current.version} 版"
                                  f"（你修改的是第 {expected_version} 版）；请重新打开方案后再操作")
            db.execute(schema.plan_versions.insert().values(
                plan_id=plan_id, version=current.version, record=current.record, files=current.files,
                note=current.note, created=current.updated, created_by=current.updated_by))
            db.execute(plans.update().where(plans.c.id == plan_id).values(
                version=current.version + 1, record=record, files=files, note=note, updated=self.clock(),
                updated_by=by))
            self.log(by, action, plan_id=plan_id, detail=f"第 {current.version + 1} 版：{note}", db=db)
        return current.version + 1

    def change_plan(self, plan_id: int, change: Callable[[Path], T], *, by: str, note: str | Callable[[T], str],
                    action: str = "results") -> PlanChange[T]:
        """Apply `change` (a results import, a 公示 record …) to a private copy of the plan's current version and
        store what it made as the next version — or nothing, when the folder is unchanged.

        The copy is a temporary folder of this user's only (0700), removed whatever happens. When another session
        stored a version meanwhile (update_plan's version check), the change is applied again to that version, so
        two departments entering results in the same second both land; after CHANGE_ATTEMPTS tries PlanChanged.
        An exception of `change` stores nothing."""
        for _ in range(CHANGE_ATTEMPTS):
            version, files = self._current(plan_id)
            with unzipped(files) as folder:
                outcome = change(folder)
                if zip_folder(folder) == files:
                    return PlanChange(None, outcome)
                words = note(outcome) if callable(note) else note
                try:
                    return PlanChange(self.update_plan(plan_id, folder, expected_version=version, by=by, note=words,
                                                       action=action), outcome)
                except PlanChanged:
                    continue
        raise PlanChanged(f"方案 {plan_id} 正被多人同时修改，连续 {CHANGE_ATTEMPTS} 次都有人先保存了新版本；请稍后重试")

    def _current(self, plan_id: int) -> tuple[int, bytes]:
        """The current version's number and zipped folder, read together."""
        p = schema.plans.c
        with self.engine.connect() as db:
            row = db.execute(sa.select(p.version, p.files).where(p.id == plan_id)).first()
        if row is None:
            raise UserError(f"找不到方案 {plan_id}")
        return row.version, row.files

    def plans(self, dataset_digest: str | None = None) -> list[PlanRow]:
        """Oldest first."""
        query = sa.select(*PLAN_COLUMNS).order_by(schema.plans.c.id)
        if dataset_digest is not None:
            query = query.where(schema.plans.c.dataset_digest == dataset_digest)
        with self.engine.connect() as db:
            return [PlanRow(**row._mapping) for row in db.execute(query)]

    def plan(self, plan_id: int) -> PlanRow | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(*PLAN_COLUMNS).where(schema.plans.c.id == plan_id)).first()
        return PlanRow(**row._mapping) if row else None

    def find_plan(self, key: str) -> PlanRow | None:
        """By number, else the newest plan of that name."""
        if key.strip().isdigit():
            return self.plan(int(key))
        named = [p for p in self.plans() if p.name == key.strip()]
        return named[-1] if named else None

    def versions(self, plan_id: int) -> list[PlanVersion]:
        """Every version of the plan, the current one last."""
        v = schema.plan_versions.c
        with self.engine.connect() as db:
            old = db.execute(sa.select(v.plan_id, v.version, v.note, v.created, v.created_by)
                             .where(v.plan_id == plan_id).order_by(v.version)).all()
        current = self.plan(plan_id)
        if current is None:
            return []
        return [PlanVersion(**row._mapping) for row in old] + [
            PlanVersion(plan_id, current.version, current.note, current.updated, current.updated_by)]

    def plan_files(self, plan_id: int, version: int | None = None) -> bytes:
        """The zipped plan folder of the current version, or of an earlier `version`."""
        p, v = schema.plans.c, schema.plan_versions.c
        with self.engine.connect() as db:
            row = db.execute(sa.select(p.version, p.files).where(p.id == plan_id)).first()
            if row is not None and version not in (None, row.version):
                row = db.execute(sa.select(v.version, v.files).where(v.plan_id == plan_id, v.version == version)
                                 ).first()
        if row is None:
            raise UserError(f"找不到方案 {plan_id}" + (f" 的第 {version} 版" if version is not None else ""))
        return row.files

    @contextmanager
    def opened_plan(self, plan_id: int, version: int | None = None) -> Iterator[Path]:
        """A stored plan version (default: the current one) as a plan folder, for the functions that read one:
        a private temporary copy (0700), removed when the block ends, whatever happens."""
        with unzipped(self.plan_files(plan_id, version)) as folder:
            yield folder

    def write_plan(self, plan_id: int, out: Path, version: int | None = None) -> Path:
        """The stored plan folder written whole into `out`, which must not exist yet or be empty."""
        out = Path(out)
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise UserError(f"输出文件夹 {out} 已存在且不是空文件夹；请指定新的文件夹")
        files = self.plan_files(plan_id, version)
        with atomic_folder(out, kind="plan") as tmp:
            unzip_into(files, tmp)
        return out

    # --- audit -----------------------------------------------------------------------------------------
    def log(self, user: str, action: str, *, plan_id: int | None = None, detail: str = "",
            db: sa.Connection | None = None) -> None:
        """One line of the audit log; inside `db`'s transaction when given, so it is kept only with the change.
        Names and details are kept escaped (planner.output.printable): no line of the log can be forged."""
        if action not in AUDIT_ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        if db is None:
            with self.writing() as own:
                return self.log(user, action, plan_id=plan_id, detail=detail, db=own)
        db.execute(schema.audit.insert().values(at=self.clock(), user_name=logged_name(user), action=action,
                                                plan_id=plan_id, detail=printable(detail)))

    def audit(self, *, user: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Newest first."""
        a = schema.audit.c
        query = sa.select(a.at, a.user_name, a.action, a.plan_id, a.detail).order_by(a.id.desc()).limit(limit)
        if user is not None:
            query = query.where(a.user_name == user)
        with self.engine.connect() as db:
            return [AuditEntry(**row._mapping) for row in db.execute(query)]


def _read_folder(folder: Path) -> tuple[dict, bytes]:
    """record.json (as data) and the whole folder zipped, read as one version (under the folder's lock)."""
    with holding_folder(folder):
        record = json.loads((Path(folder) / "record.json").read_text(encoding="utf-8"))
        return record, zip_folder(Path(folder))


@contextmanager
def unzipped(files: bytes) -> Iterator[Path]:
    """A zipped plan folder unpacked into a private temporary folder, removed after the block, even on error
    (a SIGKILL aside: what it leaves is the 0700 folder of this user only)."""
    with tempfile.TemporaryDirectory(prefix="planner-") as scratch:
        folder = Path(scratch) / "plan"
        with atomic_folder(folder, kind="plan") as tmp:
            unzip_into(files, tmp)
        yield folder


def logged_name(user: str) -> str:
    """A user name as the audit log keeps it: escaped, and cut to the column's length."""
    shown = printable(user)
    return shown if len(shown) <= MAX_NAME_LENGTH else shown[:MAX_NAME_LENGTH - 1] + "…"


# --- the engine ----------------------------------------------------------------------------------------

def connect(url: sa.URL) -> sa.Engine:
    json_serializer = partial(json.dumps, ensure_ascii=False)
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, json_serializer=json_serializer)
    if url.database and url.database != ":memory:":
        _private_file(Path(url.database))
    engine = sa.create_engine(url, json_serializer=json_serializer,
                              connect_args={"timeout": 30, "check_same_thread": False})
    sa.event.listen(engine, "connect", _sqlite_connected)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _private_file(path: Path) -> None:
    """The database file readable by its owner only (0600) in a folder of its own (0700), made before SQLite
    makes them with the umask's modes; SQLite gives its -wal and -shm files the database file's mode."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _sqlite_connected(connection, _record) -> None:
    connection.isolation_level = None  # transactions begin in _sqlite_begin, not inside the driver
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def create_schema(engine: sa.Engine, where: str) -> None:
    """Create what is missing, one session at a time (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock),
    so two first uses of a new store at once both succeed; a database of the earlier per-coordinator format, or
    a file that is no database, is refused in words."""
    try:
        with engine.execution_options(write=True).begin() as db:
            if db.dialect.name == "postgresql":
                db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
            inspector = sa.inspect(db)
            columns = {c["name"] for c in inspector.get_columns("plans")} if inspector.has_table("plans") else set()
            if "coordinator" in columns:
                raise UserError(f"数据库 {where} 是旧版格式（按协调员分开保存）；请换一个数据库文件，"
                                "或先用旧版程序导出方案")
            schema.metadata.create_all(db)
            schema.upgrade(db)
    except sa.exc.OperationalError as error:
        raise UserError(f"无法打开数据库 {where}：{error.orig}") from None
    except sa.exc.DatabaseError as error:  # SQLite: "file is not a database"
        raise UserError(f"{where} 不是本程序的数据库（{error.orig}）：--db 或 PLANNER_DB_URL 应指向 SQLite 数据库文件"
                        "（如 data/planner.db；新文件名会新建一个）或 postgresql://… 地址，而不是数据集或其他文件") from None
