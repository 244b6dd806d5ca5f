"""Benchmarks (`python -m planner bench`): figures side by side with the baselines the issues name.

Each function returns the lines to show; the command line prints them. Never a timed test. Submodules: draw (with
year_draw, the annual plan's rotation), draw_scale, many, quarter, peers, export (the county's export with and
without the per-visit documents).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from models.dataset import Dataset
from models.loading import load_dataset
from planner.draw.prn import choose_seed
from planner.output import display_width
from planner.plan.api import run_plan
from planner.plan.changes import apply_changes
from planner.plan.folder import read_plan
from planner.plan.metrics import plan_metrics
from tools.bench.peers import PEER_ROWS, TIGHT_CHANGES, loans_lp_bound, peer_columns, proof, tight_lines
from tools.fixture import write_dataset

COUNTY = "fixtures/changshan"
TINY = "fixtures/tiny"
BENCH_SEED = "20261001"  # used when the dataset's settings.toml has no seed, so runs compare
ROWS = [("visits", "上门次数 door knocks"), ("unscheduled", "未排程 unscheduled"),
        ("max_spread", "部门×片区最大负荷差 max−min"), ("max_fair_spread", "与应得份额之差 vs fair share"),
        ("zone_ratio_max", "片区间负荷比 worst 片区 ratio"), ("cross_zone_loans", "跨片区借调 cross-zone loans"),
        ("towns_per_inspector_day", "每人每日乡镇数 towns/inspector-day"), ("wall_s", "用时 wall s"),
        ("times_c", "用时是(c)的倍数 wall ÷ (c)"), ("proof", "证明 proven"), ("violations", "违反硬规则 rule violations")]
BALANCE_MODES = ("off", "ratio:1.5", "ratio:1.25", "best")


def city_dataset(folder: Path) -> str:
    out = folder / "city"
    write_dataset(out, "city", 7)
    return str(out)


def holdout_dataset(folder: Path) -> str:
    """A county the planner was never tuned on, of the hold-out's size (fixture --scale county --seed 11
    --businesses 9000)."""
    out = folder / "holdout"
    write_dataset(out, "county", 11, 9000)
    return str(out)


def bench_seed(dataset: Dataset) -> str:
    return choose_seed(dataset.settings.seed, BENCH_SEED).value


def bench_plan(dataset: Dataset, label: str, time_limit: float | None) -> list[str]:
    """On one draw, side by side: (a) each department alone at random, (b) greedy least-loaded, (c) this planner,
    (d) the naive joint model in CP-SAT and (e) in HiGHS, with the same rules, levels and time limit; then the
    LP relaxation's bound of the loans level."""
    limit = time_limit if time_limit is not None else dataset.settings.time_limit_s
    columns, facts = peer_columns(dataset, bench_seed(dataset), limit)
    return [f"\n{label}: {len(dataset.businesses)} 检查对象, {len(dataset.inspectors)} 检查人员, "
            f"{len(dataset.workdays)} 工作日, 抽中 {len(facts['requests'])} 家 / {len(facts['draw'].pairs)} 个(事项,对象)；"
            f"时限 {limit:g} 秒；单一模型 {facts['naive_size'] / 1e6:.2f}M 个(检查,人员,日)变量",
            *table(columns, PEER_ROWS),
            f"  跨片区借调的 LP 下界 loans LP bound：{loans_lp_bound(dataset, facts['requests'], facts['record'], limit)}"]


def bench_tight(time_limit: float | None) -> list[str]:
    """The tight case (peers.TIGHT_CHANGES on the tiny fixture): nothing left out that the naive model places."""
    dataset = apply_changes(load_dataset(TINY), TIGHT_CHANGES).dataset
    return tight_lines(dataset, bench_seed(dataset), time_limit or dataset.settings.time_limit_s, table)


def bench_balance(dataset: Dataset, label: str, time_limit: float | None) -> list[str]:
    """The trade-off curve: per zone_balance setting, loans against the worst 片区 ratio (and each department's
    ratio), from one plan each. The draw's loan candidates come with zone balance, so `off` draws without them."""
    columns: dict[str, dict] = {}
    for mode in BALANCE_MODES:
        started = time.perf_counter()
        plan = run_plan(dataset, seed=bench_seed(dataset), changes=[f"set:zone_balance={mode}"],
                        time_limit_s=time_limit).plan
        figures = plan_metrics(dataset, plan)
        figures["wall_s"] = round(time.perf_counter() - started, 2)
        figures["proof"] = proof(plan.record.solver) if plan.record and plan.record.solver else "—"
        for row in figures["zones"]:
            figures[f"ratio_{row['dept_id']}"] = row["zone_ratio"] if row["zone_ratio"] is not None else "—"
        columns[mode] = figures
    default_s = columns["ratio:1.25"]["wall_s"]
    for figures in columns.values():
        figures["times_default"] = f"{figures['wall_s'] / default_s:.1f}×" if default_s else "—"
    departments = sorted({key[6:] for figures in columns.values() for key in figures if key.startswith("ratio_")})
    rows = [("cross_zone_loans", "跨片区借调 loans"), ("zone_ratio_max", "最大片区间负荷比 worst ratio"),
            *((f"ratio_{d}", f"  {dataset.department[d].name}") for d in departments),
            ("max_fair_spread", "与应得份额之差 vs fair share"), ("unscheduled", "未排程 unscheduled"),
            ("wall_s", "用时 wall s"), ("times_default", "用时是 ratio:1.25 的倍数"), ("proof", "证明 proven")]
    return [f"\n{label}: zone_balance 取不同值时的借调与片区均衡（同一种子）", *table(columns, rows)]


