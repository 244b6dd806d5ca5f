"""The year's earlier quarters read from their plan folders: what they did (checks, for the yearly cap) and what
they leave to the next quarter (undone visits, open re-checks) — planner.plan.previous's data, from the folders.

An earlier plan's undone work is carried by the next plan that read it: when a later plan among those given
already read it (its record names that quarter), that plan carries it on (and, if still undone there, hands it
on again with its own commitment) — so nothing is carried twice.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from models.rectification import recheck_needs
from planner.plan.folder import read_plan
from planner.plan.model import Plan, Visit
from planner.plan.previous import (
    MISSED,
    OPEN_RECHECK,
    OVERDUE,
    CarriedVisit,
    Check,
    EarlierPlan,
    EarlierQuarters,
    carried_for,
)
from planner.plan.record import RECORD_FILE
from planner.quarter.results import PlanFacts
from planner.quarter.status import done_on, results_by_visit


def plan_folders(paths: Iterable[str | Path]) -> list[Path]:
    """Each path is a plan folder, or a folder of plan folders (the year's plans); sorted, each once."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if (path / RECORD_FILE).is_file():
            out.append(path)
            continue
        if not path.is_dir():
            raise UserError(f"找不到方案文件夹 {path}")
        inside = sorted(p for p in path.iterdir() if (p / RECORD_FILE).is_file())
        if not inside:
            raise UserError(f"{path} 既不是方案文件夹（缺少 {RECORD_FILE}），也不含方案文件夹")
        out += inside
    return sorted(dict.fromkeys(p.resolve() for p in out))


def read_plans(paths: Iterable[str | Path]) -> list[tuple[Path, Plan]]:
    """The plans in `paths` (plan_folders), by period start."""
    plans = [(folder, read_plan(folder)) for folder in plan_folders(paths)]
    return sorted(plans, key=lambda fp: (fp[1].saved_record.period.start, str(fp[0])))


def read_earlier_quarters(paths: Iterable[str | Path], dataset: Dataset | None = None) -> EarlierQuarters:
    """What the plans in `paths` hand to the next quarter (the dataset names every item's department)."""
    plans = read_plans(paths)
    taken_over = {p for _, plan in plans for p in _read_periods(plan)}
    earlier = EarlierQuarters()
    checks: set[Check] = set()
    for folder, plan in plans:
        period, commitment = plan.saved_record.draw.period, plan.saved_record.commitment
        earlier.plans.append(EarlierPlan(period, commitment))
        facts = PlanFacts.of(folder, plan, dataset)
        checks |= set(done_checks(plan, facts))
        if period not in taken_over:
            earlier.carried += carried_visits(plan, facts)
    earlier.checks = sorted(checks, key=lambda c: (c.day, c.credit_code, c.dept_id, c.kind))
    earlier.carried.sort(key=lambda c: (c.credit_code, c.kind == "recheck", c.period))
    return earlier


def _read_periods(plan: Plan) -> list[str]:
    return [p.get("period", "") for p in plan.saved_record.previous_quarters.get("plans", [])]


def done_checks(plan: Plan, facts: PlanFacts) -> list[Check]:
    """Per visit and department: the day its items were done (status's rule), as one check."""
    found = results_by_visit(plan.results)
    period = plan.saved_record.draw.period
    out = []
    for visit in plan.visits:
        for dept_id in visit.dept_ids:
            mine = {i for i in visit.item_ids if facts.dept_of(visit, i) == dept_id}
            day = done_on(visit, found.get(visit.visit_id, {}), mine)
            if day is not None:
                out.append(Check(visit.credit_code, dept_id, day, visit.kind, period))
    return out


def carried_visits(plan: Plan, facts: PlanFacts) -> list[CarriedVisit]:
    """What the plan leaves undone: items of its routine and urgent visits without a result (the visit not
    closed), its open re-checks, and what it carried itself from earlier and did not do."""
    found = results_by_visit(plan.results)
    record = plan.saved_record
    commitment, period = record.commitment, record.draw.period
    missed = {c.split(":", 1)[1] for c in record.changes if c.startswith("missed:")}
    out: dict[tuple[str, bool], CarriedVisit] = {}
    for visit in plan.visits:
        if visit.kind == "recheck" or done_on(visit, found.get(visit.visit_id, {})) is not None:
            continue
        undone = tuple(i for i in visit.item_ids if i not in found.get(visit.visit_id, {}))
        reason = MISSED if visit.credit_code in missed else OVERDUE
        out[visit.credit_code, False] = CarriedVisit(visit.credit_code, undone, visit.kind, commitment, period, reason)
    for need in recheck_needs(plan.visits, plan.results):
        out[need.credit_code, True] = CarriedVisit(need.credit_code, need.item_ids, "recheck", commitment, period,
                                                   OPEN_RECHECK, need.deadline, need.first_team)
    for entry in EarlierQuarters.from_json(record.previous_quarters).carried:
        key = (entry.credit_code, entry.is_recheck)
        if key not in out and not _answered(plan, entry, found):
            out[key] = CarriedVisit(entry.credit_code, entry.item_ids, entry.kind, commitment, period, entry.reason,
                                    entry.deadline, entry.first_team)
    return [out[key] for key in sorted(out)]


def _answered(plan: Plan, entry: CarriedVisit, found: dict) -> bool:
    """A carried entry the plan placed (its visit is then judged as any visit is) — or, for a carried re-check,
    placed and done."""
    visit: Visit | None = next((v for v in plan.visits if carried_for(v, _only(entry))), None)
    if visit is None:
        return False
    return not entry.is_recheck or done_on(visit, found.get(visit.visit_id, {})) is not None


def _only(entry: CarriedVisit) -> EarlierQuarters:
    return EarlierQuarters([EarlierPlan(entry.period, entry.carried_from)], [], [entry])
