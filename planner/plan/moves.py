"""What a re-plan moved compared with the plan before it, and the rule that forced each move (changes.csv)."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from models.dataset import Dataset
from planner.output import csv_bytes
from planner.plan.changes import removed
from planner.plan.model import Plan


@dataclass(frozen=True, slots=True)
class Move:
    credit_code: str
    business_name: str
    before_date: date | None
    after_date: date | None
    before_team: tuple[str, ...]
    after_team: tuple[str, ...]
    reason: str


MAKE_ROOM = "为给受影响的检查腾出时间而联动调整"  # the reason of a move no rule forced: it made room for one that was
MOVE_COLUMNS = ["credit_code", "business_name", "before_date", "after_date", "before_team", "after_team", "reason"]


HAND_EDIT = "协调员手工调整"  # the reason of a move the coordinator made by hand (move:, swap:)


def plan_moves(dataset: Dataset, before: Plan, after: Plan, missed: list[str] = (),
               hand_edited: Collection[str] = ()) -> list[Move]:
    """Visits whose date or team changed (or that appeared or went), with the rule that forced it; `missed`:
    credit codes whose team could not go; `hand_edited`: credit codes the coordinator moved or re-staffed."""
    old = {v.visit_id: v for v in before.visits}
    new = {v.visit_id: v for v in after.visits}
    moves = []
    for visit_id in sorted(old.keys() | new.keys()):
        a, b = old.get(visit_id), new.get(visit_id)
        if a and b and a.date == b.date and set(a.inspector_ids) == set(b.inspector_ids):
            continue
        visit = a or b
        assert visit is not None
        moves.append(Move(visit.credit_code, visit.business_name, a.date if a else None, b.date if b else None,
                          a.inspector_ids if a else (), b.inspector_ids if b else (),
                          HAND_EDIT if a and b and visit.credit_code in hand_edited
                          else _why(dataset, a, b, visit.credit_code in missed)))
    return moves


def _why(dataset: Dataset, before, after, missed: bool) -> str:
    if before is None:
        return "新增检查（紧急检查、复查或抽取变化）"
    if after is None:
        return "本次未能排入（见 unscheduled.csv）或已不在抽取结果中"
    if missed:
        return f"检查组未能在 {before.date} 成行，改排到之后的工作日"
    for p in before.inspector_ids:
        if p not in dataset.inspector or removed(dataset, p):
            return f"{p} 已移出执法检查人员名录库"
        if not dataset.is_present(p, before.date):
            return f"{dataset.inspector[p].name} 在 {before.date} 不在岗"
        if dataset.settings.cross_zone == "forbid" and dataset.inspector[p].zone_id != before.zone_id:
            return f"cross_zone = forbid：{dataset.inspector[p].name} 不得跨片区"
    return MAKE_ROOM


def moves_csv(moves: list[Move]) -> bytes:
    return csv_bytes(MOVE_COLUMNS, ([m.credit_code, m.business_name, m.before_date or "", m.after_date or "",
                                     ";".join(m.before_team), ";".join(m.after_team), m.reason] for m in moves))
