"""The planner's entry point: plans and re-plans from a base dataset and every what-if change since it — what the
command line, plan-many, the app and verify --resolve call."""
from __future__ import annotations

import threading
from datetime import date

from models.dataset import Dataset
from models.problems import UserError
from planner.draw.prn import choose_seed
from planner.draw.year import QuarterShare
from planner.plan.changes import apply_changes
from planner.plan.model import Plan
from planner.plan.pipeline import PlanRun, make_plan
from planner.plan.previous import EarlierQuarters, check_earlier_periods
from planner.schedule.solve import ProgressFn


def run_plan(dataset: Dataset, *, seed: str | None = None, previous: Plan | None = None,
             changes: list[str] = (), today: date | None = None, time_limit_s: float | None = None,
             quarters: EarlierQuarters | None = None, share: QuarterShare | None = None,
             progress: ProgressFn | None = None, stop: threading.Event | None = None) -> PlanRun:
    """The whole job. `dataset` is the base dataset and `changes` every what-if change since it: a re-plan's
    list starts with the previous plan's recorded changes (checked: a UserError says which differs), then the
    new ones. A re-plan keeps the previous plan's seed, so the draw stays the same draw. With `today`, past and
    locked visits of `previous` stay as they are (planner.plan.locking); only this re-plan's `missed:` visits
    are placed again. `quarters`: the year's earlier quarters (planner.quarter.year reads them); a re-plan
    without it keeps what the previous plan recorded of them. `share`: with ratio_basis = "year", the quarter's
    share of the annual plan (a re-plan keeps its recorded one). Write the result with
    planner.check.self_check.write_verified."""
    changes = list(changes)
    recorded = list(previous.record.changes) if previous is not None and previous.record is not None else []
    check_carried_over(recorded, changes)
    earlier = apply_changes(dataset, recorded)
    applied = apply_changes(dataset, changes[len(recorded):], after=earlier)  # each change applied once
    recorded_seed = previous.record.seed if previous is not None and previous.record is not None else None
    chosen = choose_seed(seed, recorded_seed, applied.dataset.settings.seed)
    if quarters is None and previous is not None and previous.record is not None:
        quarters = EarlierQuarters.from_json(previous.record.previous_quarters)
    if quarters:
        check_earlier_periods(quarters, applied.dataset)
    share = quarter_share(applied.dataset, share, previous)
    run = make_plan(applied.dataset, chosen.value, previous=previous, changes=changes, urgent=applied.urgent,
                    missed=applied.missed[len(earlier.missed):], today=today, time_limit_s=time_limit_s,
                    earlier=quarters, share=share, hand_edits=applied.hand_edits[len(earlier.hand_edits):],
                    appointments=applied.appointments,
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


def quarter_share(dataset: Dataset, share: QuarterShare | None, previous: Plan | None) -> QuarterShare | None:
    """ratio_basis = "year" draws the quarter's share of the annual plan: given, or the previous plan's; a
    UserError when there is none (and when one is given for ratio_basis = "period")."""
    recorded = previous.record.draw.parameters.get("annual") if previous is not None and previous.record else None
    if dataset.settings.ratio_basis != "year":
        if share is not None:
            raise UserError("给出了年度抽查计划，但 settings.toml 的 ratio_basis 不是 \"year\"；"
                            "请在 settings.toml 中写 ratio_basis = \"year\"，或不给 --annual-plan")
        return None
    if share is None and recorded:
        share = QuarterShare.from_json(recorded)
    if share is None:
        raise UserError("ratio_basis = \"year\"：各季度抽取年度抽查计划中的份额。请先运行 python -m planner plan-year "
                        "数据集 --year 年份 --out 年度计划文件夹，再用 --annual-plan 年度计划文件夹 制定本季度方案")
    period = dataset.settings.period
    if (share.year, share.quarter) != (period.year, period.quarter):
        raise UserError(f"年度抽查计划的份额属于 {share.year} 年第 {share.quarter} 季度，本期是 {period}")
    return share
