"""The whole job on one dataset: draw, schedule, assemble the plan and build its record — once."""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from models.rectification import recheck_needs
from models.settings import plan_parameters
from planner.draw import Draw, draw
from planner.draw.files import DrawRecord, draw_files
from planner.draw.knocks import knocks_of_draw
from planner.plan import commitment
from planner.plan.assemble import assemble, solver_record
from planner.plan.folder import plan_files, write_plan_folder
from planner.plan.metrics import plan_metrics
from planner.plan.model import HandEdit, Plan, Unscheduled, Visit
from planner.plan.moves import Move, moves_csv, plan_moves
from planner.plan.record import PlanRecord
from planner.plan.today import first_plan_day
from planner.plan.visit_code import visit_leaves
from planner.schedule.engine import build_schedule
from planner.schedule.pinning import placement_problem
from planner.schedule.problem import VisitRequest, visit_requests
from planner.schedule.rechecks import recheck_request
from planner.schedule.solve import ProgressFn
from planner.schedule.teams import Load


@dataclass
class PlanRun:
    dataset: Dataset  # as planned, with the what-if changes applied
    draw: Draw
    plan: Plan
    files: dict[str, bytes] = field(default_factory=dict)  # every file of the plan folder but record.json
    moves: list[Move] = field(default_factory=list)

    @property
    def record(self) -> PlanRecord:
        assert self.plan.record is not None
        return self.plan.record

    def write(self, folder: str | Path, inputs=()) -> None:
        write_plan_folder(folder, self.files, self.record, inputs)


def make_plan(dataset: Dataset, seed: str, *, previous: Plan | None = None, changes: list[str] = (),
              urgent: dict[str, date | None] | None = None, missed: list[str] = (), today: date | None = None,
              hand_edits: list[HandEdit] = (),
              time_limit_s: float | None = None, progress: ProgressFn | None = None,
              stop: threading.Event | None = None) -> PlanRun:
    """Draw from `seed`, schedule every drawn visit (and `urgent` ones: credit code -> deadline) and build the
    plan with its record.

    With `previous`, move as little as the rules allow; `changes` (already applied to `dataset`) are recorded.
    A first plan with `today` starts where planner.plan.today says (the first unlocked day inside the period).
    With `today`, visits of `previous` before the first unlocked working day are kept as they are (past, or
    within lock_days), except the `missed` ones (credit codes whose team could not go); everything else is
    placed on or after that day. `hand_edits` (the new ones) move or re-staff a visit of `previous`, which then
    keeps that placement.
    """
    the_draw = draw(dataset, seed)
    limit = dataset.settings.time_limit_s if time_limit_s is None else time_limit_s
    start = _first_day(dataset, today, previous)
    kept = kept_visits(previous, start, missed)
    window = dataset if start is None else replace(dataset, workdays=[d for d in dataset.workdays if d >= start])
    skip = frozenset(v.credit_code for v in kept if v.kind != "recheck")
    requests = visit_requests(window, the_draw, urgent, not_before=start, skip=skip)
    requests += _rechecks(window, the_draw.seed, previous, kept, dataset.workdays)
    kept_ids = {v.visit_id for v in kept}
    before = {v.visit_id: (v.date, v.inspector_ids) for v in previous.visits if v.visit_id not in kept_ids} \
        if previous else None
    kept_assignments = [a for a in previous.assignments if a.visit_id in kept_ids] if previous else []
    load = Load(Counter(a.inspector_id for a in kept_assignments),
                {p: len(days) for p, days in dataset.presence.items()})
    schedule = build_schedule(window, requests, time_limit_s=limit, previous=before, progress=progress, stop=stop,
                              load=load, forced=_forced(window, requests, previous, kept, hand_edits))
    plan = assemble(dataset, schedule, kept, kept_assignments, _left_behind(the_draw, kept))
    if previous is not None:  # what was found stays found: results and their log carry over to every re-plan
        plan.results, plan.results_log = list(previous.results), list(previous.results_log)
    drawn = draw_files(the_draw)
    files = drawn | plan_files(plan)
    moves = plan_moves(dataset, previous, plan, list(missed), {e.credit_code for e in hand_edits}) \
        if previous is not None else []
    if moves:
        files["changes.csv"] = moves_csv(moves)
    salt_key = previous.record.salt_key if previous and previous.record and previous.record.salt_key \
        else commitment.salt_key_for(the_draw.seed, files)
    leaves = set(visit_leaves(plan.visits, dataset, salt_key).values())
    plan.record = PlanRecord(DrawRecord.of(the_draw, drawn, knocks_of_draw(the_draw)),
                             solver_record(schedule, limit), plan_metrics(dataset, plan), list(changes),
                             len(moves) if previous is not None else None,
                             _chain(previous, list(changes), today, the_draw, files, leaves),
                             plan_parameters(dataset.settings) | _today_parameters(today, start), salt_key=salt_key)
    return PlanRun(dataset, the_draw, plan, files, moves)


