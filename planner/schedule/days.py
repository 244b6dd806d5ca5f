"""Stage 2 of the schedule: give every visit a working day for its chosen team (CP-SAT).

Variables: one Boolean per (visit, candidate day) — candidate days are days every team member is present and
has room beside the visits a re-plan keeps — and one per visit saying it is left out. Hard rules, one function
each: `add_one_day`, `add_day_minutes`, `add_one_town`. Objectives, in lexicographic order: leave no visit out; in a re-plan, keep every date
that may stay; spread each 片区's visits evenly over the weeks.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from models.dataset import Dataset
from planner.schedule.levels import Level
from planner.schedule.problem import Held, Team, VisitRequest, week_of

MAX_CANDIDATE_DAYS = 16


@dataclass
class DayModel:
    model: cp_model.CpModel
    on_day: dict[tuple[int, date], cp_model.IntVar]  # (request index, day) -> visit happens that day
    left_out: list[cp_model.IntVar]
    days: dict[int, list[date]] = field(default_factory=dict)  # request -> its candidate days
    levels: list[Level] = field(default_factory=list)

    def decisions(self) -> list[cp_model.IntVar]:
        return list(self.on_day.values()) + self.left_out


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


# --- hard rules --------------------------------------------------------------------------------------

def add_one_day(m: DayModel, r: int) -> None:
    """A visit happens on exactly one of its candidate days — or is left out."""
    m.model.add_exactly_one([m.on_day[r, d] for d in m.days[r]] + [m.left_out[r]])


def add_day_minutes(m: DayModel, work: list[tuple[int, cp_model.IntVar]], requests: list[VisitRequest],
                    limit: int) -> None:
    """One inspector-day holds at most `limit` on-site minutes (what kept visits leave of the day)."""
    if sum(requests[r].minutes for r, _ in work) > limit:
        m.model.add(sum(var * requests[r].minutes for r, var in work) <= limit)


def add_one_town(m: DayModel, work: list[tuple[int, cp_model.IntVar]], requests: list[VisitRequest]) -> None:
    """One inspector-day is spent in one town (乡镇): visits in two towns never share an inspector-day."""
    by_town: dict[str, list] = defaultdict(list)
    for r, var in work:
        by_town[requests[r].business.town_id].append(var)
    if len(by_town) < 2:
        return
    in_town = []
    for vars_ in (by_town[t] for t in sorted(by_town)):
        there = m.model.new_bool_var("")
        m.model.add_max_equality(there, vars_)  # exact, so that a warm start of the decisions fixes it too
        in_town.append(there)
    m.model.add_at_most_one(in_town)


# --- objective levels ----------------------------------------------------------------------------------

def weekly_pace(dataset: Dataset, requests, held: Held) -> Callable[[str, tuple[int, int]], float]:
    """(片区, week) -> the visits that 片区 does in that week at an even pace over the period's working days
    (its visits being placed and those kept as they are)."""
    days_in_week = Counter(week_of(day) for day in dataset.workdays)
    zone_total = Counter(request.zone_id for request in requests) + held.zone_visits
    return lambda zone, week: zone_total[zone] * days_in_week[week] / max(len(dataset.workdays), 1)


def pace_excess(m: DayModel, dataset: Dataset, requests: list[VisitRequest], held: Held) -> list[cp_model.IntVar]:
    """Per 片区 and week: visits beyond an even pace over the period's working days (no end-of-quarter pile)."""
    even = weekly_pace(dataset, requests, held)
    in_zone_week: dict[tuple[str, tuple[int, int]], list] = defaultdict(list)
    for (r, day), var in m.on_day.items():
        in_zone_week[requests[r].zone_id, week_of(day)].append(var)
    excess = []
    for (zone, week), vars_ in sorted(in_zone_week.items()):
        pace = math.ceil(even(zone, week)) - held.zone_week[zone, week]
        if len(vars_) <= pace:
            continue
        over = m.model.new_int_var(0, len(vars_) - max(pace, 0), f"excess_{zone}_{week[0]}_{week[1]}")
        m.model.add_max_equality(over, [sum(vars_) - pace, 0])
        excess.append(over)
    return excess


def urgent_wait(m: DayModel, dataset: Dataset, requests: list[VisitRequest]) -> Level:
    """尽快安排: the working days each urgent visit waits from the period's first day (its earliest allowed day is
    the best), before anything but leaving a visit out."""
    index = {day: n for n, day in enumerate(dataset.workdays)}
    terms = [(index[day], var) for (r, day), var in m.on_day.items() if requests[r].kind == "urgent"]
    return Level("urgent_wait", sum(n * var for n, var in terms), sum(n for n, _ in terms))


# --- the model -----------------------------------------------------------------------------------------

def build_day_model(dataset: Dataset, requests: list[VisitRequest], teams: list[Team],
                    previous: dict[str, date] | None, hint: dict[int, date],
                    held: Held | None = None, every_day: frozenset[int] = frozenset()) -> DayModel:
    """`teams[r]` is request r's chosen team; `previous`: visit id -> date in the plan being revised;
    `hint`: request -> day; `held`: what visits kept as they are already hold (minutes, towns, pace);
    `every_day`: requests offered every open day of their team, not only candidate_days' spread."""
    held = held or Held()
    model = cp_model.CpModel()
    m = DayModel(model, {}, [])
    work_of: dict[tuple[str, date], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    kept = []
    for r, (request, team) in enumerate(zip(requests, teams)):
        before = (previous or {}).get(request.visit_id)
        open_days = tuple(d for d in team.days if held.room(dataset, request, team.members, d))
        everywhere = r in every_day or request.kind == "urgent"  # as soon as possible: every open day is offered
        m.days[r] = list(open_days) if everywhere else candidate_days(open_days, {before, hint.get(r)})
        for day in m.days[r]:
            var = m.on_day[r, day] = model.new_bool_var(f"day_{r}_{day:%m%d}")
            for p in team.members:
                work_of[p, day].append((r, var))
        m.left_out.append(model.new_bool_var(f"left_out_{r}"))
        add_one_day(m, r)
        days = m.days[r]
        if before in days:
            kept.append(m.on_day[r, before])
        wanted = hint.get(r)  # the warm start already keeps what may stay (greedy_days)
        for day in days:
            model.add_hint(m.on_day[r, day], day == wanted)
        model.add_hint(m.left_out[r], wanted not in days)
    for (p, _day), work in sorted(work_of.items()):  # (a kept visit's town is already kept out: held.room)
        add_day_minutes(m, work, requests, dataset.inspector[p].day_minutes - held.day_minutes[p, _day])
        add_one_town(m, work, requests)
    m.levels = [level for level in (
        Level("left_out", sum(m.left_out), len(requests)),
        urgent_wait(m, dataset, requests),
        Level("moved_days", len(kept) - sum(kept), len(kept)),
        Level("pace_excess", sum(pace_excess(m, dataset, requests, held)), len(requests)),
    ) if level.upper > 0]
    return m


def chosen_days(solver: cp_model.CpSolver, m: DayModel) -> dict[int, date]:
    return {r: day for (r, day), var in m.on_day.items() if solver.value(var)}
