"""The plan object that the scheduler produces and export, verify and the app read (plan folder format)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planner.output import atomic_folder, read_csv_rows, write_csv, write_json

LIST_SEP = ";"


@dataclass(frozen=True, slots=True)
class Visit:
    """综合查一次: one joint on-site visit of one business by every department drawn for it."""
    visit_id: str
    date: date
    credit_code: str
    business_name: str
    town_id: str
    zone_id: str
    category_id: str
    lead_dept_id: str
    dept_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    inspector_ids: tuple[str, ...]
    minutes: int


@dataclass(frozen=True, slots=True)
class Assignment:
    visit_id: str
    date: date
    inspector_id: str
    dept_id: str
    credit_code: str
    town_id: str


@dataclass(frozen=True, slots=True)
class Unscheduled:
    credit_code: str
    item_ids: tuple[str, ...]
    reason: str


VISIT_COLUMNS = ["visit_id", "date", "credit_code", "business_name", "town_id", "zone_id", "category_id",
                 "lead_dept_id", "dept_ids", "item_ids", "inspector_ids", "minutes"]
ASSIGNMENT_COLUMNS = ["visit_id", "date", "inspector_id", "dept_id", "credit_code", "town_id"]
UNSCHEDULED_COLUMNS = ["credit_code", "item_ids", "reason"]


@dataclass
class Plan:
    visits: list[Visit]
    assignments: list[Assignment]
    unscheduled: list[Unscheduled]
    record: dict = field(default_factory=dict)  # record.json: seed, period, inputs, parameters, solver, metrics

    def write(self, folder: Path, extra_files: dict[str, bytes] | None = None) -> None:
        """Write the plan folder atomically. `extra_files` (e.g. draw.csv) go in beside it."""
        with atomic_folder(folder) as tmp:
            for name, data in (extra_files or {}).items():
                (tmp / name).write_bytes(data)
            write_csv(tmp / "visits.csv", VISIT_COLUMNS, (_visit_row(v) for v in self.visits))
            write_csv(tmp / "assignments.csv", ASSIGNMENT_COLUMNS,
                      ([a.visit_id, a.date.isoformat(), a.inspector_id, a.dept_id, a.credit_code, a.town_id]
                       for a in self.assignments))
            write_csv(tmp / "unscheduled.csv", UNSCHEDULED_COLUMNS,
                      ([u.credit_code, LIST_SEP.join(u.item_ids), u.reason] for u in self.unscheduled))
            write_json(tmp / "record.json", self.record)

    @classmethod
    def read(cls, folder: Path) -> "Plan":
        folder = Path(folder)
        visits = [Visit(r["visit_id"], date.fromisoformat(r["date"]), r["credit_code"], r["business_name"],
                        r["town_id"], r["zone_id"], r["category_id"], r["lead_dept_id"], _split(r["dept_ids"]),
                        _split(r["item_ids"]), _split(r["inspector_ids"]), int(r["minutes"]))
                  for r in read_csv_rows(folder / "visits.csv")]
        assignments = [Assignment(r["visit_id"], date.fromisoformat(r["date"]), r["inspector_id"], r["dept_id"],
                                  r["credit_code"], r["town_id"]) for r in read_csv_rows(folder / "assignments.csv")]
        unscheduled = [Unscheduled(r["credit_code"], _split(r["item_ids"]), r["reason"])
                       for r in read_csv_rows(folder / "unscheduled.csv")]
        record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
        return cls(visits, assignments, unscheduled, record)


def _visit_row(v: Visit) -> list:
    return [v.visit_id, v.date.isoformat(), v.credit_code, v.business_name, v.town_id, v.zone_id, v.category_id,
            v.lead_dept_id, LIST_SEP.join(v.dept_ids), LIST_SEP.join(v.item_ids), LIST_SEP.join(v.inspector_ids),
            v.minutes]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x for x in cell.split(LIST_SEP) if x)