def _rechecks(window: Dataset, seed: str, previous: Plan | None, kept: list[Visit],
              workdays: list[date]) -> list[VisitRequest]:
    """集成改一次: a re-check for each business the results call for, unless one is already kept."""
    if previous is None:
        return []
    done = {v.credit_code for v in kept if v.kind == "recheck"}
    return [recheck_request(window, seed, need, workdays) for need in recheck_needs(previous.visits, previous.results)
            if need.credit_code not in done]


def _forced(window: Dataset, requests: list[VisitRequest], previous: Plan | None, kept: list[Visit],
            hand_edits: list[HandEdit]) -> dict[int, tuple[date, tuple[str, ...]]]:
    """Request -> the placement hand edits give it; an edit that breaks a rule is a UserError saying which."""
    if not hand_edits:
        return {}
    visits = {v.credit_code: v for v in reversed(previous.visits)} if previous else {}  # the first visit wins
    index = {request.visit_id: r for r, request in enumerate(requests)}
    forced: dict[int, tuple[date, tuple[str, ...]]] = {}
    for edit in hand_edits:
        visit = visits.get(edit.credit_code)
        if visit is None or visit in kept or visit.visit_id not in index:
            raise UserError(f"{edit.credit_code} 在上一版方案中没有可以调整的检查（已过去、已锁定或未排程）")
        r = index[visit.visit_id]
        placement = edit.applied_to(*forced.get(r, (visit.date, visit.inspector_ids)))
        problem = placement_problem(window, requests[r], placement)
        if problem:
            raise UserError(f"手工调整 {visit.business_name}（{visit.credit_code}）不符合规则：{problem}")
        forced[r] = placement
    return forced


def _first_day(dataset: Dataset, today: date | None, previous: Plan | None) -> date | None:
    """The first working day the plan may place a visit on; None: every day of the period. A first plan follows
    planner.plan.today (the whole period before it starts or once it is over), a re-plan first_unlocked."""
    if today is None:
        return None
    if previous is None:
        return first_plan_day(dataset.workdays, dataset.settings, today)
    return first_unlocked(dataset.workdays, today, dataset.settings.lock_days)


def first_unlocked(workdays: list[date], today: date, lock_days: int) -> date | None:
    """The first working day a re-plan may place a visit on: the lock_days working days from today (today
    included when it is one) are locked — the business and the team may already have been told. None when the
    period has no such day left."""
    ahead = [day for day in workdays if day >= today]
    return ahead[lock_days] if lock_days < len(ahead) else None


def kept_visits(previous: Plan | None, start: date | None, missed: list[str]) -> list[Visit]:
    """The previous plan's visits a re-plan keeps as they are: those before `start` (past or locked), except
    the ones whose team could not go (`missed`), which are placed again."""
    if previous is None or start is None:
        return []
    return [v for v in previous.visits if v.date < start and v.credit_code not in missed]


def _left_behind(the_draw: Draw, kept: list[Visit]) -> list[Unscheduled]:
    """Items newly drawn for a business whose visit is already past or locked: named, not silently dropped."""
    visited = {v.credit_code: set(v.item_ids) for v in kept}
    out = []
    for code, pairs in the_draw.by_business().items():
        new = tuple(sorted({p.item_id for p in pairs} - visited.get(code, {p.item_id for p in pairs})))
        if new:
            out.append(Unscheduled(code, new, "该对象本期的检查已完成或已锁定，新抽中的事项请转下期或另行安排"))
    return out


def _today_parameters(today: date | None, start: date | None) -> dict:
    if today is None:
        return {}
    return {"today": today.isoformat(), "first_unlocked_day": start.isoformat() if start else None}


def _chain(previous: Plan | None, changes: list[str], today: date | None, the_draw: Draw,
           files: dict[str, bytes], leaves: set[str]) -> list[dict]:
    """The commitment chain: a first link for a new plan, one more for a re-plan (with the changes it adds),
    each over the visits' leaves and the files."""
    if previous is None or previous.record is None or not previous.record.commitment_chain:
        return commitment.extend([], commitment.plan_event(the_draw.seed, the_draw.period), files, leaves)
    new = changes[len(previous.record.changes):]
    return commitment.extend(previous.record.commitment_chain, commitment.replan_event(new, today), files, leaves)
