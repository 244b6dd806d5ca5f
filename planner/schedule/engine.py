"""The quarter's joint schedule: requests from the draw, teams (stage 1), days (stage 2), the plan.

Both stages are split into independent parts (connected components) before solving: two visits belong to the
same part of stage 1 when they share a candidate inspector or a (department, 片区) balance cell, and to the
same part of stage 2 when their chosen teams share an inspector. No rule or objective links two parts, so
solving them one by one keeps every guarantee, except that stage 2 evens the weekly pace per part rather than
per whole 片区 (parts of one 片区 each keeping an even pace keep the 片区 even too).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date

from models.dataset import Dataset
from planner.schedule import days as day_stage
from planner.schedule import teams as team_stage
from planner.schedule.greedy import greedy_days, greedy_teams
from planner.schedule.pinning import pinned_placements
from planner.schedule.requests import Team, VisitRequest, common_days
from planner.schedule.solve import Progress, ProgressFn, components, solve_levels

TEAM_SHARE = 0.4  # of the time budget; the rest goes to the days


@dataclass
class StageReport:
    """A stage's solver figures, summed over its parts. A part where CP-SAT found no plan in its budget keeps
    the greedy warm start; the stage then has no objective or gap to report (None), and says how many parts."""
    status: str = "OPTIMAL"
    objective: float = 0.0
    bound: float = 0.0
    wall_s: float = 0.0
    parts: int = 0
    warm_start_parts: int = 0

    def add(self, solved) -> None:
        self.parts += 1
        self.wall_s += solved.wall_s
        if solved.solver is None:
            self.warm_start_parts += 1
            self.status = "FEASIBLE"
            return
        if solved.status != "OPTIMAL":
            self.status = "FEASIBLE"
        self.objective += solved.objective
        self.bound += solved.bound

    def as_dict(self) -> dict:
        known = self.warm_start_parts == 0
        return {"status": self.status, "objective": self.objective if known else None,
                "bound": self.bound if known else None, "gap": gap(self.objective, self.bound) if known else None,
                "wall_s": round(self.wall_s, 3), "parts": self.parts, "warm_start_parts": self.warm_start_parts}


@dataclass
class Schedule:
    """What the engine decided: per request, its team and day, or the stage that left it out."""
    requests: list[VisitRequest]
    teams: dict[int, Team] = field(default_factory=dict)
    days: dict[int, date] = field(default_factory=dict)
    left_out: dict[int, str] = field(default_factory=dict)  # request -> "blocked" | "teams" | "days"
    dropped_teams: dict[int, Team] = field(default_factory=dict)  # teams of the visits no day could hold
    stages: dict[str, StageReport] = field(default_factory=dict)
    pinned: int = 0  # visits a re-plan kept without solving for them
    relaxed_town_parts: int = 0  # parts where one town per inspector-day would have left visits out


def gap(objective: float, bound: float) -> float:
    return 0.0 if objective <= bound else (objective - bound) / max(abs(objective), 1.0)


def build_schedule(dataset: Dataset, requests: list[VisitRequest], *, time_limit_s: float,
                   previous: dict[str, tuple[date, tuple[str, ...]]] | None = None,
                   progress: ProgressFn | None = None, stop: threading.Event | None = None) -> Schedule:
    """Decide teams, then days; `previous` (credit code -> date, team) asks for minimal perturbation, and
    pins every visit no change touches (see pinning.py)."""
    clock = time.perf_counter()
    pins = pinned_placements(dataset, requests, previous) if previous else {}
    result = _schedule(dataset, requests, time_limit_s, previous, pins, progress, stop, clock)
    if pins and any(stage != "blocked" for stage in result.left_out.values()):
        result = _schedule(dataset, requests, time_limit_s, previous, {}, progress, stop, clock)
    return result


def _schedule(dataset, requests, time_limit_s, previous, pins, progress, stop, clock) -> Schedule:
    result = Schedule(requests)
    for r, request in enumerate(requests):
        if request.blocker:
            result.left_out[r] = "blocked"
    ready = [r for r in range(len(requests)) if r not in result.left_out]
    result.stages["teams"] = _solve_teams(dataset, result, ready, time_limit_s * TEAM_SHARE, previous, pins,
                                          progress, stop, clock)
    placed = sorted(result.teams)
    result.stages["days"] = _solve_days(dataset, result, placed, time_limit_s * (1 - TEAM_SHARE), previous,
                                        pins, progress, stop, clock)
    result.pinned = len(pins)
    return result


def _solve_teams(dataset, result: Schedule, ready: list[int], budget: float, previous, pins, progress, stop,
                 clock):
    requests = result.requests
    cells = team_stage.balance_cells(dataset)
    # a balance cell is one unit: its load must be evened in one model
    parts = _request_parts({r: requests[r].all_candidates() for r in ready}, list(cells.values()))
    report = StageReport()
    weight = {r: len(requests[r].all_candidates()) for r in ready}
    total = sum(weight.values()) or 1
    placements = {requests[r].credit_code: placement for r in ready
                  if (placement := (previous or {}).get(requests[r].credit_code))}
    for index, part in enumerate(parts):
        subset = [requests[r] for r in part]
        hint = greedy_teams(dataset, subset)
        local_pins = {local: pins[r][1] for local, r in enumerate(part) if r in pins}
        model = team_stage.build_team_model(dataset, subset, placements, hint, local_pins)
        share = budget * sum(weight[r] for r in part) / total
        solved = solve_levels(model.model, model.levels, model.decisions(), share,
                              on_solution=_reporter(progress, "teams", index, len(parts), report, clock), stop=stop)
        report.add(solved)
        chosen = hint if solved.solver is None else team_stage.chosen_teams(solved.solver, model, subset)
        for local, r in enumerate(part):
            days = common_days(dataset, chosen[local]) if local in chosen else ()
            if days:
                result.teams[r] = Team(chosen[local], days)
            else:
                result.left_out[r] = "teams"
    return report


def _solve_days(dataset, result: Schedule, placed: list[int], budget: float, previous, pins, progress, stop,
                clock):
    requests = result.requests
    parts = _request_parts({r: list(result.teams[r].members) for r in placed})
    report = StageReport()
    weight = {r: len(result.teams[r].days) for r in placed}
    total = sum(weight.values()) or 1
    before = {code: placement[0] for code, placement in (previous or {}).items()}
    for index, part in enumerate(parts):
        subset = [requests[r] for r in part]
        teams = [result.teams[r] for r in part]
        share = budget * sum(weight[r] for r in part) / total
        reporter = _reporter(progress, "days", index, len(parts), report, clock)
        local_pins = {local: pins[r][0] for local, r in enumerate(part) if r in pins}
        chosen, solved, relaxed = _place_days(dataset, subset, teams, before, local_pins, share, reporter, stop)
        result.relaxed_town_parts += relaxed
        report.add(solved)
        for local, r in enumerate(part):
            if local in chosen:
                result.days[r] = chosen[local]
            else:
                result.left_out[r] = "days"
                result.dropped_teams[r] = result.teams.pop(r)
    return report


def _place_days(dataset, subset, teams, before, pins, budget, reporter, stop):
    """Days with the one-town rule hard; relaxed to the fewest towns only if that places more visits."""
    hint = greedy_days(dataset, subset, dict(enumerate(teams)), before)
    strict = day_stage.build_day_model(dataset, subset, teams, before, hint, pins=pins)
    parallel = bool(before)  # a re-plan's "keep the dates" level needs the portfolio's neighbourhood search
    solved = solve_levels(strict.model, strict.levels, strict.decisions(), budget / 2, on_solution=reporter,
                          stop=stop, parallel=parallel)
    chosen = day_stage.chosen_days(solved.solver, strict) if solved.solver is not None else hint
    if len(chosen) == len(subset) or (stop is not None and stop.is_set()):
        return chosen, solved, False
    relaxed = day_stage.build_day_model(dataset, subset, teams, before, chosen, strict_towns=False, pins=pins)
    retry = solve_levels(relaxed.model, relaxed.levels, relaxed.decisions(), budget / 2, on_solution=reporter,
                         stop=stop, parallel=parallel)
    better = retry.solver is not None and sum(retry.solver.value(v) for v in relaxed.left_out) < \
        len(subset) - len(chosen)
    return (day_stage.chosen_days(retry.solver, relaxed), retry, True) if better else (chosen, solved, False)


def _request_parts(people_of: dict[int, list[str]], groups: list[list[str]] = ()) -> list[list[int]]:
    """Requests linked through the people they share (and people linked by `groups`), one list per part."""
    graph = {(0, r): [(1, p) for p in people] for r, people in people_of.items()}
    for group in groups:
        graph.setdefault((1, group[0]), []).extend((1, p) for p in group[1:])
    parts = [[r for kind, r in part if kind == 0] for part in components(graph)]
    return [part for part in parts if part]


def _reporter(progress: ProgressFn | None, stage: str, part: int, parts: int, report: StageReport, clock):
    if progress is None:
        return None

    def report_solution(objective: float, bound: float) -> None:
        progress(Progress(stage, part, parts, report.objective + objective, report.bound + bound,
                          time.perf_counter() - clock))
    return report_solution
