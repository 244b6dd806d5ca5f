"""The door-knock saving of a draw: how many on-site visits its businesses need after merging (综合查一次),
against what separate departments would need with independent draws of the same sizes, and the floor.

Figures (all computed exactly, none by simulation):
- visits_merged: distinct businesses of this draw, one joint visit each.
- independent.visits_separate_departments: Σ over departments of the expected number of distinct businesses
  that department's items would draw independently (each item an SRS of its frame, departments not merging):
  Σ_d Σ_b [1 − Π_{items s of d containing b} (1 − n_s/N_s)].
- independent.visits_merged: the same independent draws merged by business: Σ_b [1 − Π_s (1 − n_s/N_s)].
- uniform_bound: Σ_b max_s n_s/N_s, fewest expected visits of any draw in which every item's sample is
  uniform (a business is visited at least as often as its likeliest item draws it).
- floor: fewest distinct businesses of any draw with the same sample sizes, uniform or not (a small integer
  program, up to FLOOR_DETERMINISTIC_LIMIT to solve): only when asked (`bench`, `draw --floor`), never on the
  plan path.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

from ortools.sat.python import cp_model

FLOOR_DETERMINISTIC_LIMIT = 30.0  # CP-SAT deterministic seconds: same inputs -> same answer, on any machine
DIGITS = 2


def knocks_of_draw(draw, *, floor: bool = False) -> dict:
    frames = [f for f in draw.frames if f.sample_size > 0]
    memberships = _memberships(frames)
    drawn = {p.credit_code for p in draw.pairs}
    separate_realised = sum(len({p.credit_code for p in draw.pairs if p.dept_id == d})
                            for d in sorted({p.dept_id for p in draw.pairs}))
    independent_separate, independent_merged, uniform_bound = _expectations(frames, memberships)
    saving = 1 - len(drawn) / independent_separate if independent_separate else 0.0
    return {
        "pairs": len(draw.pairs),
        "visits_merged": len(drawn),
        "visits_separate_departments": separate_realised,
        "independent": {"visits_separate_departments": round(independent_separate, DIGITS),
                        "visits_merged": round(independent_merged, DIGITS),
                        "method": "exact expectation from inclusion probabilities n/N"},
        "saving_percent": round(100 * saving, DIGITS),
        "uniform_bound": round(uniform_bound, DIGITS),
    } | ({"floor": solve_floor(frames, memberships, drawn)} if floor else {})


def _memberships(frames) -> dict[str, tuple[int, ...]]:
    """credit_code -> indexes of the frames (with a positive sample size) that contain it."""
    out: dict[str, list[int]] = defaultdict(list)
    for index, frame in enumerate(frames):
        for code in frame.codes:
            out[code].append(index)
    return {code: tuple(out[code]) for code in sorted(out)}


def _expectations(frames, memberships) -> tuple[float, float, float]:
    probability = [f.sample_size / f.frame_size for f in frames]
    separate = merged = bound = 0.0
    for indexes in memberships.values():
        miss_by_dept: dict[str, float] = {}
        miss_all = 1.0
        for i in indexes:
            dept = frames[i].dept_id
            miss_by_dept[dept] = miss_by_dept.get(dept, 1.0) * (1 - probability[i])
            miss_all *= 1 - probability[i]
        separate += sum(1 - miss for _, miss in sorted(miss_by_dept.items()))
        merged += 1 - miss_all
        bound += max(probability[i] for i in indexes)
    return separate, merged, bound


def solve_floor(frames, memberships, drawn: set[str]) -> dict:
    """Fewest distinct businesses such that every frame s holds at least n_s of them (then draw n_s there).

    Businesses that lie in exactly the same frames are interchangeable, so the integer program counts how
    many to take from each such group (microstratum) instead of deciding business by business.
    """
    groups = Counter(memberships.values())
    hint = Counter(memberships[c] for c in drawn if c in memberships)
    model = cp_model.CpModel()
    take = {}
    for n, signature in enumerate(sorted(groups)):
        take[signature] = model.new_int_var(0, groups[signature], f"take_{n}")
        model.add_hint(take[signature], hint.get(signature, 0))
    by_frame: dict[int, list] = defaultdict(list)
    for signature, var in take.items():
        for i in signature:
            by_frame[i].append(var)
    for i, frame in enumerate(frames):
        model.add(sum(by_frame[i]) >= frame.sample_size)
    model.minimize(sum(take.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # with a deterministic limit: the same floor on every run
    solver.parameters.max_deterministic_time = FLOOR_DETERMINISTIC_LIMIT
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {"visits": None, "bound": None, "optimal": False, "status": solver.status_name(status)}
    return {"visits": int(round(solver.objective_value)), "bound": math.ceil(solver.best_objective_bound - 1e-6),
            "optimal": status == cp_model.OPTIMAL, "status": solver.status_name(status)}
