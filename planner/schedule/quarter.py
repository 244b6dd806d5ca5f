"""From a draw to the quarter's plan: the Python API that the CLI and the app call."""
from __future__ import annotations

import threading
from datetime import date

from models.dataset import Dataset
from models.problems import UserError
from planner.draw import inspector_order, shortlist_length
from planner.metrics import plan_metrics
from planner.plan import Assignment, Plan, Unscheduled, Visit
from planner.schedule.engine import Schedule, build_schedule, gap
from planner.schedule.reasons import left_out_reasons
from planner.schedule.requests import VisitRequest, build_request
from planner.schedule.solve import ProgressFn

ONE_TOWN = "one_town_per_inspector_day"
FEWEST_TOWNS = "fewest_towns"  # the one-town rule relaxed where it would leave visits out (docs/schedule.md)


def visit_requests(dataset: Dataset, draw, urgent: list[str] = ()) -> list[VisitRequest]:
    """One request per drawn business (all its drawn items), plus the coordinator's urgent visits."""
    requests = []
    for code, pairs in draw.by_business().items():
        items = [pair.item_id for pair in pairs]
        depts = {pair.dept_id for pair in pairs}
        shortlists = {d: draw.shortlist(code, d) for d in depts}
        requests.append(build_request(dataset, dataset.business[code], items, shortlists))
    drawn = {r.credit_code for r in requests}
    for code in urgent:
        if code in drawn:
            continue
        if code not in dataset.business:
            raise UserError(f"紧急检查的统一社会信用代码 {code} 不在检查对象名录库（businesses.csv）中")
        requests.append(_urgent_request(dataset, draw, dataset.business[code]))
    return requests


def _urgent_request(dataset, draw, business) -> VisitRequest:
    """An added urgent visit: every item of its category; inspectors still from the seeded random order."""
    items = [i.item_id for i in dataset.items_by_category.get(business.category_id, [])]
    if not items:
        raise UserError(f"{business.name} 的行业 {business.category_id} 没有适用的抽查事项，无法安排检查")
    shortlists = {}
    for dept_id in {dataset.item[i].dept_id for i in items}:
        order = inspector_order(dataset, draw.seed, business, dept_id)
        size = shortlist_length(len(order), dataset.settings.min_certified, dataset.settings.shortlist)
        shortlists[dept_id] = order[:size]
    return build_request(dataset, business, items, shortlists, urgent=True)


def plan_quarter(dataset: Dataset, draw, *, previous: Plan | None = None, urgent: list[str] = (),
                 time_limit_s: float | None = None, progress: ProgressFn | None = None,
                 stop: threading.Event | None = None) -> Plan:
    """Schedule every drawn visit (and urgent ones); with `previous`, move as little as the rules allow.
    A re-plan passes every urgent visit since the base dataset (run_plan derives them from the changes)."""
    urgent = sorted(set(urgent))
    requests = visit_requests(dataset, draw, urgent)
    limit = dataset.settings.time_limit_s if time_limit_s is None else time_limit_s
    before = {v.credit_code: (v.date, v.inspector_ids) for v in previous.visits} if previous else None
    schedule = build_schedule(dataset, requests, time_limit_s=limit, previous=before, progress=progress,
                              stop=stop)
    plan = assemble(dataset, schedule)
    plan.record = _record(dataset, draw, schedule, plan, urgent, limit)
    return plan


def assemble(dataset: Dataset, schedule: Schedule) -> Plan:
    """The plan's visits, assignments and unscheduled rows from the engine's decisions."""
    visits, assignments = [], []
    order = sorted(schedule.days, key=lambda r: (schedule.days[r], schedule.requests[r].zone_id,
                                                 schedule.requests[r].business.town_id,
                                                 schedule.requests[r].credit_code))
    for r in order:
        request, team, day = schedule.requests[r], schedule.teams[r], schedule.days[r]
        visit = _visit(dataset, request, team.members, day)
        visits.append(visit)
        assignments += [Assignment(visit.visit_id, day, p, dataset.inspector[p].dept_id, visit.credit_code,
                                   visit.town_id) for p in team.members]
    reasons = left_out_reasons(dataset, schedule)
    unscheduled = [Unscheduled(schedule.requests[r].credit_code, schedule.requests[r].item_ids, reasons[r])
                   for r in sorted(reasons, key=lambda r: schedule.requests[r].credit_code)]
    return Plan(visits, assignments, unscheduled)


def _visit(dataset: Dataset, request: VisitRequest, members: tuple[str, ...], day: date) -> Visit:
    business = request.business
    return Visit(f"V{business.credit_code}", day, business.credit_code, business.name, business.town_id,
                 request.zone_id, business.category_id, request.lead_dept_id, request.dept_ids, request.item_ids,
                 members, request.minutes)


def _record(dataset, draw, schedule: Schedule, plan: Plan, urgent, limit) -> dict:
    record = dict(draw.record())
    stages = {name: report.as_dict() for name, report in schedule.stages.items()}
    known = all(s["objective"] is not None for s in stages.values())
    objective = sum(s["objective"] for s in stages.values()) if known else None
    bound = sum(s["bound"] for s in stages.values()) if known else None
    statuses = [s["status"] for s in stages.values()]
    record["solver"] = {
        "status": "OPTIMAL" if all(s == "OPTIMAL" for s in statuses) else "FEASIBLE",
        "objective": objective, "bound": bound, "gap": gap(objective, bound) if known else None,
        "wall_s": round(sum(s["wall_s"] for s in stages.values()), 3), "time_limit_s": limit,
        "stages": stages, "pinned": schedule.pinned,
    }
    town_rule = FEWEST_TOWNS if schedule.relaxed_town_parts else ONE_TOWN
    record["parameters"] = {**record.get("parameters", {}), "town_rule": town_rule, "time_limit_s": limit}
    record["urgent"] = list(urgent)
    record["metrics"] = plan_metrics(dataset, plan)
    return record
