"""The whole job on one dataset: draw, schedule, assemble the plan and build its record — once."""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from models.rectification import RecheckNeed, recheck_needs
from models.settings import plan_parameters
from planner.draw import Draw, draw
from planner.draw.files import DrawRecord, draw_files
from planner.draw.knocks import knocks_of_draw
from planner.draw.year import QuarterShare
from planner.plan import commitment
from planner.plan.appointments import APPOINTMENTS_FILE, appointments_csv, with_appointment_reasons
from planner.plan.assemble import assemble, solver_record
from planner.plan.folder import plan_files, record_bytes, write_plan_folder
from planner.plan.locking import (
    check_today,
    free_from,
    free_parameters,
    kept_conflicts,
    kept_visits,
    no_day_left,
    period_over_note,
    recorded_free_from,
)
from planner.plan.metrics import plan_metrics
from planner.plan.model import HandEdit, Plan, Unscheduled, Visit
from planner.plan.moves import Move, moves_csv, plan_moves
from planner.plan.previous import EarlierQuarters, mark_carried, with_carried, with_counted_checks
from planner.plan.record import RECORD_FILE, PlanRecord
from planner.plan.visit_code import visit_leaves
from planner.schedule.appointments import Appointment, Decision, book
from planner.schedule.engine import Schedule, build_schedule
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
    warnings: list[str] = field(default_factory=list)  # for the coordinator (简体中文): conflicts with kept visits …
    base: Dataset | None = None  # the dataset before any what-if change (run_plan sets it)
    previous: Plan | None = None  # the plan a re-plan started from
    appointments: list[Decision] = field(default_factory=list)  # 企业预约: what became of each request

    @property
    def record(self) -> PlanRecord:
        assert self.plan.record is not None
        return self.plan.record

    def write(self, folder: str | Path, inputs=(), check=None) -> None:
        """The plan folder, whole; `check` as for write_plan_folder (planner.check.self_check.write_verified)."""
        write_plan_folder(folder, self.files, self.record, inputs, check)

    def mark_interrupted(self) -> None:
        """Ctrl-C stopped the solve and the plan is kept anyway: the record says so, and its last link, which
        covers the record, is made again."""
        chain, self.record.interrupted = self.record.commitment_chain, True
        self.record.commitment_chain = commitment.extend(chain[:-1], chain[-1]["event"],
                                                         self.files | _record_file(self.record),
                                                         commitment.leaf_sets(chain)[-1])


def make_plan(dataset: Dataset, seed: str, *, previous: Plan | None = None, changes: list[str] = (),
              urgent: dict[str, date | None] | None = None, missed: list[str] = (), today: date | None = None,
              hand_edits: list[HandEdit] = (), appointments: list[Appointment] = (),
              earlier: EarlierQuarters | None = None,
              share: QuarterShare | None = None, previous_dataset: Dataset | None = None,
              time_limit_s: float | None = None, progress: ProgressFn | None = None,
              stop: threading.Event | None = None) -> PlanRun:
    """Draw from `seed`, schedule every drawn visit (and `urgent` ones: credit code -> deadline) and build the
    plan with its record.

    With `previous`, move as little as the rules allow; `changes` (already applied to `dataset`) are recorded.
    A first plan with `today` starts where planner.plan.today says (the first unlocked day inside the period).
    With `today`, visits of `previous` before the first unlocked working day are kept as they are (past, or
    within lock_days: planner.plan.locking), except the `missed` ones (this re-plan's: credit codes whose team
    could not go); everything else is placed on or after that day — or, when none is left, listed as
    unscheduled without solving. `hand_edits` (the new ones) move or re-staff a visit of `previous`, which then
    keeps that placement. `appointments` (企业预约, planner.schedule.appointments) narrow their visits' days
    where the rules allow, else are refused with the reason. `previous_dataset` (the dataset as `previous` was planned) tells the conflicts with
    kept visits this re-plan's changes make from those said before. `earlier` (the year's earlier quarters) adds
    their checks to the yearly cap and carries their undone visits and open re-checks into this one
    (planner.plan.previous). `share`: the quarter's share of the annual plan (ratio_basis = "year",
    planner.draw.year).
    """
    check_today(previous, today)
    dataset = with_counted_checks(dataset, earlier)
    the_draw = draw(dataset, seed, share=share)
    limit = dataset.settings.time_limit_s if time_limit_s is None else time_limit_s
    start = free_from(dataset, today, recorded_free_from(previous.record) if previous is not None else None,
                      first=previous is None)
    kept = kept_visits(previous, start, missed)
    window = dataset if start is None else replace(dataset, workdays=[d for d in dataset.workdays if d >= start])
    skip = frozenset(v.credit_code for v in kept if v.kind != "recheck")
    requests = visit_requests(window, the_draw, urgent, not_before=start, skip=skip)
    needs = _recheck_needs(previous, kept)
    requests += [recheck_request(window, the_draw.seed, need, dataset.workdays) for need in needs]
    requests = with_carried(window, the_draw, requests, earlier, kept, start)
    closed = no_day_left(requests, today, dataset) if today is not None and not window.workdays else []
    if closed:
        requests = []  # nothing to solve: the period is over (or all that is left is locked)
    kept_ids = {v.visit_id for v in kept}
    before = {v.visit_id: (v.date, v.inspector_ids) for v in previous.visits if v.visit_id not in kept_ids} \
        if previous else None
    kept_assignments = [a for a in previous.assignments if a.visit_id in kept_ids] if previous else []
    load = Load(Counter(a.inspector_id for a in kept_assignments),
                {p: len(days) for p, days in dataset.presence.items()})
    forced = _forced(window, requests, previous, kept, hand_edits)
    booking = book(window, requests, list(appointments), {v.visit_id: (v.credit_code, v.date) for v in kept},
                   set(forced))
    schedule = booking.solve(lambda narrowed: _solve(window, narrowed, needs, the_draw.seed, dataset.workdays, limit,
                                                     previous=before, progress=progress, stop=stop, load=load,
                                                     forced=forced))
    plan = assemble(dataset, schedule, kept, kept_assignments, _left_behind(the_draw, kept) + closed)
    plan.visits = mark_carried(plan.visits, earlier)
    if previous is not None:  # what was found stays found: results and their log carry over to every re-plan
        plan.results, plan.results_log = list(previous.results), list(previous.results_log)
    drawn = draw_files(the_draw)
    files = drawn | plan_files(plan)
    moves = plan_moves(dataset, previous, plan, list(missed), {e.credit_code for e in hand_edits}) \
        if previous is not None else []
    moves = with_appointment_reasons(moves, booking)
    if moves:
        files["changes.csv"] = moves_csv(moves)
    if appointments:
        files[APPOINTMENTS_FILE] = appointments_csv(dataset, booking.decisions, plan)
    salt_key = previous.record.salt_key if previous and previous.record and previous.record.salt_key \
        else commitment.salt_key_for(the_draw.seed, files)
    leaves = set(visit_leaves(plan.visits, dataset, salt_key).values())
    plan.record = PlanRecord(DrawRecord.of(the_draw, drawn, knocks_of_draw(the_draw)),
                             solver_record(schedule, limit), plan_metrics(dataset, plan), list(changes),
                             len(moves) if previous is not None else None, [],
                             plan_parameters(dataset.settings) | free_parameters(today, start, dataset.settings.end),
                             salt_key=salt_key, previous_quarters=earlier.to_json() if earlier else {})
    plan.record.commitment_chain = _chain(previous, list(changes), today, the_draw, files | _record_file(plan.record),
                                          leaves)
    warnings = _new_conflicts(dataset, previous_dataset, kept, today)
    if today is not None and not window.workdays:
        warnings.append(period_over_note(today, dataset, len(closed)))
    return PlanRun(dataset, the_draw, plan, files, moves, warnings, previous=previous,
                   appointments=booking.decisions)


