"""One place that runs CP-SAT: explicit parameters, deterministic search, progress and stop."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from ortools.sat.python import cp_model

# Both search modes are deterministic: CP-SAT's single-thread search by construction, and its interleaved
# search, which runs the parallel portfolio (with large-neighbourhood search) in fixed batches. Measured on
# the county (docs/schedule.md): one worker proves the team levels and a first plan's day levels fastest (the
# LP bounds do the work); a re-plan's "keep the dates" level needs the neighbourhood search that only the
# interleaved portfolio of two workers brings.
PARALLEL_WORKERS = 2  # the target machine has 2 cores
# A time limit in seconds becomes a deterministic budget (CP-SAT's machine-independent work units), so where
# the search stops — and so the plan — is the same on every run. Measured on the 2-core reference machine.
WORK_UNITS_PER_SECOND = 0.3
LEVEL_SHARE = 0.5  # of the remaining budget for each level but the last; what a level leaves passes on
POLISH_SHARE = 0.25
WALL_CAP_FACTOR = 1.5  # the wall clock is only a safety net for a much slower machine


@dataclass(frozen=True, slots=True)
class Progress:
    """Reported to the caller whenever a better plan is found (for a progress bar or a live chart)."""
    stage: str  # "teams" | "days"
    part: int  # which independent part (connected component) of the stage
    parts: int
    objective: float  # of the whole stage so far: finished parts plus this part's incumbent
    bound: float
    elapsed_s: float


ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True, slots=True)
class SolveResult:
    status: str  # OPTIMAL | FEASIBLE | INFEASIBLE | UNKNOWN | MODEL_INVALID
    objective: float
    bound: float
    wall_s: float
    solver: cp_model.CpSolver | None  # None when no solution was found


def solve(model: cp_model.CpModel, budget_s: float, *, on_solution: Callable[[float, float], None] | None = None,
          stop: threading.Event | None = None, parallel: bool = False) -> SolveResult:
    """Solve `model` deterministically within about `budget_s` seconds (see WORK_UNITS_PER_SECOND)."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = PARALLEL_WORKERS if parallel else 1
    params.interleave_search = parallel
    params.random_seed = 1
    params.max_deterministic_time = max(budget_s, 0.2) * WORK_UNITS_PER_SECOND
    params.max_time_in_seconds = max(budget_s, 0.2) * WALL_CAP_FACTOR + 1
    callback = _Callback(on_solution)
    start = time.perf_counter()
    with _stop_watcher(solver, stop):
        status = solver.solve(model, callback)
    wall = time.perf_counter() - start
    name = solver.status_name(status)
    has_solution = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = solver.objective_value if has_solution else float("nan")
    return SolveResult(name, objective, solver.best_objective_bound, wall, solver)


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_solution):
        super().__init__()
        self._on_solution = on_solution

    def on_solution_callback(self) -> None:
        if self._on_solution is not None:
            self._on_solution(self.objective_value, self.best_objective_bound)


@contextmanager
def _stop_watcher(solver: cp_model.CpSolver, stop: threading.Event | None):
    """Stop the search as soon as `stop` is set (the app's stop button), keeping the best plan so far."""
    if stop is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            if stop.is_set():
                solver.stop_search()
                return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@dataclass(frozen=True, slots=True)
class Level:
    """One objective of a lexicographic order: minimise `expr`, whose value never exceeds `upper`."""
    name: str
    expr: cp_model.LinearExprT
    upper: int
    polish: bool = False  # a refinement that is seldom proven optimal: it gets at most POLISH_SHARE of the budget


def level_weights(levels: list[Level]) -> list[int]:
    """Weights under which the weighted sum orders plans exactly as the lexicographic order does."""
    weights = [1] * len(levels)
    for k in range(len(levels) - 2, -1, -1):
        weights[k] = weights[k + 1] * (levels[k + 1].upper + 1)
    return weights


