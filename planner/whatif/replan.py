"""Plans and re-plans from a base dataset and every what-if change since it: the API the CLI and the app call."""
from __future__ import annotations

import threading
from datetime import date

from models.dataset import Dataset
from planner.draw.prn import choose_seed
from planner.plan.model import Plan
from planner.plan.pipeline import PlanRun, make_plan
from planner.schedule.solve import ProgressFn
from planner.whatif.changes import apply_changes


def run_plan(dataset: Dataset, *, seed: str | None = None, previous: Plan | None = None,
             changes: list[str] = (), today: date | None = None, time_limit_s: float | None = None,
             progress: ProgressFn | None = None, stop: threading.Event | None = None) -> PlanRun:
    """The whole job. `dataset` is the base dataset and `changes` every what-if change since it (a re-plan of
    a re-plan repeats the earlier changes); a re-plan keeps the previous plan's seed, so the draw stays the same
    draw. With `today`, past and locked visits of `previous` stay as they are (planner.plan.pipeline)."""
    applied = apply_changes(dataset, list(changes))
    earlier = apply_changes(dataset, previous.record.changes).hand_edits \
        if previous is not None and previous.record is not None else []
    recorded = previous.record.seed if previous is not None and previous.record is not None else None
    chosen = choose_seed(seed, recorded, applied.dataset.settings.seed)
    return make_plan(applied.dataset, chosen.value, previous=previous, changes=list(changes),
                     urgent=applied.urgent, missed=applied.missed, today=today, time_limit_s=time_limit_s,
                     hand_edits=applied.hand_edits[len(earlier):],
                     progress=progress, stop=stop)
