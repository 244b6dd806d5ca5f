"""One place that runs CP-SAT: explicit parameters, deterministic search, progress and stop."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

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
# The wall clock is only a safety net for a machine many times slower than the reference: under ordinary load it
# never fires before the deterministic budget is spent, so the plan stays the same. If it ever fires, the result
# says so (`wall_stopped`) and the record and the CLI say the plan is not reproducible.
WALL_CAP_FACTOR = 10.0
WALL_CAP_EXTRA_S = 30.0


def solve_cpus(replan: bool) -> int:
    """The cores a plan's solves keep busy: one worker for a first plan, the interleaved portfolio's workers for a
    re-plan (engine._solve_days); what a many-county engine reserves per county."""
    return PARALLEL_WORKERS if replan else 1


@dataclass(frozen=True, slots=True)
class Progress:
    """Reported to the caller whenever a better plan is found (for a progress bar or a live chart): the level
    being minimised and its own value and proven bound, over the stage's finished parts and this part's plan."""
    stage: str  # "teams" | "days"
    part: int  # which independent part (connected component) of the stage
    parts: int
    level: str  # the objective level being minimised (planner.plan.record.LEVEL_WORDS says it in words)
    value: float  # of that level: in the parts solved before, plus this part's incumbent
    bound: float  # proven lower bound of that level over the same parts
    elapsed_s: float  # since the schedule started


ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True, slots=True)
class SolveResult:
    status: str  # OPTIMAL | FEASIBLE | INFEASIBLE | UNKNOWN | MODEL_INVALID
    objective: float
    bound: float
    wall_s: float
    solver: cp_model.CpSolver  # holds the plan when status is OPTIMAL or FEASIBLE
    wall_stopped: bool = False  # the wall-clock safety stop (or the stop button) ended the search: not reproducible


def solve(model: cp_model.CpModel, budget_s: float, *, on_solution: Callable[[float, float], None] | None = None,
          stop: threading.Event | None = None, parallel: bool = False) -> SolveResult:
    """Solve `model` deterministically within about `budget_s` seconds (see WORK_UNITS_PER_SECOND)."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = PARALLEL_WORKERS if parallel else 1
    params.interleave_search = parallel
    params.random_seed = 1
    params.max_deterministic_time = max(budget_s, 0.2) * WORK_UNITS_PER_SECOND
    params.max_time_in_seconds = max(budget_s, 0.2) * WALL_CAP_FACTOR + WALL_CAP_EXTRA_S
    params.catch_sigint_signal = False  # Ctrl-C is the caller's: an interrupted run writes nothing
    callback = _Callback(on_solution)
    start = time.perf_counter()
    with _stop_watcher(solver, stop):
        status = solver.solve(model, callback)
    wall = time.perf_counter() - start
    name = solver.status_name(status)
    has_solution = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = solver.objective_value if has_solution else float("nan")
    stopped = status != cp_model.OPTIMAL and \
        solver.deterministic_time < params.max_deterministic_time * 0.99 and \
        (wall >= params.max_time_in_seconds * 0.99 or (stop is not None and stop.is_set()))
    return SolveResult(name, objective, solver.best_objective_bound, wall, solver, stopped)


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
