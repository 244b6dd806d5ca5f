"""The whole job on one dataset: draw, schedule, assemble the plan and build its record — once."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from models.dataset import Dataset
from models.settings import plan_parameters
from planner.draw import Draw, draw
from planner.draw.files import DrawRecord, draw_files
from planner.draw.knocks import knocks_of_draw
from planner.plan import commitment
from planner.plan.assemble import assemble, solver_record
from planner.plan.folder import plan_files, write_plan_folder
from planner.plan.metrics import plan_metrics
from planner.plan.model import Plan
from planner.plan.moves import Move, moves_csv, plan_moves
from planner.plan.record import PlanRecord
from planner.schedule.engine import build_schedule
from planner.schedule.problem import visit_requests
from planner.schedule.solve import ProgressFn


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
              urgent: list[str] = (), time_limit_s: float | None = None, progress: ProgressFn | None = None,
              stop: threading.Event | None = None) -> PlanRun:
    """Draw from `seed`, schedule every drawn visit (and `urgent` ones) and build the plan with its record.

    With `previous`, move as little as the rules allow; `changes` (already applied to `dataset`) are recorded.
    """
    the_draw = draw(dataset, seed)
    limit = dataset.settings.time_limit_s if time_limit_s is None else time_limit_s
    before = {v.credit_code: (v.date, v.inspector_ids) for v in previous.visits} if previous else None
    schedule = build_schedule(dataset, visit_requests(dataset, the_draw, sorted(set(urgent))), time_limit_s=limit,
                              previous=before, progress=progress, stop=stop)
    plan = assemble(dataset, schedule)
    if previous is not None:  # what was found stays found: results and their log carry over to every re-plan
        plan.results, plan.results_log = list(previous.results), list(previous.results_log)
    drawn = draw_files(the_draw)
    files = drawn | plan_files(plan)
    moves = plan_moves(dataset, previous, plan) if previous is not None else []
    if moves:
        files["changes.csv"] = moves_csv(moves)
    plan.record = PlanRecord(DrawRecord.of(the_draw, drawn, knocks_of_draw(the_draw)),
                             solver_record(schedule, limit), plan_metrics(dataset, plan), list(changes),
                             len(moves) if previous is not None else None,
                             _chain(previous, list(changes), the_draw, files), plan_parameters(dataset.settings))
    return PlanRun(dataset, the_draw, plan, files, moves)


def _chain(previous: Plan | None, changes: list[str], the_draw: Draw, files: dict[str, bytes]) -> list[dict]:
    """The commitment chain: a first link for a new plan, one more for a re-plan (with the changes it adds)."""
    if previous is None or previous.record is None or not previous.record.commitment_chain:
        return commitment.extend([], commitment.plan_event(the_draw.seed, the_draw.period), files)
    new = changes[len(previous.record.changes):]
    return commitment.extend(previous.record.commitment_chain, commitment.replan_event(new), files)
