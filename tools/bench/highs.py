"""A second peer: CP-SAT models written as MIPs for HiGHS (highspy), so the benchmark does not compare CP-SAT only
against itself. The translation takes the model's constraints one by one (linear rows with their domains,
Boolean clauses, maxima, enforcement literals as big-M terms), so the MIP holds exactly the rules the CP-SAT
model does; objective levels are minimised one after another as solve_levels does, each fixed before the next.
With `relax`, integrality is dropped: the LP relaxation, whose optimum bounds the level from below.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from planner.schedule.levels import LEVEL_SHARE, Level

INFINITE = 2 ** 62  # CP-SAT writes ±2^63−1 for an open side
KINDS = ("linear", "bool_or", "bool_and", "at_most_one", "exactly_one", "lin_max")  # what the models use


@dataclass
class MipLevel:
    name: str
    value: float | None  # None: no plan found within the budget
    bound: float
    optimal: bool


@dataclass
class MipResult:
    levels: list[MipLevel] = field(default_factory=list)
    solution: np.ndarray | None = None  # the last level's values of the CP-SAT model's variables
    wall_s: float = 0.0

    @property
    def found(self) -> bool:
        return self.solution is not None


class Mip:
    """A CP-SAT model as a HiGHS model: column k is CP-SAT variable k; selectors of maxima and of domains with
    holes are extra binary columns after them."""

    def __init__(self, model: cp_model.CpModel, relax: bool = False):
        import highspy  # a benchmark extra (pip install '.[bench]'): imported only where the peer runs

        self.highs = highspy.Highs()
        for option, value in (("output_flag", False), ("log_to_console", False), ("threads", 1)):
            self.highs.setOptionValue(option, value)
        self.proto = model.proto
        self.relax = relax
        self.n = len(self.proto.variables)
        self.lower = [float(v.domain[0]) for v in self.proto.variables]
        self.upper = [float(v.domain[len(v.domain) - 1]) for v in self.proto.variables]  # (no negative index)
        self.rows: list[tuple[float, float, dict[int, float]]] = []
        self.extra = 0
        for constraint in self.proto.constraints:
            self._add(constraint)
        lower, upper = self.lower + [0.0] * self.extra, self.upper + [1.0] * self.extra
        self.highs.addVars(len(lower), np.array(lower), np.array(upper))
        if not relax:
            self.highs.changeColsIntegrality(len(lower), np.arange(len(lower), dtype=np.int32),
                                             np.array([highspy.HighsVarType.kInteger] * len(lower)))
        self._flush()

    # --- building ------------------------------------------------------------------------------------

    def _column(self) -> int:
        self.extra += 1
        return self.n + self.extra - 1

    def _literal(self, ref: int) -> tuple[dict[int, float], float]:
        """A literal as (terms, constant): x, or 1 − x for a negated reference."""
        return ({ref: 1.0}, 0.0) if ref >= 0 else ({-ref - 1: -1.0}, 1.0)

    def _slack(self, enforcement) -> tuple[dict[int, float], float]:
        """Σ (1 − e) over the enforcement literals: 0 when the constraint must hold, ≥ 1 when it need not."""
        terms: dict[int, float] = {}
        constant = 0.0
        for ref in enforcement:
            lit, c = self._literal(ref)
            for k, v in lit.items():
                terms[k] = terms.get(k, 0.0) - v
            constant += 1.0 - c
        return terms, constant

    def _range(self, terms: dict[int, float]) -> tuple[float, float]:
        low = sum(c * (self._low(k) if c > 0 else self._high(k)) for k, c in terms.items())
        high = sum(c * (self._high(k) if c > 0 else self._low(k)) for k, c in terms.items())
        return low, high

    def _low(self, k: int) -> float:
        return self.lower[k] if k < self.n else 0.0

    def _high(self, k: int) -> float:
        return self.upper[k] if k < self.n else 1.0

    def _row(self, terms: dict[int, float], constant: float, low: float, high: float, slack=None) -> None:
        """low ≤ terms + constant ≤ high, relaxed by big-M times `slack` (terms, constant) when given."""
        low, high = low - constant, high - constant
        if slack is not None and (slack[0] or slack[1]):
            reach_low, reach_high = self._range(terms)
            for side, bound in (("low", low), ("high", high)):
                if abs(bound) >= INFINITE:
                    continue
                big = (bound - reach_low) if side == "low" else (reach_high - bound)
                if big <= 0:
                    continue
                row = dict(terms)
                sign = 1.0 if side == "low" else -1.0  # low: terms + big·slack ≥ low; high: terms − big·slack ≤ high
                for k, v in slack[0].items():
                    row[k] = row.get(k, 0.0) + sign * big * v
                shift = sign * big * slack[1]
                if side == "low":
                    self.rows.append((bound - shift, np.inf, row))
                else:
                    self.rows.append((-np.inf, bound - shift, row))
            return
        self.rows.append((-np.inf if low <= -INFINITE else low, np.inf if high >= INFINITE else high, terms))

    def _expression(self, proto) -> tuple[dict[int, float], float]:
        terms: dict[int, float] = {}
        for var, coeff in zip(proto.vars, proto.coeffs):
            terms[var] = terms.get(var, 0.0) + coeff
        return terms, float(proto.offset)

    def _sum(self, refs) -> tuple[dict[int, float], float]:
        terms: dict[int, float] = {}
        constant = 0.0
        for ref in refs:
            lit, c = self._literal(ref)
            for k, v in lit.items():
                terms[k] = terms.get(k, 0.0) + v
            constant += c
        return terms, constant

    def _add(self, c) -> None:
        kind = next((k for k in KINDS if getattr(c, f"has_{k}")()), "other")
        slack = self._slack(c.enforcement_literal) if c.enforcement_literal else None
        if kind == "linear":
            terms = {v: float(k) for v, k in zip(c.linear.vars, c.linear.coeffs)}
            bounds = list(c.linear.domain)
            intervals = list(zip(bounds[::2], bounds[1::2]))
            if len(intervals) == 1:
                self._row(terms, 0.0, *intervals[0], slack)
                return
            pick = [self._column() for _ in intervals]  # one interval holds: Σ pick = 1
            self.rows.append((1.0, 1.0, {k: 1.0 for k in pick}))
            for column, (low, high) in zip(pick, intervals):
                lax = dict(slack[0]) if slack else {}
                lax[column] = lax.get(column, 0.0) - 1.0
                self._row(terms, 0.0, low, high, (lax, (slack[1] if slack else 0.0) + 1.0))
        elif kind == "bool_or":
            self._row(*self._sum(c.bool_or.literals), 1, INFINITE, slack)
        elif kind == "bool_and":
            for ref in c.bool_and.literals:
                self._row(*self._literal(ref), 1, 1, slack)
        elif kind == "at_most_one":
            self._row(*self._sum(c.at_most_one.literals), -INFINITE, 1, slack)
        elif kind == "exactly_one":
            self._row(*self._sum(c.exactly_one.literals), 1, 1, slack)
        elif kind == "lin_max":
            self._max(c.lin_max, slack)
        else:
            raise ValueError(f"constraint {kind} has no MIP translation here")

    def _max(self, lin_max, slack) -> None:
        """target = max(exprs): target ≥ each; target ≤ the one a selector picks (big-M)."""
        target, t0 = self._expression(lin_max.target)
        exprs = [self._expression(e) for e in lin_max.exprs]
        if self._boolean_max(target, t0, exprs, slack):
            return
        pick = [self._column() for _ in exprs]
        self.rows.append((1.0, 1.0, {k: 1.0 for k in pick}))
        for (terms, constant), column in zip(exprs, pick):
            gap = dict(target)
            for k, v in terms.items():
                gap[k] = gap.get(k, 0.0) - v
            self._row(gap, t0 - constant, 0, INFINITE, slack)  # target − expr ≥ 0
            lax = dict(slack[0]) if slack else {}
            lax[column] = lax.get(column, 0.0) - 1.0
            self._row(gap, t0 - constant, -INFINITE, 0, (lax, (slack[1] if slack else 0.0) + 1.0))

    def _boolean_max(self, target, t0: float, exprs, slack) -> bool:
        """Max (or, negated, min) of Booleans without selectors: t ≥ each x and t ≤ Σ x (min: t ≤ each,
        t ≥ Σ x − (n − 1)). False when the maximum is not of that form."""
        single = [*exprs, (target, t0)]
        if not all(len(terms) == 1 and not constant for terms, constant in single):
            return False
        (t, sign), = target.items()
        xs = [next(iter(terms)) for terms, _ in exprs]
        if abs(sign) != 1 or any(terms[x] != sign for (terms, _), x in zip(exprs, xs)) or \
                any(self._low(k) < 0 or self._high(k) > 1 for k in (t, *xs)):
            return False
        for x in xs:  # max: t − x ≥ 0; min: x − t ≥ 0
            self._row({t: sign, x: -sign}, 0.0, 0, INFINITE, slack)
        rest = {x: -1.0 for x in xs}
        rest[t] = 1.0
        if sign > 0:
            self._row(rest, 0.0, -INFINITE, 0, slack)  # t ≤ Σ x
        else:
            self._row(rest, 0.0, 1 - len(xs), INFINITE, slack)  # t ≥ Σ x − (n − 1)
        return True

    def _flush(self) -> None:
        if not self.rows:
            return
        lower = np.array([low for low, _, _ in self.rows])
        upper = np.array([high for _, high, _ in self.rows])
        starts, index, value = [], [], []
        for _, _, terms in self.rows:
            starts.append(len(index))
            for k, v in sorted(terms.items()):
                if v:
                    index.append(k)
                    value.append(v)
        self.highs.addRows(len(self.rows), lower, upper, len(index), np.array(starts, dtype=np.int32),
                           np.array(index, dtype=np.int32), np.array(value, dtype=float))
        self.rows = []

    # --- solving ------------------------------------------------------------------------------------

    def objective(self, model: cp_model.CpModel, expr) -> tuple[dict[int, float], float]:
        model.minimize(expr)
        objective = self._expression(model.proto.objective)
        model.clear_objective()
        return objective

    def minimise(self, terms: dict[int, float], budget_s: float) -> tuple[str, float | None, float]:
        """(status, value, bound) of minimising `terms` within `budget_s` wall seconds."""
        total = self.n + self.extra
        costs = np.zeros(total)
        for k, v in terms.items():
            costs[k] = v
        self.highs.changeColsCost(total, np.arange(total, dtype=np.int32), costs)
        self.highs.setOptionValue("time_limit", max(budget_s, 0.1))
        self.highs.run()
        status = self.highs.modelStatusToString(self.highs.getModelStatus())
        info = self.highs.getInfo()
        found = info.primal_solution_status == 2
        value = info.objective_function_value if found else None
        bound = (value or 0.0) if self.relax else info.mip_dual_bound
        return status, value, bound

    def fix(self, terms: dict[int, float], value: float) -> None:
        self.rows.append((-np.inf, value + 1e-6, terms))
        self._flush()

    def values(self) -> np.ndarray:
        return np.array(self.highs.getSolution().col_value[:self.n])


def solve_levels_mip(model: cp_model.CpModel, levels: list[Level], budget_s: float, *,
                     relax: bool = False, fixed: dict[str, float] | None = None) -> MipResult:
    """`levels` minimised in order by HiGHS within `budget_s` wall seconds (each level LEVEL_SHARE of what is
    left, the last all of it), each fixed at its value before the next; `fixed` caps levels at given values
    instead of solving them (e.g. the planner's proven optima, for a bound on a later level)."""
    started = time.perf_counter()
    mip = Mip(model, relax)
    result = MipResult()
    for k, level in enumerate(levels):
        terms, offset = mip.objective(model, level.expr)
        if fixed and level.name in fixed:
            mip.fix(terms, fixed[level.name] - offset)
            continue
        left = budget_s - (time.perf_counter() - started)
        share = left if k == len(levels) - 1 else left * LEVEL_SHARE
        status, value, bound = mip.minimise(terms, share)
        if value is None:
            result.levels += [MipLevel(lv.name, None, 0.0, False) for lv in levels[k:]]
            break
        result.levels.append(MipLevel(level.name, value + offset, bound + offset, status == "Optimal"))
        result.solution = mip.values()
        mip.fix(terms, value)
    result.wall_s = time.perf_counter() - started
    return result
