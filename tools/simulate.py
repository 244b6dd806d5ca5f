"""Simulated results: what the departments would record for the visits before a day (benchmarks, closing notes).

Every check (visit × item) before `until` gets a result on its planned day by the officers planned for it: a
share `problems` 发现问题已责令改正 with a deadline 15 calendar days later (so 集成改一次 has re-checks to plan),
the rest 未发现问题. The choice per check comes from `random.Random(seed)`: the same plan and seed, the same file.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from models.dataset import Dataset
from models.records import DISPOSAL_LABELS, NO_PROBLEM, RECTIFY, RESULT_LABELS
from planner.output import csv_bytes
from planner.plan.folder import RESULT_COLUMNS
from planner.plan.model import Plan

FOUND = RESULT_LABELS[1]  # 发现问题已责令改正
NO_ACTION = DISPOSAL_LABELS[0]  # 无需处置
RECTIFY_DAYS = 15


def simulate_results(plan: Plan, dataset: Dataset, until: date, problems: float, seed: int) -> list[list[str]]:
    """Rows in results.csv's columns (published_on left empty) for every check dated before `until`."""
    rng = random.Random(seed)
    team = {(a.visit_id, a.dept_id): [] for a in plan.assignments}
    for a in plan.assignments:
        team[a.visit_id, a.dept_id].append(a.inspector_id)
    rows = []
    for visit in sorted(plan.visits, key=lambda v: (v.date, v.visit_id)):
        if visit.date >= until:
            continue
        for item_id in visit.item_ids:
            dept_id = dataset.item[item_id].dept_id
            found = rng.random() < problems
            rows.append([visit.visit_id, item_id, visit.date.isoformat(), FOUND if found else NO_PROBLEM,
                         RECTIFY if found else NO_ACTION,
                         (visit.date + timedelta(days=RECTIFY_DAYS)).isoformat() if found else "",
                         ";".join(team.get((visit.visit_id, dept_id), ())), "模拟：消防通道堵塞" if found else "", ""])
    return rows


def results_csv(rows: list[list[str]]) -> bytes:
    return csv_bytes(RESULT_COLUMNS, rows)
