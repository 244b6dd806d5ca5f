"""Lexicographic objectives: minimise levels one after another, each fixed at its best value before the next.

Small single-level objectives solve and prove far better than one sum with huge weights (docs/schedule.md).
Every level is reported on its own (value, proven bound, whether proven); the equivalent weighted sum is kept
for the record's `objective`/`bound`, and its bound only trusts levels that were proven optimal.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.schedule.solve import WORK_UNITS_PER_SECOND, solve

LEVEL_SHARE = 0.5  # of the remaining budget for each level but the last; what a level leaves passes on
HINT_CHECK_WORK = 5.0  # deterministic units to check that a warm start satisfies every constraint


@dataclass(frozen=True, slots=True)
class Level:
    """One objective of a lexicographic order: minimise `expr`, whose value never exceeds `upper`.

    `floor` is a proven lower bound (a relaxation's optimum, zones.py) that holds while every level before it
    is at its own floor: a plan reaching it is optimal without a search, and a search starts from it."""
    name: str
    expr: cp_model.LinearExprT
    upper: int
    floor: int = 0


@dataclass(frozen=True, slots=True)
class LevelResult:
    name: str
    value: int  # in the plan returned
    bound: int  # proven lower bound (0 when nothing is proven)
    optimal: bool  # value == the proven optimum, given the levels before it


@dataclass
class LexResult:
    """The plan of the last level solved (`solver`), or None when the warm start (the hint) is the plan."""
    solver: cp_model.CpSolver | None
    levels: list[LevelResult] = field(default_factory=list)
    weights: list[int] = field(default_factory=list)
    work: float = 0.0  # CP-SAT deterministic time spent, machine-independent
    wall_stopped: bool = False

    @property
    def optimal(self) -> bool:
        return all(level.optimal for level in self.levels)

    @property
    def objective(self) -> int:
        return sum(w * level.value for w, level in zip(self.weights, self.levels))

    @property
    def bound(self) -> int:
        """Weighted bound: exact for the proven prefix of levels, then the first unproven level's bound."""
        total = 0
        for w, level in zip(self.weights, self.levels):
            total += w * (level.value if level.optimal else level.bound)
            if not level.optimal:
                break
        return min(total, self.objective)


def level_weights(levels: list[Level]) -> list[int]:
    """Weights under which the weighted sum orders plans exactly as the lexicographic order does."""
    weights = [1] * len(levels)
    for k in range(len(levels) - 2, -1, -1):
        weights[k] = weights[k + 1] * (levels[k + 1].upper + 1)
    return weights


def solve_levels(model: cp_model.CpModel, levels: list[Level], decisions: list, budget_s: float, *,
                 on_solution: Callable[[float, float, str], None] | None = None,
                 stop: threading.Event | None = None, parallel: bool = False) -> LexResult:
    """Minimise `levels` in order within about `budget_s` seconds of deterministic work.

    `on_solution(value, bound, level)` hears of every plan found: the level's own value and proven bound.
    The model carries a warm start over `decisions` (a hint). Before each level the warm start is completed —
    the auxiliaries set as tight as the decisions allow for that level — so CP-SAT starts from a whole plan; a
    level the warm start already brings to its floor (0, or a relaxation's optimum: Level.floor) is fixed
    without a search. If CP-SAT finds no plan and the warm start breaks a rule, `solver` is None.
    """
    result = LexResult(None, weights=level_weights(levels))
    remaining = budget_s
    floors_hold = True  # every level so far at its floor: the next level's floor is proven
    for k, level in enumerate(levels):
        if stop is not None and stop.is_set():  # stopped (the app's button, Ctrl-C): keep the plan in hand
            result.wall_stopped = True
            _finish_unsolved(result, levels[k:], 0)
            return result
        floor = level.floor if floors_hold else 0
        start, work = completed_hint(model, level.expr)
        result.work += work
        if start is not None and round(start.objective_value) <= floor:
            value = round(start.objective_value)
            if on_solution is not None:  # the plan in hand, reported like a solution found
                on_solution(value, value, level.name)
            model.add(level.expr <= value)
            result.levels.append(LevelResult(level.name, value, value, True))
            result.solver = start  # the warm start is the plan in hand
            floors_hold = floors_hold and value == level.floor
            continue
        if start is not None:
            _hint_response(model, start)
        if floor:
            model.add(level.expr >= floor)  # proven: lets the search stop as soon as it reaches it
        model.minimize(level.expr)
        share = remaining if k == len(levels) - 1 else remaining * LEVEL_SHARE
        report = None if on_solution is None else \
            (lambda value, bound, name=level.name: on_solution(value, bound, name))
        solved = solve(model, share, on_solution=report, stop=stop, parallel=parallel)
        result.wall_stopped |= solved.wall_stopped
        result.work += solved.solver.deterministic_time
        remaining = max(remaining - solved.solver.deterministic_time / WORK_UNITS_PER_SECOND, 0.0)
        if solved.status not in ("OPTIMAL", "FEASIBLE"):
            result.solver = start or result.solver  # the plan in hand: the warm start, else the last level's
            _finish_unsolved(result, levels[k:], max(solved.bound, floor))
            return result
        value = round(solved.objective)
        optimal = solved.status == "OPTIMAL" or value <= floor
        result.levels.append(LevelResult(level.name, value, value if optimal else max(round(solved.bound), floor, 0),
                                         optimal))
        floors_hold = floors_hold and value == level.floor
        result.solver = solved.solver
        model.add(level.expr <= value)
        _hint_values(model, {var: solved.solver.value(var) for var in decisions})
    return result


def _finish_unsolved(result: LexResult, rest: list[Level], first_bound: float) -> None:
    """Levels left unsolved keep the values of the plan in hand (the last solver's, else the warm start's)."""
    for n, level in enumerate(rest):
        value = round(result.solver.value(level.expr)) if result.solver is not None else 0
        bound = min(max(round(first_bound), 0), value) if n == 0 else 0
        result.levels.append(LevelResult(level.name, value, bound, False))


def completed_hint(model: cp_model.CpModel, expr) -> tuple[cp_model.CpSolver | None, float]:
    """The warm start made whole: every decision fixed at its hint and the rest set to make `expr` least; None
    when the warm start breaks a rule (it may mix two plans and clash). Also the work it took."""
    model.minimize(expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.max_deterministic_time = HINT_CHECK_WORK
    solver.parameters.catch_sigint_signal = False
    found = solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return (solver if found else None), solver.deterministic_time


def _hint_values(model: cp_model.CpModel, values: dict) -> None:
    model.clear_hints()
    for var, value in values.items():
        model.add_hint(var, value)


def _hint_response(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable of the model with the solver's values (a complete, feasible warm start)."""
    solution = solver.response_proto.solution
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(solution)))
    model.proto.solution_hint.values.extend(solution)
