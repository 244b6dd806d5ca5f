"""Re-planning cheaply: visits that no change touches keep their date and team (pinned).

A what-if changes a few visits. Every visit of the previous plan whose date and team are still legal — alone and
together with the other kept visits on each inspector-day (minutes, one town) — and that shares no officer with a
visit that must move is pinned, so the solver decides only the visits a change forces to move and their
neighbours (the officers who could take them over). A hand edit (`forced`) is pinned whatever it touches. If the
pinned re-plan leaves any visit out, the engine re-plans with only the hand edits pinned.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from models.dataset import Dataset
from planner.schedule.problem import Placement, VisitRequest


def pinned_placements(dataset: Dataset, requests: list[VisitRequest], previous: dict[str, Placement],
                      forced: dict[int, Placement] | None = None) -> dict[int, Placement]:
    """Request index -> the (date, team) it keeps: the previous one where nothing forces a move, or the hand edit."""
    forced = forced or {}
    legal = {r: before for r, request in enumerate(requests) if r not in forced
             and (before := previous.get(request.visit_id)) is not None
             and placement_problem(dataset, request, before) is None}
    while True:  # dropping a pin makes its visit move, which may touch more pins
        pins = {**_untouched(requests, legal, forced), **forced}
        crowded = _crowded(dataset, requests, pins) - set(forced)
        if not crowded:
            return pins
        legal = {r: placement for r, placement in legal.items() if r not in crowded}


def _untouched(requests, legal: dict[int, Placement], forced: dict[int, Placement]) -> dict[int, Placement]:
    must_move = [request for r, request in enumerate(requests) if r not in legal and r not in forced
                 and not request.blocker]
    touched = {p for request in must_move for p in request.all_candidates()}
    return {r: placement for r, placement in legal.items() if not touched & set(placement[1])}


def _crowded(dataset: Dataset, requests: list[VisitRequest], pins: dict[int, Placement]) -> set[int]:
    """Pinned visits whose inspector-days no longer hold them together: minutes over the day, or two towns."""
    minutes: dict[tuple[str, object], int] = defaultdict(int)
    towns: dict[tuple[str, object], set[str]] = defaultdict(set)
    on: dict[tuple[str, object], list[int]] = defaultdict(list)
    for r, (day, team) in pins.items():
        for p in team:
            minutes[p, day] += requests[r].minutes
            towns[p, day].add(requests[r].business.town_id)
            on[p, day].append(r)
    return {r for key, rs in on.items()
            if minutes[key] > dataset.inspector[key[0]].day_minutes or len(towns[key]) > 1 for r in rs}


def placement_problem(dataset: Dataset, request: VisitRequest, placement: Placement) -> str | None:
    """Why a date and team no longer suit the visit (简体中文), or None: shortlists, team sizes, presence and the
    day rules."""
    day, team = placement
    if day not in request.days:
        return f"{day} 不在该检查可安排的日期内（工作日、时间窗口、宁静日、锁定期等）"
    per_dept: Counter[str] = Counter()
    for p in team:  # presence holds working days only, so this also checks the calendar
        dept = next((d for d, people in request.candidates.items() if p in people), None)
        if dept is None:
            return f"{p} 不在该检查的随机候选名单内"
        if day not in dataset.presence.get(p, ()):
            return f"{dataset.inspector[p].name if p in dataset.inspector else p} 在 {day} 不在岗"
        per_dept[dept] += 1
    if per_dept != Counter(request.needs):
        return "各部门人数与该检查的需要不符"
    return None
