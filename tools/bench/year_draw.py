"""Benchmark of the annual plan's rotation (ratio_basis = "year"): per quarter, the door knocks its coordinated
draw needs against today's coordinated draw of the same sample sizes (a fresh seed each quarter, every stratum a
prefix of one shared order) and the uniform bound (the randomness limit: no uniform draw needs fewer on average).
Means over several year seeds, since one seed's count varies by a few percent either way."""
from __future__ import annotations

import statistics

from planner.draw import prn
from planner.draw.year import QUARTERS, AnnualPlan, build_annual_plan

SEEDS = 40  # one seed's count varies by ±2–3 %: 40 bring the means' noise to about ±0.5 %


def quarter_knocks(plan: AnnualPlan, quarter: int, baseline_seed: str) -> tuple[int, int, float]:
    """(rotation's visits, today's method's visits, uniform bound) of one quarter."""
    index = quarter - 1
    rotation = len({code for s in plan.strata for code in s.slices[index]})
    keys: dict[str, str] = {}
    today: set[str] = set()
    chance: dict[str, float] = {}
    for s in plan.strata:
        size = s.split[index]
        if not size:
            continue
        order = sorted(s.codes, key=lambda c: keys.setdefault(c, prn.business_key(baseline_seed, c)))
        today |= set(order[:size])
        for code in s.codes:
            chance[code] = max(chance.get(code, 0.0), size / s.frame_size)
    return rotation, len(today), sum(chance.values())


def year_lines(dataset, year: int = 2027, seeds: int = SEEDS) -> list[str]:
    figures = {q: [] for q in range(1, QUARTERS + 1)}
    for n in range(seeds):
        plan = build_annual_plan(dataset, year, f"bench-year-{n}")
        for q in figures:
            figures[q].append(quarter_knocks(plan, q, f"bench-year-{n}-Q{q}"))
    lines = [f"  年度抽查计划（ratio_basis = year，{year} 年，{seeds} 个年度种子的平均）：各季度上门家次"]
    for q, rows in figures.items():
        rotation, today, bound = (statistics.mean(column) for column in zip(*rows))
        lines.append(f"    第{q}季度：轮换抽取 {rotation:.1f}，按季度协调抽取（同样数量）{today:.1f}，"
                     f"等概率下限 {bound:.1f}；轮换比按季度多 {100 * (rotation / today - 1):+.2f}%，"
                     f"比下限多 {100 * (rotation / bound - 1):.2f}%（按季度 {100 * (today / bound - 1):.2f}%）")
    return lines
