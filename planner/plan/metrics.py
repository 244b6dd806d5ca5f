"""Figures that judge a plan: door knocks, balance per (department, 片区), travel, loans, pace."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict

from models.dataset import Dataset
from planner.plan.model import Plan


def balance_rows(dataset: Dataset, plan: Plan) -> list[dict]:
    """Per (department, 片区): visits and minutes of its certified, present officers; spread and CV."""
    visits = Counter(a.inspector_id for a in plan.assignments)
    minutes_of = {v.visit_id: v.minutes for v in plan.visits}
    minutes = Counter()
    for a in plan.assignments:
        minutes[a.inspector_id] += minutes_of[a.visit_id]
    rows = []
    for (dept_id, zone_id), people in sorted(dataset.balance_cells.items()):
        counts = [visits[p] for p in people]
        mins = [minutes[p] for p in people]
        mean = statistics.fmean(counts)
        rows.append({
            "dept_id": dept_id, "zone_id": zone_id, "inspectors": len(people),
            "min_visits": min(counts), "max_visits": max(counts), "spread": max(counts) - min(counts),
            "cv": round(statistics.pstdev(counts) / mean, 4) if mean else 0.0,
            "min_minutes": min(mins), "max_minutes": max(mins), "minutes_spread": max(mins) - min(mins),
        })
    return rows


def plan_metrics(dataset: Dataset, plan: Plan) -> dict:
    balance = balance_rows(dataset, plan)
    inspector_zone = {p.inspector_id: p.zone_id for p in dataset.inspectors}
    visit_zone = {v.visit_id: v.zone_id for v in plan.visits}
    towns = defaultdict(set)
    for a in plan.assignments:
        towns[a.inspector_id, a.date].add(a.town_id)
    per_day = [len(t) for t in towns.values()]
    return {
        "visits": len(plan.visits),
        "unscheduled": len(plan.unscheduled),
        "assignments": len(plan.assignments),
        "max_spread": max((row["spread"] for row in balance), default=0),
        "cells_spread_over_1": sum(row["spread"] > 1 for row in balance),
        "mean_cv": round(statistics.fmean([row["cv"] for row in balance]), 4) if balance else 0.0,
        "towns_per_inspector_day": round(statistics.fmean(per_day), 4) if per_day else 0.0,
        "inspector_days_multi_town": sum(n > 1 for n in per_day),
        "cross_zone_loans": sum(inspector_zone[a.inspector_id] != visit_zone[a.visit_id] for a in plan.assignments),
        "zone_load_cv": _zone_load_cv(dataset, plan),
        "balance": balance,
    }


def _zone_load_cv(dataset: Dataset, plan: Plan) -> float:
    """CV across 片区 of on-site inspector-visits per available certified inspector-day."""
    work = Counter(v.zone_id for v in plan.visits for _ in v.inspector_ids)
    days = Counter()
    for p in dataset.inspectors:
        if p.certified:
            days[p.zone_id] += len(dataset.presence[p.inspector_id])
    loads = [work[z.zone_id] / days[z.zone_id] for z in dataset.zones if days[z.zone_id]]
    mean = statistics.fmean(loads) if loads else 0.0
    return round(statistics.pstdev(loads) / mean, 4) if mean else 0.0
