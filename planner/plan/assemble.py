"""From the engine's decisions to the plan: visits, assignments, unscheduled rows and the solver's figures."""
from __future__ import annotations

from datetime import date

from models.dataset import Dataset
from planner.plan.model import Assignment, Plan, Unscheduled, Visit
from planner.plan.record import LEVEL_WORDS, LevelRecord, SolverRecord
from planner.schedule.engine import Schedule
from planner.schedule.problem import VisitRequest
from planner.schedule.reasons import left_out_reasons


def assemble(dataset: Dataset, schedule: Schedule, kept: list[Visit] = (), kept_assignments: list[Assignment] = (),
             left_behind: list[Unscheduled] = ()) -> Plan:
    """The plan's visits (by date, 片区, 乡镇), assignments and unscheduled rows, without its record; `kept`
    visits (a re-plan's past and locked ones) join as they are."""
    visits, assignments = list(kept), list(kept_assignments)
    for r, day in schedule.days.items():
        request, team = schedule.requests[r], schedule.teams[r]
        visit = _visit(request, team.members, day)
        visits.append(visit)
        assignments += [Assignment(visit.visit_id, day, p, dataset.inspector[p].dept_id, visit.credit_code,
                                   visit.town_id) for p in team.members]
    visits.sort(key=lambda v: (v.date, v.zone_id, v.town_id, v.credit_code, v.visit_id))
    position = {v.visit_id: n for n, v in enumerate(visits)}
    assignments.sort(key=lambda a: (position[a.visit_id], _member_index(visits[position[a.visit_id]], a)))
    reasons = left_out_reasons(dataset, schedule)
    unscheduled = [Unscheduled(schedule.requests[r].credit_code, schedule.requests[r].item_ids, reasons[r],
                               schedule.requests[r].kind) for r in reasons] + list(left_behind)
    unscheduled.sort(key=lambda u: (u.credit_code, u.item_ids))
    return Plan(visits, assignments, unscheduled)


def _member_index(visit: Visit, assignment: Assignment) -> int:
    return visit.inspector_ids.index(assignment.inspector_id)


def _visit(request: VisitRequest, members: tuple[str, ...], day: date) -> Visit:
    business = request.business
    return Visit(request.visit_id, day, business.credit_code, business.name, business.town_id,
                 request.zone_id, business.category_id, request.lead_dept_id, request.dept_ids, request.item_ids,
                 members, request.minutes, request.kind, late=request.late)


def solver_record(schedule: Schedule, time_limit_s: float) -> SolverRecord:
    """The solver's figures: every level of every stage on its own, and the weighted sums."""
    stages = schedule.stages.values()
    rank = {name: n for n, name in enumerate(LEVEL_WORDS)}
    levels = [LevelRecord(stage, name, total.value, total.bound, total.optimal)
              for stage, report in schedule.stages.items()
              for name, total in sorted(report.levels.items(), key=lambda item: rank.get(item[0], len(rank)))]
    known = not any(report.warm_start_parts for report in stages)
    objective = sum(report.objective for report in stages) if known else None
    bound = sum(report.bound for report in stages) if known else None
    return SolverRecord(
        status="OPTIMAL" if all(report.optimal for report in stages) else "FEASIBLE",
        objective=objective, bound=bound, gap=level_gap(levels) if known else None,
        wall_s=round(sum(report.wall_s for report in stages), 3), time_limit_s=time_limit_s,
        work=round(sum(report.work for report in stages), 3), levels=levels,
        stages={stage: {"parts": report.parts, "warm_start_parts": report.warm_start_parts}
                for stage, report in schedule.stages.items()},
        pinned=schedule.pinned, reproducible=not any(report.wall_stopped for report in stages),
        balance=dict(sorted(schedule.balance_notes.items())))


def level_gap(levels: list[LevelRecord]) -> float:
    """The relative gap of the most important level not proven optimal (0 when all are): a weighted sum's gap
    would be ruled by the weights, not by how far the plan may be from its best."""
    first = next((level for level in levels if not level.optimal), None)
    return 0.0 if first is None else (first.value - first.bound) / max(abs(first.value), 1)
