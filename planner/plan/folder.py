"""The plan folder: visits.csv, assignments.csv, unscheduled.csv beside the draw's files and record.json.

Written whole or not at all; read back, under the folder's lock (planner.output.holding_folder: one version,
never half of two), with a clear message naming file, row and column for anything a person (or Excel) may have
changed. A writer that changes a plan (a results import, a 公示) holds the same lock while it reads the plan,
changes it and writes it back whole.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from models.problems import UserError
from models.records import LogEntry, Result
from models.schema import BadValue, iso_date
from planner.output import atomic_folder, csv_bytes, holding_folder, read_csv_rows
from planner.plan.model import Assignment, Plan, Unscheduled, Visit
from planner.plan.record import RECORD_FILE, PlanRecord, read_record

LIST_SEP = ";"
OPTIONAL_COLUMNS = {"kind", "published_on", "carried_from", "late", "team_changes"}  # added later to the contract: older plans have none
VISIT_COLUMNS = ["visit_id", "date", "credit_code", "business_name", "town_id", "zone_id", "category_id",
                 "lead_dept_id", "dept_ids", "item_ids", "inspector_ids", "minutes", "kind",
                 "carried_from", "late"]
RESULT_COLUMNS = ["visit_id", "item_id", "checked_on", "result", "disposal", "rectify_by", "inspector_ids", "note",
                  "published_on"]
LOG_COLUMNS = ["logged_at", "user", "source", "source_sha256", "added", "changed", "team_changes"]
RESULTS_FILE, LOG_FILE = "results.csv", "results_log.csv"
ASSIGNMENT_COLUMNS = ["visit_id", "date", "inspector_id", "dept_id", "credit_code", "town_id"]
UNSCHEDULED_COLUMNS = ["credit_code", "item_ids", "reason", "kind"]


def plan_files(plan: Plan) -> dict[str, bytes]:
    """visits.csv, assignments.csv, unscheduled.csv (and results.csv, results_log.csv once there are results),
    byte-identical for the same plan."""
    files = {
        "visits.csv": csv_bytes(VISIT_COLUMNS, ([
            v.visit_id, v.date.isoformat(), v.credit_code, v.business_name, v.town_id, v.zone_id, v.category_id,
            v.lead_dept_id, LIST_SEP.join(v.dept_ids), LIST_SEP.join(v.item_ids), LIST_SEP.join(v.inspector_ids),
            v.minutes, v.kind, v.carried_from, v.late] for v in plan.visits)),
        "assignments.csv": csv_bytes(ASSIGNMENT_COLUMNS, (
            [a.visit_id, a.date.isoformat(), a.inspector_id, a.dept_id, a.credit_code, a.town_id]
            for a in plan.assignments)),
        "unscheduled.csv": csv_bytes(UNSCHEDULED_COLUMNS, (
            [u.credit_code, LIST_SEP.join(u.item_ids), u.reason, u.kind] for u in plan.unscheduled)),
    }
    if plan.results or plan.results_log:
        files[RESULTS_FILE] = csv_bytes(RESULT_COLUMNS, (
            [r.visit_id, r.item_id, r.checked_on.isoformat(), r.result, r.disposal,
             _iso(r.rectify_by), LIST_SEP.join(r.inspector_ids), r.note, _iso(r.published_on)]
            for r in plan.results))
        files[LOG_FILE] = csv_bytes(LOG_COLUMNS, (
            [e.logged_at, e.user, e.source, e.source_sha256, e.added, e.changed, e.team_changes]
            for e in plan.results_log))
    return files


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def write_plan_folder(folder: str | Path, files: dict[str, bytes], record: PlanRecord, inputs=(),
                      check: Callable[[Path], None] | None = None) -> None:
    """Every file and record.json into `folder`, atomically; `inputs` (dataset, previous plan) are never replaced.
    `check` (planner.check.self_check.verified) runs on the files written, before they replace anything: when it
    raises, nothing is replaced."""
    with atomic_folder(folder, kind="plan", inputs=inputs) as tmp:
        for name, data in sorted(files.items()):
            (tmp / name).write_bytes(data)
        (tmp / RECORD_FILE).write_bytes(record_bytes(record))
        if check is not None:
            check(tmp)


def record_bytes(record: PlanRecord) -> bytes:
    text = json.dumps(record.to_json(), ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    return (text + "\n").encode("utf-8")


def read_plan(folder: str | Path) -> Plan:
    """A plan folder read back, every cell checked, as one version (under its lock)."""
    with holding_folder(folder):
        return _read_plan(Path(folder))


def _read_plan(folder: Path) -> Plan:
    record = read_record(folder)
    if not (folder / "visits.csv").is_file():
        raise UserError(f"方案文件夹 {folder} 中没有 visits.csv（{folder} 可能只有抽取结果）")
    visits = _read(folder, "visits.csv", VISIT_COLUMNS, lambda c: Visit(
        c.text("visit_id"), c.date("date"), c.text("credit_code"), c.text("business_name"), c.text("town_id"),
        c.text("zone_id"), c.text("category_id"), c.text("lead_dept_id"), c.ids("dept_ids"), c.ids("item_ids"),
        c.ids("inspector_ids"), c.int("minutes"), c.text("kind") or "routine", c.text("carried_from"), c.text("late")))
    assignments = _read(folder, "assignments.csv", ASSIGNMENT_COLUMNS, lambda c: Assignment(
        c.text("visit_id"), c.date("date"), c.text("inspector_id"), c.text("dept_id"), c.text("credit_code"),
        c.text("town_id")))
    unscheduled = _read(folder, "unscheduled.csv", UNSCHEDULED_COLUMNS, lambda c: Unscheduled(
        c.text("credit_code"), c.ids("item_ids"), c.text("reason"), c.text("kind") or "routine"))
    results = _read(folder, RESULTS_FILE, RESULT_COLUMNS, lambda c: Result(
        c.text("visit_id"), c.text("item_id"), c.date("checked_on"), c.text("result"), c.text("disposal"),
        c.optional_date("rectify_by"), c.ids("inspector_ids"), c.text("note"), c.optional_date("published_on")))
    log = _read(folder, LOG_FILE, LOG_COLUMNS, lambda c: LogEntry(
        c.text("logged_at"), c.text("user"), c.text("source"), c.text("source_sha256"), c.int("added"),
        c.int("changed"), c.text("team_changes")))
    return Plan(visits, assignments, unscheduled, record, results, log)


class _Cells:
    """One CSV row's cells, each read with a message naming file, row and column when it cannot be."""

    def __init__(self, name: str, number: int, row: dict):
        self.name, self.number, self.row = name, number, row

    def _bad(self, column: str, message: str) -> UserError:
        value = self.row.get(column) or ""
        return UserError(f"{self.name} 第{self.number}行 列「{column}」：{message}（值：{value!r}）。"
                         f"请恢复程序生成的原文件，或用 plan 命令重新生成方案")

    def text(self, column: str) -> str:
        return (self.row.get(column) or "").strip()

    def ids(self, column: str) -> tuple[str, ...]:
        return tuple(x.strip() for x in self.text(column).split(LIST_SEP) if x.strip())

    def optional_date(self, column: str) -> date | None:
        return self.date(column) if self.text(column) else None

    def date(self, column: str) -> date:
        try:
            return iso_date(self.text(column))
        except BadValue as bad:
            raise self._bad(column, bad.message) from None

    def int(self, column: str) -> int:
        try:
            return int(self.text(column))
        except ValueError:
            raise self._bad(column, "不是整数") from None


def _read(folder: Path, name: str, columns: list[str], make: Callable[[_Cells], object]) -> list:
    rows = read_rows(folder / name, columns)
    return [make(_Cells(name, number, row)) for number, row in enumerate(rows, start=2)]


def read_rows(path: Path, columns: list[str]) -> list[dict]:
    """A plan-folder CSV's rows ([] when absent), refused with a message when unreadable or a column is missing."""
    if not path.is_file():
        return []
    try:
        rows = read_csv_rows(path)
    except UnicodeDecodeError:
        raise UserError(f"{path} 无法读取：不是 UTF-8 编码（可能被 Excel 以其他编码另存）；请恢复程序生成的原文件") from None
    except ValueError as error:
        raise UserError(f"{path} 无法读取（{error}）：请恢复程序生成的原文件") from None
    if rows:
        missing = [c for c in columns if c not in rows[0] and c not in OPTIONAL_COLUMNS]
        if missing:
            raise UserError(f"{path} 缺少列：{', '.join(missing)}（列名可能被改动）；请恢复程序生成的原文件")
    return rows
