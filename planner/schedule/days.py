"""Stage 2 of the schedule: give every visit a working day for its chosen team (CP-SAT).

Hard: every member present that day, nobody over their daily on-site minutes, one town per inspector-day (the
engine relaxes this last rule, to the fewest towns, only when it would otherwise leave a visit out).
Objectives, in lexicographic order (solved level by level, see solve.solve_levels): leave no visit out; fewest
extra towns (when relaxed); in a re-plan, keep every date that may stay; spread each 片区's visits evenly over
the weeks.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Callable

from ortools.sat.python import cp_model

from models.dataset import Dataset
from planner.schedule.requests import Team, VisitRequest
from planner.schedule.solve import Level


MAX_CANDIDATE_DAYS = 16


@dataclass
class DayModel:
    model: cp_model.CpModel
    on_day: dict[tuple[int, date], cp_model.IntVar]  # (request index, day) -> visit happens that day
    left_out: list[cp_model.IntVar]
    extra_towns: list[cp_model.IntVar]  # per inspector-day: towns beyond the first
    levels: list[Level]

    def decisions(self) -> list[cp_model.IntVar]:
        return list(self.on_day.values()) + self.left_out


def week_of(day: date) -> tuple[int, int]:
    return day.isocalendar()[:2]


def build_day_model(dataset: Dataset, requests: list[VisitRequest], teams: list[Team],
                    previous: dict[str, date] | None, hint: dict[int, date] | None = None,
                    strict_towns: bool = True, pins: dict[int, date] | None = None) -> DayModel:
    """`teams[r]` is request r's chosen team; `previous`: credit code -> date in the plan being revised.
    With `strict_towns` every inspector-day stays in one town; otherwise extra towns are allowed at a cost.
    `pins`: request -> the date it keeps (a re-plan's untouched visits)."""
    model = cp_model.CpModel()
    on_day, left_out = {}, []
    work_of: dict[tuple[str, date], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    kept = []
    for r, (request, team) in enumerate(zip(requests, teams)):
        before = (previous or {}).get(request.credit_code)
        for day in candidate_days(team.days, {before, (hint or {}).get(r)}):
            var = on_day[r, day] = model.new_bool_var(f"day_{r}_{day:%m%d}")
            for p in team.members:
                work_of[p, day].append((r, var))
        out = model.new_bool_var(f"left_out_{r}")
        days = _days_of(on_day, r, team.days)
        model.add_exactly_one([on_day[r, d] for d in days] + [out])
        left_out.append(out)
        if before in days:
            kept.append(on_day[r, before])
        wanted = (hint or {}).get(r) if hint is not None else before  # a hint already keeps what may stay
        for day in days:
            model.add_hint(on_day[r, day], day == wanted)
        model.add_hint(out, wanted not in days)
        if pins and r in pins:
            model.add(on_day[r, pins[r]] == 1)

    extra_towns = []
    for (p, day), work in sorted(work_of.items()):
        limit = dataset.inspector[p].day_minutes
        if sum(requests[r].minutes for r, _ in work) > limit:
            model.add(sum(var * requests[r].minutes for r, var in work) <= limit)
        extra = _one_town(model, requests, work, f"{p}_{day:%m%d}")
        if extra is not None and strict_towns:
            model.add(extra == 0)
        elif extra is not None:
            extra_towns.append(extra)

    excess = _weekly_excess(model, dataset, requests, on_day)
    levels = [Level("left_out", sum(left_out), len(requests)),
              Level("extra_towns", sum(extra_towns), 0 if strict_towns else sum(len(t.members) for t in teams)),
              Level("moved_days", len(kept) - sum(kept), len(kept)),
              Level("pace_excess", sum(excess), len(requests))]
    return DayModel(model, on_day, left_out, extra_towns, [level for level in levels if level.upper > 0])


def candidate_days(days: tuple[date, ...], keep: set) -> list[date]:
    """At most MAX_CANDIDATE_DAYS of a team's common days, evenly spread over the period, plus `keep`.

    Inspectors carry about one visit a week, so a dozen well-spread candidate days leave the solver all the
    freedom it uses while cutting the model (and its solve time) four- to five-fold.
    """
    if len(days) <= MAX_CANDIDATE_DAYS:
        return list(days)
    step = len(days) / MAX_CANDIDATE_DAYS
    picked = {days[int(k * step)] for k in range(MAX_CANDIDATE_DAYS)}
    return sorted(picked | {d for d in keep if d in days})


def _days_of(on_day, r, days) -> list[date]:
    return [d for d in days if (r, d) in on_day]


def _one_town(model, requests, work, name) -> cp_model.IntVar | None:
    """Towns visited by one inspector on one day beyond the first (0 when the one-town rule holds)."""
    by_town: dict[str, list] = defaultdict(list)
    for r, var in work:
        by_town[requests[r].business.town_id].append(var)
    if len(by_town) < 2:
        return None
    in_town = []
    for town, vars_ in sorted(by_town.items()):  # there == OR(visits in that town): exact, for warm starts
        there = model.new_bool_var(f"town_{name}_{town}")
        model.add_max_equality(there, vars_)
        in_town.append(there)
    extra = model.new_int_var(0, len(in_town) - 1, f"extra_towns_{name}")
    model.add_max_equality(extra, [sum(in_town) - 1, 0])
    return extra


def weekly_pace(dataset: Dataset, requests) -> Callable[[str, tuple[int, int]], float]:
    """(片区, week) -> the visits that 片区 does in that week at an even pace over the period's working days."""
    days_in_week = Counter(week_of(day) for day in dataset.workdays)
    zone_total = Counter(request.zone_id for request in requests)
    return lambda zone, week: zone_total[zone] * days_in_week[week] / len(dataset.workdays)


def _weekly_excess(model, dataset, requests, on_day) -> list[cp_model.IntVar]:
    """Per 片区 and week: visits beyond an even pace over the period's working days (no end-of-quarter pile)."""
    even = weekly_pace(dataset, requests)
    in_zone_week: dict[tuple[str, tuple[int, int]], list] = defaultdict(list)
    for (r, day), var in on_day.items():
        in_zone_week[requests[r].zone_id, week_of(day)].append(var)
    excess = []
    for (zone, week), vars_ in sorted(in_zone_week.items()):
        pace = math.ceil(even(zone, week))
        if len(vars_) <= pace:
            continue
        over = model.new_int_var(0, len(vars_) - pace, f"excess_{zone}_{week[0]}_{week[1]}")
        model.add_max_equality(over, [sum(vars_) - pace, 0])
        excess.append(over)
    return excess


def chosen_days(solver: cp_model.CpSolver, day_model: DayModel) -> dict[int, date]:
    return {r: day for (r, day), var in day_model.on_day.items() if solver.value(var)}
