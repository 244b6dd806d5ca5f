"""A greedy least-loaded plan: the warm start (hint) of the CP-SAT stages and a benchmark baseline."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from models.dataset import Dataset
from planner.schedule.days import week_of
from planner.schedule.requests import TeamOption, VisitRequest


def greedy_teams(dataset: Dataset, requests: list[VisitRequest]) -> dict[int, int]:
    """Request -> option: hardest visits first, each to its own-zone, least-loaded option."""
    load: dict[str, int] = defaultdict(int)
    out = {}
    for r in sorted(range(len(requests)), key=lambda r: (len(requests[r].options), requests[r].credit_code)):
        request = requests[r]
        if not request.options:
            continue

        def cost(o: int) -> tuple:
            members = request.options[o].members
            loans = sum(dataset.inspector[p].zone_id != request.zone_id for p in members)
            return loans, max(load[p] for p in members), sum(load[p] for p in members), o

        best = min(range(len(request.options)), key=cost)
        for p in request.options[best].members:
            load[p] += 1
        out[r] = best
    return out


def greedy_days(dataset: Dataset, requests: list[VisitRequest], teams: dict[int, TeamOption]) -> dict[int, date]:
    """Request -> day: tightest visits first, on the day that keeps its 片区 closest to an even weekly pace
    while every member has the minutes left and is in no other town that day."""
    used: dict[tuple[str, date], int] = defaultdict(int)
    town_of: dict[tuple[str, date], str] = {}
    zone_week: dict[tuple[str, tuple], int] = defaultdict(int)
    days_in_week: dict[tuple, int] = defaultdict(int)
    for day in dataset.workdays:
        days_in_week[week_of(day)] += 1
    zone_total: dict[str, int] = defaultdict(int)
    for r in teams:
        zone_total[requests[r].zone_id] += 1
    out = {}
    for r in sorted(teams, key=lambda r: (len(teams[r].days), requests[r].credit_code)):
        request, team = requests[r], teams[r]
        town = request.business.town_id

        def fits(day: date) -> bool:
            return all(used[p, day] + request.minutes <= dataset.inspector[p].day_minutes
                       and town_of.get((p, day), town) == town for p in team.members)

        def crowding(day: date) -> tuple:
            week = week_of(day)
            pace = zone_total[request.zone_id] * days_in_week[week] / len(dataset.workdays)
            return zone_week[request.zone_id, week] / max(pace, 1e-9), day

        candidates = [d for d in team.days if fits(d)]
        if not candidates:
            continue
        day = min(candidates, key=crowding)
        for p in team.members:
            used[p, day] += request.minutes
            town_of[p, day] = town
        zone_week[request.zone_id, week_of(day)] += 1
        out[r] = day
    return out
