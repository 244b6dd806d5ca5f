"""A greedy least-loaded plan: the warm start (hint) of the CP-SAT stages and a benchmark baseline."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from models.dataset import Dataset
from planner.schedule.days import week_of, weekly_pace
from planner.schedule.problem import Team, VisitRequest


def greedy_teams(dataset: Dataset, requests: list[VisitRequest]) -> dict[int, tuple[str, ...]]:
    """Request -> team: fewest-candidate visits first; per department the own-zone, least-loaded officers
    who still share a present day with the team so far."""
    load: dict[str, int] = defaultdict(int)
    present = dataset.presence
    out = {}
    for r in sorted(range(len(requests)), key=lambda r: (len(requests[r].all_candidates()), requests[r].credit_code)):
        request = requests[r]
        days, team = set(request.days), []
        for dept_id, people in request.candidates.items():
            ranked = sorted(people, key=lambda p: (dataset.inspector[p].zone_id != request.zone_id, load[p]))
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
