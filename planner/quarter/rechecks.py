"""集成改一次: what a business still has to rectify, its planned joint re-check, and the re-checks that found a
problem unresolved.

What is open is models.rectification's rule (the scheduler's too): the latest result of each (business, item)
decides. A re-check that finds anything but 未发现问题 is flagged for the coordinator, who decides (移送案件线索,
or a further deadline); nothing re-schedules it by itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models import rectification
from models.records import NO_PROBLEM, Result
from planner.plan.model import Plan, Visit

Finding = rectification.Finding[Visit]


@dataclass(frozen=True, slots=True)
class RecheckFlag:
    """A re-check that found the problem unresolved."""
    visit: Visit
    result: Result
    dept_id: str | None

    def to_json(self) -> dict:
        r = self.result
        return {"visit_id": r.visit_id, "credit_code": self.visit.credit_code, "business_name": self.visit.business_name,
                "item_id": r.item_id, "dept_id": self.dept_id, "checked_on": r.checked_on.isoformat(),
                "result": r.result, "disposal": r.disposal,
                "rectify_by": r.rectify_by.isoformat() if r.rectify_by else None}


def open_rectifications(plan: Plan) -> dict[str, list[Finding]]:
    """credit code -> the items whose latest result is a problem to put right, by deadline; by credit code."""
    return rectification.open_rectifications(plan.visits, plan.results)


def planned_recheck(plan: Plan, credit_code: str, after: date) -> Visit | None:
    """The business's first re-check visit on or after `after` that has no result yet."""
    done = {r.visit_id for r in plan.results}
    planned = [v for v in plan.visits if v.kind == "recheck" and v.credit_code == credit_code and v.date >= after
               and v.visit_id not in done]
    return min(planned, key=lambda v: (v.date, v.visit_id), default=None)


def unresolved_rechecks(plan: Plan, dept_of) -> list[RecheckFlag]:
    """Results of re-check visits other than 未发现问题; `dept_of(visit, item_id)` names each item's department."""
    kinds = {v.visit_id: v for v in plan.visits if v.kind == "recheck"}
    return [RecheckFlag(kinds[r.visit_id], r, dept_of(kinds[r.visit_id], r.item_id)) for r in plan.results
            if r.visit_id in kinds and r.result != NO_PROBLEM]


def rechecks_to_plan(plan: Plan) -> list[rectification.RecheckNeed]:
    """The re-checks the results call for that the plan holds no re-check visit for (after their deadline): what
    a re-plan would add — a reason to re-plan by itself."""
    return [need for need in rectification.recheck_needs(plan.visits, plan.results)
            if planned_recheck(plan, need.credit_code, need.deadline) is None]
