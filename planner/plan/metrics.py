"""Figures that judge a plan: door knocks, balance per (department, 片区) and between 片区, travel, loans, pace."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict

import numpy as np

from models.dataset import Dataset
from planner.plan.model import Plan


def _loads(plan: Plan) -> tuple[Counter, Counter]:
    """inspector -> visits, inspector -> on-site minutes."""
    minutes_of = {v.visit_id: v.minutes for v in plan.visits}
    visits, minutes = Counter(), Counter()
    for a in plan.assignments:
        visits[a.inspector_id] += 1
        minutes[a.inspector_id] += minutes_of[a.visit_id]
    return visits, minutes


def balance_rows(dataset: Dataset, plan: Plan) -> list[dict]:
    """Per (department, 片区): visits and minutes of its certified, present officers; spread, spread against
    each officer's fair share (visits in proportion to available days) and CV."""
    visits, minutes = _loads(plan)
    rows = []
    for (dept_id, zone_id), people in sorted(dataset.balance_cells.items()):
        counts = np.array([visits[p] for p in people], dtype=float)
        mins = np.array([minutes[p] for p in people])
        days = np.array([len(dataset.presence[p]) for p in people], dtype=float)
        off = counts - counts.sum() * days / days.sum()  # against the fair share
        mean = counts.mean()
        rows.append({
            "dept_id": dept_id, "zone_id": zone_id, "inspectors": len(people),
            "min_visits": int(counts.min()), "max_visits": int(counts.max()), "spread": int(np.ptp(counts)),
            "fair_spread": round(float(np.ptp(off)), 2),
            "cv": round(float(counts.std() / mean), 4) if mean else 0.0,
            "min_minutes": int(mins.min()), "max_minutes": int(mins.max()), "minutes_spread": int(np.ptp(mins)),
        })
    return rows


def zone_rows(dataset: Dataset, plan: Plan) -> list[dict]:
    """Per department: load per 片区 (visits and minutes per available officer-day of its certified officers),
    the ratio between the busiest and the quietest 片区, and the loans its officers made."""
    visits, minutes = _loads(plan)
    zone_of_visit = {v.visit_id: v.zone_id for v in plan.visits}
    loans = Counter(a.dept_id for a in plan.assignments
                    if a.inspector_id in dataset.inspector
                    and dataset.inspector[a.inspector_id].zone_id != zone_of_visit[a.visit_id])
    by_dept: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for (dept_id, zone_id), people in sorted(dataset.balance_cells.items()):
        by_dept[dept_id][zone_id] = people
    rows = []
    for dept_id, zones in sorted(by_dept.items()):
        per_day = {z: _per_day(dataset, people, visits) for z, people in zones.items()}
        minutes_per_day = {z: _per_day(dataset, people, minutes) for z, people in zones.items()}
        rows.append({"dept_id": dept_id, "zones": len(zones),
                     "visits_per_day": {z: round(v, 4) for z, v in per_day.items()},
                     "zone_ratio": _ratio(per_day.values()), "minutes_ratio": _ratio(minutes_per_day.values()),
                     "loans": loans[dept_id]})
    return rows


def _per_day(dataset: Dataset, people: list[str], load: Counter) -> float:
    days = sum(len(dataset.presence[p]) for p in people)
    return sum(load[p] for p in people) / days if days else 0.0


def _ratio(values) -> float | None:
    """Busiest ÷ quietest; None with one 片区 or a 片区 without any load (no finite ratio)."""
    values = list(values)
    if len(values) < 2 or min(values) <= 0:
        return None
    return round(max(values) / min(values), 3)


def plan_metrics(dataset: Dataset, plan: Plan) -> dict:
    balance = balance_rows(dataset, plan)
    zones = zone_rows(dataset, plan)
    inspector_zone = {p.inspector_id: p.zone_id for p in dataset.inspectors}
    visit_zone = {v.visit_id: v.zone_id for v in plan.visits}
    towns = defaultdict(set)
    for a in plan.assignments:
        towns[a.inspector_id, a.date].add(a.town_id)
    per_day = [len(t) for t in towns.values()]
    ratios = [row["zone_ratio"] for row in zones if row["zone_ratio"] is not None]
    return {
        "visits": len(plan.visits),
        "unscheduled": len(plan.unscheduled),
        "assignments": len(plan.assignments),
        "max_spread": max((row["spread"] for row in balance), default=0),
        "max_fair_spread": max((row["fair_spread"] for row in balance), default=0.0),
        "cells_spread_over_1": sum(row["spread"] > 1 for row in balance),
        "mean_cv": round(statistics.fmean([row["cv"] for row in balance]), 4) if balance else 0.0,
        "towns_per_inspector_day": round(statistics.fmean(per_day), 4) if per_day else 0.0,
        "inspector_days_multi_town": sum(n > 1 for n in per_day),
        "cross_zone_loans": sum(inspector_zone.get(a.inspector_id) != visit_zone[a.visit_id]
                                for a in plan.assignments),
        "zone_ratio_max": max(ratios, default=None),
        "zone_load_cv": _zone_load_cv(dataset, plan),
        "balance": balance,
        "zones": zones,
    }


def _zone_load_cv(dataset: Dataset, plan: Plan) -> float:
    """CV across 片区 of on-site inspector-visits per available certified inspector-day."""
    work = Counter(v.zone_id for v in plan.visits for _ in v.inspector_ids)
    days = Counter()
    for p in dataset.inspectors:
        if p.certified:
            days[p.zone_id] += len(dataset.presence[p.inspector_id])
    loads = np.array([work[z.zone_id] / days[z.zone_id] for z in dataset.zones if days[z.zone_id]])
    mean = loads.mean() if len(loads) else 0.0
    return round(float(loads.std() / mean), 4) if mean else 0.0
