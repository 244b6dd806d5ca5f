"""A greedy least-loaded plan: the warm start (hint) of the CP-SAT stages and a benchmark baseline."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from models.dataset import Dataset
from planner.schedule.days import week_of, weekly_pace
from planner.schedule.problem import Team, VisitRequest
from planner.schedule.teams import Load


def greedy_teams(dataset: Dataset, requests: list[VisitRequest],
                 balance: Load | None = None) -> dict[int, tuple[str, ...]]:
    """Request -> team: fewest-candidate visits first; per department the officers furthest below their fair
    share who still share a present day with the team so far — within the visit's own 片区 first, or, with
    zone balance, across 片区 with a loan weighed against the balance it buys (`_scorer`)."""
    balance = balance or Load(days={p: len(days) for p, days in dataset.presence.items()})
    load: dict[str, int] = defaultdict(int, balance.carried)
    score = _scorer(dataset, requests, balance)
    present = dataset.presence
    out = {}
    for r in sorted(range(len(requests)), key=lambda r: (len(requests[r].all_candidates()), requests[r].credit_code)):
        request = requests[r]
        days, team = set(request.days), []
        for dept_id, people in request.candidates.items():
            ranked = sorted(people, key=lambda p: (score(p, request.zone_id, load[p]), p))
            taken: list[str] = []
            for p in ranked:
                if len(taken) < request.needs[dept_id] and days & present[p]:
                    taken.append(p)
                    days &= present[p]
            team += taken
        if len(team) == sum(request.needs.values()):
            for p in team:
                load[p] += 1
            out[r] = tuple(team)
    return out


def _scorer(dataset: Dataset, requests: list[VisitRequest], balance: Load):
    """Officer, the visit's 片区 and their load so far -> how much the visit would cost them (lower first): load
    after the visit against the officer's fair share of the department's (zone balance) or the cell's visits,
    with a loan made dearer by the zone-balance ratio, and never cheaper than an own officer without it."""
    mode = dataset.settings.zone_balance
    demand: dict[str, int] = defaultdict(int)
    for request in requests:
        for dept_id, need in request.needs.items():
            demand[dept_id] += need
    pools = dataset.balance_cells if mode.mode == "off" else {
        (dept_id, ""): [p for (d, _z), people in dataset.balance_cells.items() if d == dept_id for p in people]
        for dept_id in {d for d, _z in dataset.balance_cells}}
    share: dict[str, float] = {}
    for (dept_id, zone), people in pools.items():
        days = sum(balance.days.get(p, 0) for p in people) or 1
        own = sum(need for request in requests for d, need in request.needs.items()
                  if d == dept_id and (mode.mode != "off" or request.zone_id == zone))
        for p in people:
            share[p] = max(own + sum(balance.carried.get(q, 0) for q in people), 1) * balance.days.get(p, 0) / days
    loan_cost = (mode.ratio or 1.05) ** 0.5 if mode.mode != "off" else None

    def score(person: str, zone: str, load: int) -> tuple:
        loan = dataset.inspector[person].zone_id != zone
        filled = (load + 1) / max(share.get(person, 0.0), 1e-9)
        if loan_cost is None:
            return (loan, filled)
        return (filled * (loan_cost if loan else 1.0), loan)
    return score


def greedy_days(dataset: Dataset, requests: list[VisitRequest], teams: dict[int, Team],
                previous: dict[str, date] | None = None) -> dict[int, date]:
    """Request -> day: tightest visits first, on the day that keeps its 片区 closest to an even weekly pace
    while every member has the minutes left and is in no other town that day. In a re-plan, visits whose
    previous day is still open to their team keep it and are placed first."""
    previous = previous or {}
    kept = {r: day for r in teams if (day := previous.get(requests[r].visit_id)) in teams[r].days}
    even = weekly_pace(dataset, [requests[r] for r in teams])
    used: dict[tuple[str, date], int] = defaultdict(int)  # on-site minutes per inspector-day
    town_of: dict[tuple[str, date], str] = {}  # the town of each inspector-day so far
    zone_week: dict[tuple[str, tuple], int] = defaultdict(int)
    out = {}
    for r in sorted(teams, key=lambda r: (r not in kept, len(teams[r].days), requests[r].credit_code)):
        request, team = requests[r], teams[r]
        town = request.business.town_id
        open_days = [d for d in team.days
                     if all(used[p, d] + request.minutes <= dataset.inspector[p].day_minutes
                            and town_of.get((p, d), town) == town for p in team.members)]
        if not open_days:
            continue
        crowding = {d: zone_week[request.zone_id, week_of(d)] / max(even(request.zone_id, week_of(d)), 1e-9)
                    for d in open_days}
        day = kept[r] if kept.get(r) in crowding else min(open_days, key=lambda d: (crowding[d], d))
        for p in team.members:
            used[p, day] += request.minutes
            town_of[p, day] = town
        zone_week[request.zone_id, week_of(day)] += 1
        out[r] = day
    return out
