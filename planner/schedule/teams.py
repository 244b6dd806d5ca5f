"""Stage 1 of the schedule: choose each visit's team among the draw's shortlists (CP-SAT).

One Boolean per (visit, shortlisted officer). Objectives, in lexicographic order (solved level by level, see
solve.solve_levels): leave no visit out; in a re-plan, keep every date and team member that may stay (a date
first); lend officers across 片区 only when needed; balance visit counts within every (department, 片区); then
balance their minutes.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from ortools.sat.python import cp_model

from models.dataset import Dataset
from planner.schedule.requests import Placement, VisitRequest
from planner.schedule.solve import Level


@dataclass
class TeamModel:
    model: cp_model.CpModel
    member: dict[tuple[int, str], cp_model.IntVar]  # (request index, inspector) -> on the team
    left_out: list[cp_model.IntVar]  # per request
    levels: list[Level]

    def decisions(self) -> list[cp_model.IntVar]:
        return list(self.member.values()) + self.left_out


def balance_cells(dataset: Dataset) -> dict[tuple[str, str], list[str]]:
    """(department, 片区) -> the officers who share its load: those the draw may order (certified, present)."""
    return {(dept_id, zone_id): people for dept_id, zones in dataset.drawable_officers.items()
            for zone_id, people in zones.items()}


def build_team_model(dataset: Dataset, requests: list[VisitRequest], previous: dict[str, Placement] | None,
                     hint: dict[int, tuple[str, ...]] | None = None,
                     pins: dict[int, tuple[str, ...]] | None = None) -> TeamModel:
    """`previous`: credit code -> (date, team) in the plan being revised; `hint`: request -> team;
    `pins`: request -> the team it keeps (a re-plan's untouched visits)."""
    model = cp_model.CpModel()
    member, left_out = {}, []
    present = dataset.presence
    jobs_of: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    loans, changes, ub_change = [], [], 0
    for r, request in enumerate(requests):
        out = model.new_bool_var(f"left_out_{r}")
        left_out.append(out)
        for dept_id, people in request.candidates.items():
            chosen = []
            for p in people:
                var = member[r, p] = model.new_bool_var(f"on_{r}_{p}")
                chosen.append(var)
                jobs_of[p].append((r, var))
                if dataset.inspector[p].zone_id != request.zone_id and dataset.settings.cross_zone == "penalty":
                    loans.append(var)  # under "allow" zones are ignored; under "forbid" the draw never offers one
            model.add(sum(chosen) == request.needs[dept_id] * (1 - out))
        for p, q in combinations(request.all_candidates(), 2):  # the team needs a day they are all present
            if not present[p] & present[q]:
                model.add_bool_or([member[r, p].Not(), member[r, q].Not()])
        before = (previous or {}).get(request.credit_code)
        if before is not None:
            terms, worst = _change_terms(model, request, r, member, before, present)
            changes += terms
            ub_change += worst
        wanted = set(before[1]) if before is not None else set((hint or {}).get(r, ()))
        for p in request.all_candidates():
            model.add_hint(member[r, p], p in wanted)
        model.add_hint(out, not wanted)
        if pins and r in pins:
            model.add(out == 0)
            for p in request.all_candidates():
                model.add(member[r, p] == (p in pins[r]))

    for p, jobs in jobs_of.items():  # nobody gets more on-site minutes than their days in the period hold
        budget = len(present[p]) * dataset.inspector[p].day_minutes
        model.add(sum(var * requests[r].minutes for r, var in jobs) <= budget)

    count_spreads, minute_spreads, ub_count, ub_minutes = [], [], 0, 0
    for cell, people in sorted(balance_cells(dataset).items()):
        if not any(p in jobs_of for p in people):
            continue
        most_visits = max(len(jobs_of.get(p, ())) for p in people)
        most_minutes = max(sum(requests[r].minutes for r, _ in jobs_of.get(p, ())) for p in people)
        counts = [sum(var for _, var in jobs_of.get(p, ())) for p in people]
        minutes = [sum(var * requests[r].minutes for r, var in jobs_of.get(p, ())) for p in people]
        count_spreads.append(_spread(model, counts, most_visits, f"spread_{cell}"))
        minute_spreads.append(_spread(model, minutes, most_minutes, f"minute_spread_{cell}", cut=False))
        ub_count += most_visits
        ub_minutes += most_minutes

    levels = [Level("left_out", sum(left_out), len(requests)),
              Level("changes", sum(changes), ub_change),
              Level("loans", sum(loans), len(loans)),
              Level("visit_spread", sum(count_spreads), ub_count),
              Level("minute_spread", sum(minute_spreads), ub_minutes, polish=True)]
    return TeamModel(model, member, left_out, [level for level in levels if level.upper > 0])


def _change_terms(model, request, r, member, before: Placement, present) -> tuple[list, int]:
    """Cost of moving a visit away from its previous placement: a lost date outweighs every new member."""
    day, team = before
    candidates = request.all_candidates()
    date_cost = sum(request.needs.values()) + 1
    absent_that_day = [member[r, p] for p in candidates if day not in present[p]]
    terms = [member[r, p] for p in candidates if p not in team]
    if absent_that_day:
        lost = model.new_bool_var(f"date_lost_{r}")
        for var in absent_that_day:
            model.add_implication(var, lost)
        terms.append(date_cost * lost)
    return terms, date_cost + sum(request.needs.values())


def _spread(model: cp_model.CpModel, loads, upper: int, name: str, *, cut: bool = True) -> cp_model.IntVar:
    """max(loads) - min(loads), defined exactly so that a warm start of the decisions fixes it too.

    With `cut`, for visit counts: a total T shared by n people has max >= ceil(T/n) and min <= floor(T/n);
    stating that (T = n*q + rest) lets the solver prove a spread of 1 optimal instead of searching for a 0
    that cannot exist.
    """
    high = model.new_int_var(0, upper, f"{name}_max")
    low = model.new_int_var(0, upper, f"{name}_min")
    model.add_max_equality(high, loads)
    model.add_min_equality(low, loads)
    spread = model.new_int_var(0, upper, name)
    model.add(spread == high - low)
    n = len(loads)
    if cut and n > 1:
        quotient = model.new_int_var(0, upper, f"{name}_q")
        rest = model.new_int_var(0, n - 1, f"{name}_r")
        model.add(sum(loads) == n * quotient + rest)
        uneven = model.new_bool_var(f"{name}_uneven")
        model.add(rest >= 1).only_enforce_if(uneven)
        model.add(rest == 0).only_enforce_if(~uneven)
        model.add(high >= quotient + uneven)
        model.add(low <= quotient)
    return spread


def chosen_teams(solver: cp_model.CpSolver, team_model: TeamModel, requests) -> dict[int, tuple[str, ...]]:
    """Request index -> team members (in the request's department order), for every request with a team."""
    out = {}
    for r, request in enumerate(requests):
        if solver.value(team_model.left_out[r]):
            continue
        out[r] = tuple(p for p in request.all_candidates() if solver.value(team_model.member[r, p]))
    return out
