"""From the engine's decisions to the plan: visits, assignments, unscheduled rows and the solver's figures."""
from __future__ import annotations

from datetime import date

from models.dataset import Dataset
from planner.plan.model import Assignment, Plan, Unscheduled, Visit
from planner.plan.record import LevelRecord, SolverRecord
from planner.schedule.engine import Schedule
from planner.schedule.problem import VisitRequest
from planner.schedule.reasons import left_out_reasons


def assemble(dataset: Dataset, schedule: Schedule) -> Plan:
    """The plan's visits (by date, 片区, 乡镇), assignments and unscheduled rows, without its record."""
    visits, assignments = [], []
    order = sorted(schedule.days, key=lambda r: (schedule.days[r], schedule.requests[r].zone_id,
                                                 schedule.requests[r].business.town_id,
                                                 schedule.requests[r].credit_code))
    for r in order:
        request, team, day = schedule.requests[r], schedule.teams[r], schedule.days[r]
        visit = _visit(request, team.members, day)
        visits.append(visit)
        assignments += [Assignment(visit.visit_id, day, p, dataset.inspector[p].dept_id, visit.credit_code,
                                   visit.town_id) for p in team.members]
    reasons = left_out_reasons(dataset, schedule)
    unscheduled = [Unscheduled(schedule.requests[r].credit_code, schedule.requests[r].item_ids, reasons[r])
                   for r in sorted(reasons, key=lambda r: schedule.requests[r].credit_code)]
    return Plan(visits, assignments, unscheduled)


def _visit(request: VisitRequest, members: tuple[str, ...], day: date) -> Visit:
    business = request.business
    return Visit(f"V{business.credit_code}", day, business.credit_code, business.name, business.town_id,
                 request.zone_id, business.category_id, request.lead_dept_id, request.dept_ids, request.item_ids,
                 members, request.minutes, "urgent" if request.urgent else "routine")


def solver_record(schedule: Schedule, time_limit_s: float) -> SolverRecord:
    """The solver's figures: every level of every stage on its own, and the weighted sums."""
    stages = schedule.stages.values()
    levels = [LevelRecord(stage, name, total.value, total.bound, total.optimal)
              for stage, report in schedule.stages.items() for name, total in report.levels.items()]
    known = not any(report.warm_start_parts for report in stages)
    objective = sum(report.objective for report in stages) if known else None
    bound = sum(report.bound for report in stages) if known else None
    return SolverRecord(
        status="OPTIMAL" if all(report.optimal for report in stages) else "FEASIBLE",
        objective=objective, bound=bound, gap=gap(objective, bound) if known else None,
        wall_s=round(sum(report.wall_s for report in stages), 3), time_limit_s=time_limit_s,
        work=round(sum(report.work for report in stages), 3), levels=levels,
        stages={stage: {"parts": report.parts, "warm_start_parts": report.warm_start_parts}
                for stage, report in schedule.stages.items()},
        pinned=schedule.pinned, reproducible=not any(report.wall_stopped for report in stages))


def gap(objective: float, bound: float) -> float:
    return 0.0 if objective <= bound else (objective - bound) / max(abs(objective), 1.0)
