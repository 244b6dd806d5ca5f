"""Tiny scheduling instances whose answers are known by hand."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from ortools.sat.python import cp_model

from models.records import Town
from planner.schedule.problem import build_request
from tests.draw_helpers import business, item, make_dataset, officer

DAYS = [date(2026, 10, 12), date(2026, 10, 13), date(2026, 10, 14)]


def instance(n_businesses=2, *, towns=("T1", "T1"), minutes=120, absences=(), inspectors=None, **settings):
    """Businesses of category C3 checked by D3 alone (two officers each) over three working days."""
    businesses = [business(n, "C3", "A", towns[n % len(towns)]) for n in range(n_businesses)]
    items = [replace(item("I3", "D3", ["C3"], 1.0), minutes=minutes)]
    people = inspectors or [officer("A", "D3", "Z1"), officer("B", "D3", "Z1")]
    dataset = make_dataset(businesses, items, people, absences=absences, **settings)
    dataset = replace(dataset, workdays=list(DAYS),
                      towns=dataset.towns + [Town("T3", "紫港街道", "Z1", 28.95, 118.52)])
    requests = [build_request(dataset, b, ["I3"], {"D3": tuple(p.inspector_id for p in people)})
                for b in businesses]
    return dataset, requests


def solve(model: cp_model.CpModel) -> cp_model.CpSolver | None:
    """The model solved to optimality with one worker; None when it is infeasible."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
