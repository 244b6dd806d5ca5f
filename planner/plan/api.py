"""The planner's entry point: plans and re-plans from a base dataset and every what-if change since it — what the
command line, plan-many, the app and verify --resolve call."""
from __future__ import annotations

import threading
from datetime import date

from models.dataset import Dataset
from models.problems import UserError
from planner.draw.prn import choose_seed
from planner.plan.changes import apply_changes
from planner.plan.model import Plan
from planner.plan.pipeline import PlanRun, make_plan
from planner.schedule.solve import ProgressFn


def run_plan(dataset: Dataset, *, seed: str | None = None, previous: Plan | None = None,
             changes: list[str] = (), today: date | None = None, time_limit_s: float | None = None,
             progress: ProgressFn | None = None, stop: threading.Event | None = None) -> PlanRun:
    """The whole job. `dataset` is the base dataset and `changes` every what-if change since it: a re-plan's
    list starts with the previous plan's recorded changes (checked: a UserError says which differs), then the
    new ones. A re-plan keeps the previous plan's seed, so the draw stays the same draw. With `today`, past and
    locked visits of `previous` stay as they are (planner.plan.locking); only this re-plan's `missed:` visits
    are placed again. Write the result with planner.check.self_check.write_verified."""
    changes = list(changes)
    recorded = list(previous.record.changes) if previous is not None and previous.record is not None else []
    check_carried_over(recorded, changes)
    earlier = apply_changes(dataset, recorded)
    applied = apply_changes(dataset, changes[len(recorded):], after=earlier)  # each change applied once
    recorded_seed = previous.record.seed if previous is not None and previous.record is not None else None
    chosen = choose_seed(seed, recorded_seed, applied.dataset.settings.seed)
    run = make_plan(applied.dataset, chosen.value, previous=previous, changes=changes, urgent=applied.urgent,
                    missed=applied.missed[len(earlier.missed):], today=today, time_limit_s=time_limit_s,
                    hand_edits=applied.hand_edits[len(earlier.hand_edits):],
                    previous_dataset=earlier.dataset if previous is not None else None, progress=progress, stop=stop)
    run.base = dataset
    return run


def check_carried_over(recorded: list[str], changes: list[str]) -> None:
    """A re-plan's changes begin with every change the previous plan recorded, in order; else a UserError."""
    for n, was in enumerate(recorded):
        given = changes[n] if n < len(changes) else None
        if given != was:
            raise UserError(f"重排的变化清单应以上一版方案记录的 {len(recorded)} 项变化开头（record.json → changes），"
                            f"第 {n + 1} 项应为「{was}」，实际{'是「' + given + '」' if given else '缺少这一项'}。"
                            "请先按原顺序列出上一版的全部变化，再写新的变化")