def _new_conflicts(dataset: Dataset, before: Dataset | None, kept: list[Visit], today: date | None) -> list[str]:
    """The conflicts of kept visits with this re-plan's changes (those of earlier changes were said then)."""
    if today is None:
        return []
    known = set(kept_conflicts(before, kept, today)) if before is not None else set()
    return [conflict for conflict in kept_conflicts(dataset, kept, today) if conflict not in known]


def _solve(window: Dataset, requests: list[VisitRequest], needs: list[RecheckNeed], seed: str,
           workdays: list[date], limit: float, **how) -> Schedule:
    """The schedule; a late re-check that its first possible day could not hold is given every later day and
    the schedule made again (a re-check is never dropped while a day is left)."""
    schedule = build_schedule(window, requests, time_limit_s=limit, **how)
    by_code = {need.credit_code: need for need in needs}
    stuck = [r for r, stage in schedule.left_out.items()
             if requests[r].late and stage != "blocked" and requests[r].credit_code in by_code]
    if not stuck:
        return schedule
    for r in stuck:
        requests[r] = recheck_request(window, seed, by_code[requests[r].credit_code], workdays, widen=True)
    return build_schedule(window, requests, time_limit_s=limit, **how)


def _record_file(record: PlanRecord) -> dict[str, bytes]:
    """record.json as a file to commit to: its body is covered by the link (commitment.record_digest)."""
    return {RECORD_FILE: record_bytes(record)}


def _recheck_needs(previous: Plan | None, kept: list[Visit]) -> list[RecheckNeed]:
    """集成改一次: the re-checks the results call for, but those already kept."""
    if previous is None:
        return []
    done = {v.credit_code for v in kept if v.kind == "recheck"}
    return [need for need in recheck_needs(previous.visits, previous.results) if need.credit_code not in done]


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


def _left_behind(the_draw: Draw, kept: list[Visit]) -> list[Unscheduled]:
    """Items newly drawn for a business whose visit is already past or locked: named, not silently dropped."""
    visited = {v.credit_code: set(v.item_ids) for v in kept}
    out = []
    for code, pairs in the_draw.by_business().items():
        new = tuple(sorted({p.item_id for p in pairs} - visited.get(code, {p.item_id for p in pairs})))
        if new:
            out.append(Unscheduled(code, new, "该对象本期的检查已完成或已锁定，新抽中的事项请转下期或另行安排"))
    return out


def _chain(previous: Plan | None, changes: list[str], today: date | None, the_draw: Draw,
           files: dict[str, bytes], leaves: set[str]) -> list[dict]:
    """The commitment chain: a first link for a new plan, one more for a re-plan (with the changes it adds),
    each over the visits' leaves and the files."""
    if previous is None or previous.record is None or not previous.record.commitment_chain:
        event = commitment.plan_event(the_draw.seed, the_draw.period, changes, today)
        return commitment.extend([], event, files, leaves)
    new = changes[len(previous.record.changes):]
    return commitment.extend(previous.record.commitment_chain, commitment.replan_event(new, today), files, leaves)
