"""A greedy least-loaded plan: the warm start (hint) of the CP-SAT stages and a benchmark baseline."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from models.dataset import Dataset
from planner.schedule.days import weekly_pace
from planner.schedule.problem import Held, Team, VisitRequest, week_of
from planner.schedule.teams import Load, too_busy, zone_capacity


def greedy_teams(dataset: Dataset, requests: list[VisitRequest],
                 balance: Load | None = None) -> dict[int, tuple[str, ...]]:
    """Request -> team: fewest-candidate visits first; per department the own-片区 officers furthest below their
    fair share (visits in proportion to available days) who still share a present day with the team so far;
    then, with zone balance, loans where a 片区 is too busy against another (`_rebalance`)."""
    balance = balance or Load(days={p: len(days) for p, days in dataset.presence.items()})
    load: dict[str, int] = defaultdict(int, balance.carried)
    present = dataset.presence
    out = {}
    for r in sorted(range(len(requests)), key=lambda r: (len(requests[r].all_candidates()), requests[r].credit_code)):
        request = requests[r]
        days, team = set(request.days), []
        for dept_id, people in request.candidates.items():
            ranked = sorted(people, key=lambda p: (dataset.inspector[p].zone_id != request.zone_id,
                                                   (load[p] + 1) / max(balance.days.get(p, 0), 1), p))
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
    if dataset.settings.zone_balance.mode != "off":
        _rebalance(dataset, requests, out, load, balance)
    return out


def _rebalance(dataset: Dataset, requests: list[VisitRequest], teams: dict[int, tuple[str, ...]],
               load: dict[str, int], balance: Load) -> None:
    """Move visits from the busiest 片区 of a department to its quietest (load per available officer-day) until
    their ratio meets zone_balance, by swapping one officer for a loan candidate of the quiet 片区 — bringing a
    loan home first — as long as the team keeps a common day and the officer's minutes."""
    mode = dataset.settings.zone_balance
    target = mode.ratio if mode.mode == "ratio" and mode.ratio else 1.05  # "best": even out to about 5%
    minutes: dict[str, int] = defaultdict(int, balance.minutes)
    for r, team in teams.items():
        for p in team:
            minutes[p] += requests[r].minutes
    zone_of = {p: z for (_d, z), people in dataset.balance_cells.items() for p in people}
    cells: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for (dept_id, zone), people in dataset.balance_cells.items():
        cells[dept_id][zone] = people
    for dept_id, zones in sorted(cells.items()):
        days = {z: zone_capacity(people, balance) for z, people in zones.items()}
        work = {z: sum(load[p] for p in people) for z, people in zones.items()}
        blocked: set[tuple[str, str]] = set()
        while True:
            rate = {z: work[z] / days[z] for z in zones}
            pairs = [(b, q) for b in sorted(zones, key=lambda z: -rate[z]) for q in sorted(zones, key=lambda z: rate[z])
                     if b != q and (b, q) not in blocked and too_busy((work[b], days[b]), (work[q], days[q]), target)
                     and (work[b] - 1) * days[q] >= (work[q] + 1) * days[b]]  # no overshoot: every move evens out
            if not pairs:
                break
            busy, quiet = pairs[0]
            move = _loan_move(dataset, requests, teams, dept_id, busy, quiet, zone_of, load, minutes, balance)
            if move is None:
                blocked.add((busy, quiet))
                continue
            r, out, into = move
            teams[r] = tuple(into if p == out else p for p in teams[r])
            for person, step in ((out, -1), (into, 1)):
                load[person] += step
                minutes[person] += step * requests[r].minutes
            work[busy] -= 1
            work[quiet] += 1


def _loan_move(dataset, requests, teams, dept_id, busy, quiet, zone_of, load, minutes, balance):
    """(request, officer out of the busy 片区, officer in from the quiet one) — a visit of the quiet 片区 first
    (a loan comes home), then one of the busy 片区 (a new loan) — or None."""
    present = dataset.presence
    for prefer in (quiet, busy, None):
        for r in sorted(teams, key=lambda r: requests[r].credit_code):
            request = requests[r]
            if prefer is not None and request.zone_id != prefer or dept_id not in request.candidates:
                continue
            team = teams[r]
            outs = [p for p in team if zone_of.get(p) == busy and dataset.inspector[p].dept_id == dept_id]
            ins = sorted((p for p in request.candidates[dept_id] if zone_of.get(p) == quiet and p not in team
                          and minutes[p] + request.minutes <= len(present[p]) * dataset.inspector[p].day_minutes),
                         key=lambda p: (load[p] / max(balance.days.get(p, 0), 1), p))
            for out in outs:
                rest = [p for p in team if p != out]
                for into in ins:
                    if any(all(day in present[p] for p in (*rest, into)) for day in request.days):
                        return r, out, into
    return None


def greedy_days(dataset: Dataset, requests: list[VisitRequest], teams: dict[int, Team],
                previous: dict[str, date] | None = None, held: Held | None = None) -> dict[int, date]:
    """Request -> day: tightest visits first, on the day that keeps its 片区 closest to an even weekly pace
    while every member has the minutes left and is in no other town that day. In a re-plan, visits whose
    previous day is still open to their team keep it and are placed first."""
    previous = previous or {}
    held = held or Held()
    kept = {r: day for r in teams if (day := previous.get(requests[r].visit_id)) in teams[r].days}
    even = weekly_pace(dataset, [requests[r] for r in teams], held)
    used: dict[tuple[str, date], int] = defaultdict(int, held.day_minutes)  # on-site minutes per inspector-day
    town_of: dict[tuple[str, date], str] = dict(held.day_town)  # the town of each inspector-day so far
    zone_week: dict[tuple[str, tuple], int] = defaultdict(int, held.zone_week)
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
