"""The draw at province scale: a county's and 1,000,000 businesses built in memory (no CSV), each phase timed.

The registry is the county fixture's, its businesses replaced by `count` synthetic ones spread over the same
towns, categories and risk classes; staff, items and history stay. Figures only: never a timed test.
"""
from __future__ import annotations

import dataclasses
import hashlib
import math
import random
import time

from models.credit_code import check_character
from models.dataset import Dataset
from models.records import RISK_LEVELS, Business
from planner.draw import prn
from planner.draw.frames import build_frames, drawn_pairs
from planner.draw.orders import draw_orders
from tools.bench import bench_seed

PROVINCE_BUSINESSES = 10_000_000  # registered market entities in Zhejiang, rounded down
PROVINCE_COUNTIES = 90


def registry(base: Dataset, count: int, seed: int = 1) -> Dataset:
    """`base` with `count` synthetic businesses (valid, unique credit codes) in its towns and categories."""
    rng = random.Random(f"draw-scale/{seed}")
    towns = [t.town_id for t in base.towns]
    categories = [c.category_id for c in base.categories]
    businesses = []
    for n in range(count):
        first17 = f"9{1 + n % 2}330822MA{n:07X}"
        businesses.append(Business(first17 + check_character(first17), f"企业{n}", rng.choice(towns),
                                   rng.choice(categories), rng.choices(RISK_LEVELS, weights=(40, 35, 18, 7))[0],
                                   0.0, 0.0, exempt=rng.random() < 0.04))
    return dataclasses.replace(base, businesses=businesses)


def bench_draw_scale(base: Dataset, count: int) -> list[str]:
    """The draw's phases for one county of the province's average size and for `count` businesses, and the
    whole province (PROVINCE_BUSINESSES) extrapolated from the growth between the two."""
    county = PROVINCE_BUSINESSES // PROVINCE_COUNTIES
    lines, totals = [], {}
    for n in sorted({county, count}):
        phase_lines, totals[n] = _phases(base, n)
        lines += phase_lines
    if len(totals) == 2:
        (n0, t0), (n1, t1) = sorted(totals.items())
        growth = math.log(t1 / t0) / math.log(n1 / n0)
        lines.append(f"外推到全省 {PROVINCE_BUSINESSES:,} 家（一次抽取）：线性 {t1 * PROVINCE_BUSINESSES / n1:.0f} 秒；"
                     f"按实测增长（用时 ∝ 规模^{growth:.2f}）{t1 * (PROVINCE_BUSINESSES / n1) ** growth:.0f} 秒。"
                     f"按县分别抽取（{PROVINCE_COUNTIES} 个县，每县约 {county:,} 家）：每县 {t0:.1f} 秒，"
                     f"共 {t0 * PROVINCE_COUNTIES / 60:.1f} 分钟（各县并行时再除以核数）")
    return lines


def _phases(base: Dataset, count: int) -> tuple[list[str], float]:
    started = time.perf_counter()
    dataset = registry(base, count)
    built_s = time.perf_counter() - started
    seed = bench_seed(base)
    phases = {}

    def timed(name, make):
        started = time.perf_counter()
        value = make()
        phases[name] = time.perf_counter() - started
        return value

    timed("分组索引 grouping (dataset indexes)", lambda: (dataset.businesses_by_category_risk, dataset.business))
    codes = [b.credit_code for b in dataset.businesses]
    timed("  其中不计：仅 SHA-256 (hashlib)", lambda: [hashlib.sha256(f"{seed}|{c}".encode()).digest() for c in codes])
    timed("  其中不计：对象随机数 prn.business_key", lambda: [prn.business_key(seed, c) for c in codes])
    frames = timed("抽查对象框 frames (keys, filters, orders)", lambda: build_frames(dataset, seed))
    pairs = timed("抽中 drawn pairs", lambda: drawn_pairs(frames))
    orders, _, _ = timed("检查人员顺序 inspector orders", lambda: draw_orders(dataset, seed, pairs))
    total = sum(v for k, v in phases.items() if not k.startswith(" "))
    lines = [f"抽取规模：{count:,} 家检查对象（内存中生成 {built_s:.1f} 秒），{len(base.inspectors)} 名执法人员，"
             f"{len(base.items)} 个抽查事项；抽中 {len({p.credit_code for p in pairs}):,} 家 / {len(pairs):,} 项，"
             f"人员顺序 {len(orders):,} 份"]
    lines += [f"  {name:<44} {seconds:7.2f} 秒" for name, seconds in phases.items()]
    lines.append(f"  抽取合计 {total:.2f} 秒")
    return lines, total
