"""Benchmarks (`python -m planner bench`): figures side by side with the baselines the issues name.

Each function returns the lines to show; the command line prints them. Never a timed test.
"""
from __future__ import annotations

import time
import unicodedata
from collections import Counter
from datetime import timedelta
from pathlib import Path

from models.dataset import Dataset
from planner.check.rules import check_plan
from planner.draw import draw
from planner.draw.prn import choose_seed
from planner.plan.metrics import plan_metrics
from planner.schedule.problem import visit_requests
from planner.whatif.replan import run_plan
from tools.bench.baselines import greedy_plan, separate_practice_plan

COUNTY = "fixtures/changshan"
BENCH_SEED = "20261001"  # used when the dataset's settings.toml has no seed, so runs compare
ROWS = [("visits", "上门次数 door knocks"), ("unscheduled", "未排程 unscheduled"),
        ("max_spread", "部门×片区最大负荷差 max−min"), ("mean_cv", "负荷变异系数均值 mean CV"),
        ("towns_per_inspector_day", "每人每日乡镇数 towns/inspector-day"),
        ("cross_zone_loans", "跨片区借调 cross-zone loans"), ("wall_s", "用时 wall s"),
        ("bound", "最优下界 best bound"), ("gap", "差距 gap"), ("violations", "违反硬规则 rule violations")]


def city_dataset(folder: Path) -> str:
    from tools.fixture import write_dataset
    out = folder / "city"
    write_dataset(out, "city", 7)
    return str(out)


def bench_seed(dataset: Dataset) -> str:
    return choose_seed(dataset.settings.seed, BENCH_SEED).value


def bench_plan(dataset: Dataset, label: str, time_limit: float | None) -> list[str]:
    """(a) each department alone at random, (b) greedy least-loaded, (c) this planner — on one draw."""
    the_draw = draw(dataset, bench_seed(dataset))
    requests = visit_requests(dataset, the_draw)
    columns = {}
    for name, make in (("(a) 各部门分别检查 today", lambda: separate_practice_plan(dataset, requests)),
                       ("(b) 贪心 greedy", lambda: greedy_plan(dataset, requests)),
                       ("(c) CP-SAT 本系统", lambda: run_plan(dataset, seed=the_draw.seed,
                                                            time_limit_s=time_limit).plan)):
        started = time.perf_counter()
        plan = make()
        figures = plan_metrics(dataset, plan)
        figures["wall_s"] = round(time.perf_counter() - started, 1)
        solver = plan.record.solver if plan.record is not None else None
        figures["bound"] = f"{solver.bound:,.0f}" if solver and solver.bound is not None else "—"
        figures["gap"] = f"{solver.gap:.4%}" if solver and solver.gap is not None else "—"
        joint = "(a)" not in name  # today's practice knocks once per department: the joint-visit rule is moot
        figures["violations"] = len(check_plan(dataset, plan, the_draw)) if joint else "—"
        columns[name] = figures
    return [f"\n{label}: {len(dataset.businesses)} 检查对象, {len(dataset.inspectors)} 检查人员, "
            f"{len(dataset.workdays)} 工作日, 抽中 {len(requests)} 家 / {len(the_draw.pairs)} 个(事项,对象)",
            *table(columns)]


def bench_replan(dataset: Dataset, label: str, time_limit: float | None) -> list[str]:
    """A what-if: the busiest inspector is absent for a week; time and moves of the minimal re-plan."""
    first = run_plan(dataset, seed=bench_seed(dataset), time_limit_s=time_limit)
    busiest, _ = Counter(a.inspector_id for a in first.plan.assignments).most_common(1)[0]
    days = sorted({a.date for a in first.plan.assignments if a.inspector_id == busiest})
    change = f"absent:{busiest}:{days[0]}:{days[0] + timedelta(days=6)}"
    started = time.perf_counter()
    again = run_plan(dataset, previous=first.plan, changes=[change], time_limit_s=time_limit)
    wall = time.perf_counter() - started
    clash = [a for a in again.plan.assignments if a.inspector_id == busiest
             and not again.dataset.is_present(busiest, a.date)]
    solver = again.record.solver
    return [f"{label}: 变化 {change}；重排用时 {wall:.1f} 秒，调整 {len(again.moves)}/{len(first.plan.visits)} 次检查，"
            f"缺勤期内仍有安排 {len(clash)} 次，求解状态 {solver.status if solver else '—'}"]


def table(columns: dict[str, dict]) -> list[str]:
    names = list(columns)
    width = max(_width(label) for _, label in ROWS) + 2
    lines = [_pad("", width) + "".join(_pad(n, 24, right=True) for n in names)]
    for key, label in ROWS:
        lines.append(_pad(label, width) + "".join(_pad(str(columns[n].get(key, "—")), 24, right=True)
                                                  for n in names))
    return lines


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - _width(text), 0)
    return space + text if right else text + space
