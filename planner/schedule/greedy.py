"""A greedy least-loaded plan: the warm start (hint) of the CP-SAT stages and a benchmark baseline."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from models.dataset import Dataset
from planner.schedule.days import week_of
from planner.schedule.requests import Team, VisitRequest


def greedy_teams(dataset: Dataset, requests: list[VisitRequest]) -> dict[int, tuple[str, ...]]:
    """Request -> team: fewest-candidate visits first; per department the own-zone, least-loaded officers
    who still share a present day with the team so far."""
    load: dict[str, int] = defaultdict(int)
    present = {p: set(dataset.present_days(p)) for rq in requests for p in rq.all_candidates()}
    out = {}
    for r in sorted(range(len(requests)), key=lambda r: (len(requests[r].all_candidates()), requests[r].credit_code)):
        request = requests[r]
        days, team = set(dataset.workdays), []
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

    def before(r: int) -> date | None:
        day = previous.get(requests[r].credit_code)
        return day if day in teams[r].days else None

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
    for r in sorted(teams, key=lambda r: (before(r) is None, len(teams[r].days), requests[r].credit_code)):
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
        day = before(r) if before(r) in candidates else min(candidates, key=crowding)
        for p in team.members:
            used[p, day] += request.minutes
            town_of[p, day] = town
        zone_week[request.zone_id, week_of(day)] += 1
        out[r] = day
    return out