def bench_replan(dataset_path: str, label: str, time_limit: float | None) -> list[str]:
    """Three what-ifs from the command line (the busiest officer absent a week, an officer removed, an urgent
    visit with a deadline), each run twice: wall time of the whole command, moves, and whether the two runs
    wrote byte-identical plans. Today is a month into the quarter, as a coordinator would meet them."""
    dataset = load_dataset(dataset_path)
    with tempfile.TemporaryDirectory() as scratch:
        first = Path(scratch) / "first"
        first_s, _ = run_cli("plan", dataset_path, "--out", first, "--quiet", "--seed", bench_seed(dataset),
                             *(["--time-limit", time_limit] if time_limit else []))
        plan = read_plan(first)
        today = dataset.workdays[len(dataset.workdays) // 3]
        lines = [f"\n{label}: 首次排程（命令行）{first_s:.1f} 秒；今天 {today}"]
        for what, change in what_ifs(dataset, plan, today):
            outs = [Path(scratch) / f"{what}-{n}" for n in (1, 2)]
            seconds = [run_cli("plan", dataset_path, "--previous", first, "--today", today, "--quiet",
                               "--change", change, "--out", out)[0] for out in outs]
            same = all((outs[0] / f).read_bytes() == (outs[1] / f).read_bytes() for f in PLAN_FILES)
            moved = len((outs[0] / "changes.csv").read_text(encoding="utf-8-sig").splitlines()) - 1
            lines.append(f"  {what}: {change}\n    命令行用时 {seconds[0]:.2f} / {seconds[1]:.2f} 秒，调整 {moved} 次检查，"
                         f"两次结果{'逐字节相同' if same else '不同！'}")
    return lines


PLAN_FILES = ("visits.csv", "assignments.csv", "unscheduled.csv", "changes.csv")


def what_ifs(dataset: Dataset, plan, today) -> list[tuple[str, str]]:
    """The issue's three what-ifs against `plan`: the busiest officer away the week of their next visit after
    the lock, that officer removed, and an undrawn business of the busiest 片区 urgent within ten working days."""
    later = [a for a in plan.assignments if a.date > today]
    busiest, _ = Counter(a.inspector_id for a in later).most_common(1)[0]
    start = min(a.date for a in later if a.inspector_id == busiest and a.date >= today + timedelta(days=7))
    drawn = {v.credit_code for v in plan.visits}
    zone = Counter(v.zone_id for v in plan.visits).most_common(1)[0][0]
    business = next(b for b in dataset.businesses if b.credit_code not in drawn
                    and dataset.zone_of_business(b) == zone and dataset.items_by_category.get(b.category_id))
    deadline = dataset.workdays[min(dataset.workdays.index(today) + 10, len(dataset.workdays) - 1)]
    return [("缺勤一周 absent a week", f"absent:{busiest}:{start}:{start + timedelta(days=6)}"),
            ("调离 removed", f"remove:{busiest}"),
            ("紧急检查 urgent", f"urgent:{business.credit_code}:{deadline}")]


def run_cli(*args) -> tuple[float, str]:
    """`python -m planner ARGS` as a user runs it: its wall seconds and what it printed; its message on failure."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planner", *map(str, args)], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(map(str, args))}:\n{done.stderr}")
    return time.perf_counter() - started, done.stdout


def table(columns: dict[str, dict], rows=ROWS) -> list[str]:
    names = list(columns)
    width = max(display_width(label) for _, label in rows) + 2
    lines = [_pad("", width) + "".join(_pad(n, 26, right=True) for n in names)]
    for key, label in rows:
        lines.append(_pad(label, width) + "".join(_pad(_cell(columns[n].get(key)), 26, right=True)
                                                  for n in names))
    return lines


def _cell(value) -> str:
    return "—" if value is None else str(value)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - display_width(text), 0)
    return space + text if right else text + space
