"""The reference the decomposition must beat: the joint model of both stages (planner.schedule.joint, one Boolean
per (visit, shortlisted officer, day)) over every visit, with no stages, slices, pinning or warm start.

Levels in the engine's order: leave no visit out; balance between 片区 (zone_balance); fewest loans; fair share
within each cell; an even weekly pace. The rules and the level functions are the engine's own (joint.py,
teams.py, days.py), so the two solve the same problem.
"""
from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.dataset import Dataset
from planner.plan.assemble import assemble
from planner.plan.model import Plan
from planner.schedule.days import pace_excess
from planner.schedule.engine import Schedule
from planner.schedule.joint import JointModel, build_joint_model
from planner.schedule.levels import Level, LexResult, solve_levels
from planner.schedule.problem import Held, Team, VisitRequest
from planner.schedule.teams import Load, loan_terms, spread_level, zone_levels
from tools.bench.highs import MipResult, solve_levels_mip


@dataclass
class NaiveModel:
    joint: JointModel  # the one model of both stages (planner.schedule.joint)
    levels: list[Level]

    @property
    def model(self) -> cp_model.CpModel:
        return self.joint.model


def build_naive_model(dataset: Dataset, requests: list[VisitRequest]) -> NaiveModel:
    joint = build_joint_model(dataset, requests)
    load = Load(days={p: len(d) for p, d in dataset.presence.items()})
    loans = loan_terms(joint.teams, requests, dataset)
    levels = [Level("left_out", sum(joint.teams.left_out), len(requests)), *zone_levels(joint.teams, dataset, load),
              Level("loans", sum(loans), len(loans)), spread_level(joint.teams, dataset, load),
              Level("pace_excess", sum(pace_excess(joint.days, dataset, requests, Held())), len(requests))]
    return NaiveModel(joint, [level for level in levels if level.upper > 0])


def naive_plan(dataset: Dataset, requests: list[VisitRequest], time_limit_s: float) -> tuple[Plan, LexResult]:
    """The single model solved level by level within `time_limit_s` (deterministic) seconds, as a plan."""
    m = build_naive_model(dataset, requests)
    solved = solve_levels(m.model, m.levels, list(m.joint.on.values()), time_limit_s)
    return _plan(dataset, requests, m, lambda var: solved.solver is not None and bool(solved.solver.value(var))), \
        solved


def naive_plan_highs(dataset: Dataset, requests: list[VisitRequest], time_limit_s: float) -> tuple[Plan, MipResult]:
    """The same single model as a MIP solved by HiGHS, level by level within `time_limit_s` wall seconds."""
    m = build_naive_model(dataset, requests)
    solved = solve_levels_mip(m.model, m.levels, time_limit_s)
    values = solved.solution
    return _plan(dataset, requests, m, lambda var: values is not None and values[var.index] > 0.5), solved


def naive_size(dataset: Dataset, requests: list[VisitRequest]) -> int:
    """The naive model's (visit, officer, day) Booleans, counted without building it."""
    return sum(sum(1 for people in request.candidates.values() for p in people for day in request.days
                   if day in dataset.presence[p]) for request in requests if not request.blocker)


def _plan(dataset: Dataset, requests: list[VisitRequest], m: NaiveModel, value) -> Plan:
    schedule = Schedule(requests)
    chosen = m.joint.chosen(value, requests)
    for r, request in enumerate(requests):
        if r in chosen:
            day, members = chosen[r]
            schedule.teams[r], schedule.days[r] = Team(members, (day,)), day
        else:
            schedule.left_out[r] = "blocked" if request.blocker else "teams"
    return assemble(dataset, schedule)