def solve_levels(model: cp_model.CpModel, levels: list[Level], decisions: list[cp_model.IntVar], budget_s: float, *,
                 on_solution: Callable[[float, float], None] | None = None,
                 stop: threading.Event | None = None, parallel: bool = False) -> SolveResult:
    """Minimise the levels one after another, each fixed at its optimum (or best value) before the next.

    Small single-level objectives solve and prove far better than one sum with huge weights. The result's
    objective and bound are stated in the equivalent weighted sum (level_weights); the bound stays valid because
    it only trusts levels that were proven optimal. Unused budget of easy levels passes to later ones.
    """
    weights = level_weights(levels)
    settled, bound, proven = 0.0, 0.0, True  # settled: weighted value of the levels fixed so far
    remaining, wall, status, solver = budget_s, 0.0, "OPTIMAL", None
    for k, level in enumerate(levels):
        last = k == len(levels) - 1
        share = remaining if last else remaining * LEVEL_SHARE
        if level.polish:
            share = min(share, POLISH_SHARE * budget_s)
        model.minimize(level.expr)
        if solver is None and not last and _hinted_value(model) == 0 and _hint_is_feasible(model):
            model.add(level.expr <= 0)  # the warm start is already perfect here: keep it for the next level
            continue
        report = None if on_solution is None else \
            (lambda obj, bnd, w=weights[k], base=settled: on_solution(base + w * obj, base + w * bnd))
        result = solve(model, share, on_solution=report, stop=stop, parallel=parallel)
        wall += result.wall_s
        remaining = max(remaining - result.solver.deterministic_time / WORK_UNITS_PER_SECOND, 0.0)
        if result.status not in ("OPTIMAL", "FEASIBLE"):
            if solver is None:  # no plan at all: the caller falls back to its warm start
                return SolveResult(result.status, float("nan"), result.bound, wall, None)
            # keep the plan found for the level before; this level is its value there, bounded by what we know
            settled += sum(w * solver.value(lv.expr) for w, lv in zip(weights[k:], levels[k:]))
            bound += weights[k] * max(result.bound, 0) if proven else 0
            return SolveResult("FEASIBLE", settled, min(bound, settled), wall, solver)
        solver = result.solver
        value = round(result.objective)
        if proven:
            bound = settled + weights[k] * (value if result.status == "OPTIMAL" else max(result.bound, 0))
            proven = result.status == "OPTIMAL"
        settled += weights[k] * value
        if result.status != "OPTIMAL":
            status = "FEASIBLE"
        model.add(level.expr <= value)
        _hint_solution(model, solver, decisions)
        if stop is not None and stop.is_set() and not last:
            settled += sum(w * solver.value(lv.expr) for w, lv in zip(weights[k + 1:], levels[k + 1:]))
            return SolveResult("FEASIBLE", settled, min(bound, settled), wall, solver)
    return SolveResult(status, settled, min(bound, settled), wall, solver)


def _hinted_value(model: cp_model.CpModel) -> float | None:
    """The current objective's value at the hint, or None when the hint does not cover it."""
    hint = dict(zip(model.proto.solution_hint.vars, model.proto.solution_hint.values))
    objective = model.proto.objective

    def value(ref: int) -> int | None:  # a negative reference is the negation of variable -ref-1
        return hint.get(ref) if ref >= 0 else (None if -ref - 1 not in hint else 1 - hint[-ref - 1])

    values = [value(v) for v in objective.vars]
    if None in values:
        return None
    return objective.offset + sum(c * x for x, c in zip(values, objective.coeffs))


def _hint_is_feasible(model: cp_model.CpModel) -> bool:
    """Whether the hinted decisions satisfy every constraint (a warm start may mix two plans and clash)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.max_deterministic_time = 5.0
    return solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver, decisions) -> None:
    """Start the next level from the plan just found (it stays feasible: its level is only capped).

    Only the decisions are hinted: auxiliary values (a max that was loose while another level was minimised)
    can be cut away by presolve once their own level is the objective, and would spoil the whole hint.
    """
    model.clear_hints()
    for var in decisions:
        model.add_hint(var, solver.value(var))


def components(edges_by_node: dict) -> list[list]:
    """Connected components of an undirected graph given as node -> neighbours (nodes sortable), each sorted,
    in a stable order."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for node, neighbours in edges_by_node.items():
        root = find(node)
        for other in neighbours:
            other_root = find(other)
            if other_root != root:
                parent[max(root, other_root)] = min(root, other_root)
                root = min(root, other_root)
    groups: dict = {}
    for node in sorted(parent):
        groups.setdefault(find(node), []).append(node)
    return sorted(groups.values(), key=lambda g: g[0])
