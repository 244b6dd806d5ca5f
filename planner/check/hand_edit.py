"""A hand edit of one visit checked at once, before any solve: every hard rule on the plan as it would be."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from models.dataset import Dataset
from models.problems import UserError
from planner.check.rules import check_plan
from planner.draw import Draw
from planner.plan.changes import apply_changes
from planner.plan.model import Assignment, HandEdit, Plan


def edited_plan(plan: Plan, edit: HandEdit) -> Plan:
    """The plan with `edit` applied to the visit of its business (not a re-check): date and team."""
    visit = next((v for v in plan.visits if v.credit_code == edit.credit_code and v.kind != "recheck"), None)
    if visit is None:
        raise UserError(f"方案中没有 {edit.credit_code} 的检查")
    day, team = edit.applied_to(visit.date, visit.inspector_ids)
    moved = replace(visit, date=day, inspector_ids=team)
    dept_of = {a.inspector_id: a.dept_id for a in plan.assignments}
    assignments = [a for a in plan.assignments if a.visit_id != visit.visit_id] + [
        Assignment(visit.visit_id, day, p, dept_of.get(p, ""), visit.credit_code, visit.town_id) for p in team]
    return replace(plan, visits=[moved if v is visit else v for v in plan.visits], assignments=assignments)


def hand_edit_problems(base: Dataset, plan: Plan, draw: Draw, change: str,
                       urgent: dict[str, date | None] | None = None) -> list[str]:
    """The rules a hand edit (`move:…` or `swap:…`, on top of the plan's recorded changes) would break that the
    plan did not break already; [] when it may be recorded."""
    assert plan.record is not None
    try:
        applied = apply_changes(base, [*plan.record.changes, change])
    except UserError as error:  # a day off the calendar, an unknown officer …: said in the change's own words
        return [str(error)]
    if not applied.hand_edits:
        raise UserError(f"「{change}」不是手工调整（move: 或 swap:）")
    before = set(check_plan(applied.dataset, plan, draw, urgent))
    after = check_plan(applied.dataset, edited_plan(plan, applied.hand_edits[-1]), draw, urgent)
    return [problem for problem in after if problem not in before]


def allowed_days(base: Dataset, plan: Plan, draw: Draw, credit_code: str, days: list[date],
                 urgent: dict[str, date | None] | None = None) -> list[date]:
    """The days among `days` the visit of `credit_code` may be moved to by hand, with its team: those on which
    hand_edit_problems finds nothing. Each day is checked on the visit and the visits sharing one of its officers
    that day — moving one visit's date changes no other visit's rules — so a quarter's calendar takes a moment."""
    visit = next((v for v in plan.visits if v.credit_code == credit_code and v.kind != "recheck"), None)
    if visit is None:
        raise UserError(f"方案中没有 {credit_code} 的检查")
    return [day for day in days if day != visit.date
            and not hand_edit_problems(base, _around(plan, visit, day), draw, f"move:{credit_code}:{day}", urgent)]


def _around(plan: Plan, visit, day: date) -> Plan:
    """The part of the plan a move of `visit` to `day` can touch: it, and the visits its team has that day."""
    team = set(visit.inspector_ids)
    near = {a.visit_id for a in plan.assignments if a.date == day and a.inspector_id in team} | {visit.visit_id}
    return replace(plan, visits=[v for v in plan.visits if v.visit_id in near],
                   assignments=[a for a in plan.assignments if a.visit_id in near], results=[], results_log=[])
