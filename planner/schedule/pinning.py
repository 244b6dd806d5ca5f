"""Re-planning cheaply: visits that no change touches keep their date and team (pinned).

A what-if changes a few visits. Every visit of the previous plan whose date and team are still legal and
share no officer with a visit that must move is pinned, so the solver decides only the visits a change
forces to move and their neighbours (the officers who could take them over). If that leaves any visit out,
the engine re-plans with nothing pinned.
"""
from __future__ import annotations

from collections import Counter

from models.dataset import Dataset
from planner.schedule.problem import Placement, VisitRequest


def pinned_placements(dataset: Dataset, requests: list[VisitRequest],
                      previous: dict[str, Placement]) -> dict[int, Placement]:
    """Request index -> the previous (date, team) it keeps."""
    legal = {}
    for r, request in enumerate(requests):
        before = previous.get(request.visit_id)
        if before is not None and still_legal(dataset, request, before):
            legal[r] = before
    must_move = [request for r, request in enumerate(requests) if r not in legal and not request.blocker]
    touched = {p for request in must_move for p in request.all_candidates()}
    return {r: placement for r, placement in legal.items() if not touched & set(placement[1])}


def still_legal(dataset: Dataset, request: VisitRequest, placement: Placement) -> bool:
    """The previous date and team still satisfy the shortlists, team sizes, presence and the day rules."""
    day, team = placement
    if day not in request.days:
        return False
    per_dept: Counter[str] = Counter()
    for p in team:  # presence holds working days only, so this also checks the calendar
        dept = next((d for d, people in request.candidates.items() if p in people), None)
        if dept is None or day not in dataset.presence.get(p, ()):
            return False
        per_dept[dept] += 1
    return per_dept == Counter(request.needs)
