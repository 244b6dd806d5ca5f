"""Stage 1 of the schedule: choose each visit's team among the draw's shortlists (CP-SAT).

Objectives, in lexicographic order (solved level by level, see solve.solve_levels): leave no visit out; in a re-plan, keep every date and team member that may stay (a date first); lend officers across 片区 only when needed;
balance visit counts within every (department, 片区); then balance their minutes.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.dataset import Dataset
from planner.schedule.requests import VisitRequest
from planner.schedule.solve import Level

Placement = tuple  # (date, team members) of a visit in the plan being revised


@dataclass
class TeamModel:
    model: cp_model.CpModel
    choice: dict[tuple[int, int], cp_model.IntVar]  # (request index, option index) -> chosen
    left_out: list[cp_model.IntVar]  # per request
    levels: list[Level]


@dataclass(frozen=True, slots=True)
class _Term:
    request: int
    var: cp_model.IntVar
    minutes: int


def balance_cells(dataset: Dataset) -> dict[tuple[str, str], list[str]]:
    """(department, 片区) -> the certified officers present on some working day: those who share the load."""
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p in dataset.inspectors:
        if p.certified and dataset.present_days(p.inspector_id):
            cells[(p.dept_id, p.zone_id)].append(p.inspector_id)
    return dict(cells)


def build_team_model(dataset: Dataset, requests: list[VisitRequest], previous: dict[str, Placement] | None,
                     hint: dict[int, int] | None = None) -> TeamModel:
    """`previous`: credit code -> date and team in the plan being revised; `hint`: request -> option index."""
    model = cp_model.CpModel()
    choice, left_out = {}, []
    terms_of: dict[str, list[_Term]] = defaultdict(list)  # inspector -> the options that include them
    loan_terms, change_terms = [], []
    ub_change = 0
    for r, request in enumerate(requests):
        for o, option in enumerate(request.options):
            var = choice[r, o] = model.new_bool_var(f"team_{r}_{o}")
            for p in option.members:
                terms_of[p].append(_Term(r, var, request.minutes))
                if dataset.inspector[p].zone_id != request.zone_id:
                    loan_terms.append(var)
        out = model.new_bool_var(f"left_out_{r}")
        model.add_exactly_one([choice[r, o] for o in range(len(request.options))] + [out])
        left_out.append(out)
        changes = _changes(request, (previous or {}).get(request.credit_code))
        if changes:
            change_terms += [choice[r, o] * c for o, c in enumerate(changes) if c]
            ub_change += max(changes)
            picked = changes.index(min(changes))
        else:
            picked = (hint or {}).get(r)
        for o in range(len(request.options)):
            model.add_hint(choice[r, o], o == picked)

    for p, terms in terms_of.items():  # nobody gets more on-site minutes than their days in the period hold
        budget = len(dataset.present_days(p)) * dataset.inspector[p].day_minutes
        model.add(sum(t.var * t.minutes for t in terms) <= budget)

    count_spreads, minute_spreads = [], []
    ub_count, ub_minutes = 0, 0
    for cell, people in sorted(balance_cells(dataset).items()):
        if not any(p in terms_of for p in people):
            continue
        reach = {p: {t.request for t in terms_of.get(p, ())} for p in people}
        most_visits = max(len(rs) for rs in reach.values())
        most_minutes = max(sum(requests[r].minutes for r in rs) for rs in reach.values())
        counts = [sum(t.var for t in terms_of.get(p, ())) for p in people]
        minutes = [sum(t.var * t.minutes for t in terms_of.get(p, ())) for p in people]
        count_spreads.append(_spread(model, counts, most_visits, f"spread_{cell}"))
        minute_spreads.append(_spread(model, minutes, most_minutes, f"minute_spread_{cell}"))
        ub_count += most_visits
        ub_minutes += most_minutes

    ub_loans = sum(max(sum(dataset.inspector[p].zone_id != rq.zone_id for p in o.members) for o in rq.options)
                   for rq in requests if rq.options)
    levels = [Level("left_out", sum(left_out), len(requests)),
              Level("changes", sum(change_terms), ub_change),
              Level("loans", sum(loan_terms), ub_loans),
              Level("visit_spread", sum(count_spreads), ub_count),
              Level("minute_spread", sum(minute_spreads), ub_minutes)]
    return TeamModel(model, choice, left_out, [level for level in levels if level.upper > 0])


def _spread(model: cp_model.CpModel, loads, upper: int, name: str) -> cp_model.IntVar:
    """max(loads) - min(loads) as a variable the objective can push down.

    With total load T shared by n people, max >= ceil(T/n) and min <= floor(T/n): stating that (T = n*q + rest)
    lets the solver prove a spread of 1 optimal instead of searching for a 0 that cannot exist.
    """
    n = len(loads)
    high = model.new_int_var(0, upper, f"{name}_max")
    low = model.new_int_var(0, upper, f"{name}_min")
    for load in loads:
        model.add(high >= load)
        model.add(low <= load)
    spread = model.new_int_var(0, upper, name)
    model.add(spread == high - low)
    if n > 1:
        quotient = model.new_int_var(0, upper * n, f"{name}_q")
        rest = model.new_int_var(0, n - 1, f"{name}_r")
        model.add(sum(loads) == n * quotient + rest)
        uneven = model.new_bool_var(f"{name}_uneven")
        model.add(rest >= 1).only_enforce_if(uneven)
        model.add(rest == 0).only_enforce_if(~uneven)
        model.add(high >= quotient + uneven)
        model.add(low <= quotient)
    return spread


def _changes(request: VisitRequest, before: Placement | None) -> list[int]:
    """Per option, how much it changes the visit's previous placement: a lost date outweighs every member."""
    if before is None:
        return []
    day, team = before
    date_cost = len(team) + sum(request.needs.values()) + 1
    return [date_cost * (day not in option.days) + len(set(option.members) - set(team))
            for option in request.options]


def chosen_options(solver: cp_model.CpSolver, team_model: TeamModel) -> dict[int, int]:
    """Request index -> option index, for every request that got a team."""
    return {r: o for (r, o), var in team_model.choice.items() if solver.value(var)}
