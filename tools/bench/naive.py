"""The reference the decomposition must beat: one CP-SAT model of the same rules and the same objective levels,
with one Boolean per (visit, shortlisted officer, day) and no stages, slices, pinning or warm start.

Hard rules as in the engine: a visit on one of its allowed days with exactly the officers each department
needs, all present that day; an inspector-day holds its minutes and one town. Levels in the engine's order:
leave no visit out; balance between 片区 (zone_balance); fewest loans; fair share within each cell; an even
weekly pace. The level functions are the engine's own (teams.py, days.py), so the two solve the same problem.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from models.dataset import Dataset
from planner.plan.assemble import assemble
from planner.plan.model import Plan
from planner.schedule.days import DayModel, pace_excess
from planner.schedule.engine import Schedule
from planner.schedule.levels import Level, LexResult, solve_levels
from planner.schedule.problem import Held, Team, VisitRequest
from planner.schedule.teams import Load, TeamModel, loan_terms, spread_level, zone_levels
from tools.bench.highs import MipResult, solve_levels_mip


@dataclass
class NaiveModel:
    model: cp_model.CpModel
    on: dict[tuple[int, str, date], cp_model.IntVar]  # (request, officer, day) -> on the team that day
    teams: TeamModel  # member[r, p] = Σ_day on[r, p, day]
    days: DayModel  # on_day[r, day]: the visit happens that day
    levels: list[Level]


def build_naive_model(dataset: Dataset, requests: list[VisitRequest]) -> NaiveModel:
    model = cp_model.CpModel()
    on: dict[tuple[int, str, date], cp_model.IntVar] = {}
    teams, days = TeamModel(model, {}, []), DayModel(model, {}, [])
    inspector_day: dict[tuple[str, date], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for r, request in enumerate(requests):
        left_out = model.new_bool_var(f"left_out_{r}")
        teams.left_out.append(left_out)
        days.left_out.append(left_out)
        allowed = [] if request.blocker else list(request.days)
        for day in allowed:
            happens = days.on_day[r, day] = model.new_bool_var(f"day_{r}_{day:%m%d}")
            for dept_id, people in request.candidates.items():
                present = [p for p in people if day in dataset.presence[p]]
                for p in present:
                    var = on[r, p, day] = model.new_bool_var(f"on_{r}_{p}_{day:%m%d}")
                    inspector_day[p, day].append((r, var))
                model.add(sum(on[r, p, day] for p in present) == request.needs[dept_id] * happens)
        model.add_exactly_one([days.on_day[r, d] for d in allowed] + [left_out])
        for p in request.all_candidates():
            member = teams.member[r, p] = model.new_bool_var(f"member_{r}_{p}")
            model.add(member == sum(on[r, p, d] for d in allowed if (r, p, d) in on))
    for (p, _day), work in sorted(inspector_day.items()):
        model.add(sum(requests[r].minutes * var for r, var in work) <= dataset.inspector[p].day_minutes)
        _one_town(model, work, requests)
    load = Load(days={p: len(d) for p, d in dataset.presence.items()})
    loans = loan_terms(teams, requests, dataset)
    levels = [Level("left_out", sum(teams.left_out), len(requests)), *zone_levels(teams, dataset, load),
              Level("loans", sum(loans), len(loans)), spread_level(teams, dataset, load),
              Level("pace_excess", sum(pace_excess(days, dataset, requests, Held())), len(requests))]
    return NaiveModel(model, on, teams, days, [level for level in levels if level.upper > 0])


def _one_town(model: cp_model.CpModel, work, requests: list[VisitRequest]) -> None:
    by_town: dict[str, list] = defaultdict(list)
    for r, var in work:
        by_town[requests[r].business.town_id].append(var)
    if len(by_town) > 1:
        there = [model.new_bool_var("") for _ in by_town]
        for flag, town in zip(there, sorted(by_town)):
            model.add_max_equality(flag, by_town[town])
        model.add_at_most_one(there)


def naive_plan(dataset: Dataset, requests: list[VisitRequest], time_limit_s: float) -> tuple[Plan, LexResult]:
    """The single model solved level by level within `time_limit_s` (deterministic) seconds, as a plan."""
    m = build_naive_model(dataset, requests)
    solved = solve_levels(m.model, m.levels, list(m.on.values()), time_limit_s)
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


def _plan(dataset: Dataset, requests: list[VisitRequest], m: NaiveModel, chosen) -> Plan:
    schedule = Schedule(requests)
    for r, request in enumerate(requests):
        day = next((d for d in request.days if (r, d) in m.days.on_day and chosen(m.days.on_day[r, d])), None)
        if day is None:
            schedule.left_out[r] = "blocked" if request.blocker else "teams"
            continue
        members = tuple(p for p in request.all_candidates() if (r, p, day) in m.on and chosen(m.on[r, p, day]))
        schedule.teams[r] = Team(members, (day,))
        schedule.days[r] = day
    return assemble(dataset, schedule)
