"""Stage 1 of the schedule: choose each visit's team among the draw's shortlists (CP-SAT).

Variables: one Boolean per (visit, shortlisted officer), and one per visit saying it is left out.
Hard rules, one function each: `add_team_size`, `add_common_working_day`, `add_capacity`, `add_pin`.
Objectives, in lexicographic order (see levels.solve_levels): leave no visit out; in a re-plan, keep every date
and team member that may stay (a date first); staff re-checks with the officers they prefer (集成改一次); balance
load between the 片区 of each department (zone_balance); lend officers across 片区 only as far as that needs;
share visits within every (department, 片区) in proportion to each officer's available days (fair share).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction

from ortools.sat.python import cp_model

from models.dataset import Dataset
from models.settings import ZoneBalance
from planner.schedule.levels import Level, solve_levels
from planner.schedule.problem import Placement, VisitRequest
from planner.schedule.solve import WORK_UNITS_PER_SECOND


@dataclass
class TeamModel:
    model: cp_model.CpModel
    member: dict[tuple[int, str], cp_model.IntVar]  # (request index, inspector) -> on the team
    left_out: list[cp_model.IntVar]  # per request
    levels: list[Level] = field(default_factory=list)
    _jobs: tuple[int, dict] = field(default=(-1, {}), init=False, repr=False)  # jobs_of, kept until a member is added

    def decisions(self) -> list[cp_model.IntVar]:
        return list(self.member.values()) + self.left_out

    def jobs_of(self) -> dict[str, list[tuple[int, cp_model.IntVar]]]:
        """inspector -> (request, membership variable) for every visit they are a candidate of."""
        if self._jobs[0] != len(self.member):
            out: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
            for (r, p), var in self.member.items():
                out[p].append((r, var))
            self._jobs = (len(self.member), dict(out))
        return self._jobs[1]


# --- hard rules --------------------------------------------------------------------------------------

def add_team_size(m: TeamModel, r: int, request: VisitRequest) -> None:
    """Each department of the visit sends exactly the officers it needs — or the visit is left out."""
    for dept_id, people in request.candidates.items():
        m.model.add(sum(m.member[r, p] for p in people) == request.needs[dept_id] * (1 - m.left_out[r]))


def add_common_working_day(m: TeamModel, r: int, request: VisitRequest, presence: dict[str, frozenset[date]],
                           days: Sequence[date]) -> None:
    """The team has a working day on which every member is present — or the visit is left out.

    Days are grouped by which candidates are absent on them; the team must avoid the absentees of at least
    one group. Exact (unlike forbidding pairs without a common day), and free when some day has nobody absent.
    """
    away = [p for p in request.all_candidates() if not presence[p].issuperset(days)]  # absent on some day
    if not away:
        return
    absentees = {frozenset(p for p in away if day not in presence[p]) for day in days}
    if frozenset() in absentees:
        return
    minimal = [a for a in absentees if not any(b < a for b in absentees)]
    chosen = []
    for k, absent in enumerate(sorted(minimal, key=sorted)):
        group = m.model.new_bool_var(f"day_group_{r}_{k}")
        for p in absent:
            m.model.add_implication(group, m.member[r, p].Not())
        chosen.append(group)
    m.model.add_bool_or(chosen + [m.left_out[r]])


def add_capacity(m: TeamModel, requests: list[VisitRequest], dataset: Dataset, held: Counter[str] | None = None) -> None:
    """Nobody gets more on-site minutes than their present days hold (less what kept visits hold: `held`)."""
    for p, jobs in sorted(m.jobs_of().items()):
        budget = len(dataset.presence[p]) * dataset.inspector[p].day_minutes - (held or Counter())[p]
        if sum(requests[r].minutes for r, _ in jobs) > budget:
            m.model.add(sum(var * requests[r].minutes for r, var in jobs) <= budget)


def forbid_team(m: TeamModel, r: int, team: tuple[str, ...]) -> None:
    """Not this team again (stage 2 found it no day): at least one of its members stays off."""
    m.model.add(sum(m.member[r, p] for p in team if (r, p) in m.member) <= len(team) - 1)


def add_pin(m: TeamModel, r: int, request: VisitRequest, team: tuple[str, ...]) -> None:
    """A visit a re-plan keeps: exactly this team."""
    m.model.add(m.left_out[r] == 0)
    for p in request.all_candidates():
        m.model.add(m.member[r, p] == (p in team))


# --- objective levels ----------------------------------------------------------------------------------

def change_terms(m: TeamModel, r: int, request: VisitRequest, before: Placement,
                 presence: dict[str, frozenset[date]]) -> tuple[list, int]:
    """Cost of moving a visit away from its previous placement: a lost date outweighs every new member."""
    day, team = before
    candidates = request.all_candidates()
    date_cost = sum(request.needs.values()) + 1
    absent_that_day = [m.member[r, p] for p in candidates if day not in presence[p]]
    terms: list = [m.member[r, p] for p in candidates if p not in team]
    if absent_that_day:
        lost = m.model.new_bool_var(f"date_lost_{r}")
        for var in absent_that_day:
            m.model.add_implication(var, lost)
        terms.append(date_cost * lost)
    return terms, date_cost + sum(request.needs.values())


def loan_terms(m: TeamModel, requests: list[VisitRequest], dataset: Dataset) -> list:
    """Officers working outside their own 片区 (counted under cross_zone = "penalty"; under "allow" zones are
    ignored, under "forbid" the draw never offers one)."""
    if dataset.settings.cross_zone != "penalty":
        return []
    return [var for (r, p), var in sorted(m.member.items())
            if dataset.inspector[p].zone_id != requests[r].zone_id]


@dataclass(frozen=True)
class Load:
    """What balance is measured against: visits an officer already carries (a re-plan's kept visits) and the
    working days they are available in the period (fair share: visits in proportion to days)."""
    carried: dict[str, int] = field(default_factory=dict)
    days: dict[str, int] = field(default_factory=dict)
    minutes: Counter = field(default_factory=Counter)  # on-site minutes kept visits already hold in the window


def officer_loads(m: TeamModel, people: list[str], carried: dict[str, int]) -> list:
    jobs_of = m.jobs_of()
    return [carried.get(p, 0) + sum(var for _, var in jobs_of.get(p, ())) for p in people]


def spread(model: cp_model.CpModel, loads, upper: int, name: str) -> cp_model.IntVar:
    """max(loads) - min(loads), defined exactly so that a warm start of the decisions fixes it too.

    A total T shared by n people has max >= ceil(T/n) and min <= floor(T/n); stating that (T = n*q + rest)
    lets the solver prove a spread of 1 optimal instead of searching for a 0 that cannot exist.
    """
    high = model.new_int_var(0, upper, f"{name}_max")
    low = model.new_int_var(0, upper, f"{name}_min")
    model.add_max_equality(high, loads)
    model.add_min_equality(low, loads)
    out = model.new_int_var(0, upper, name)
    model.add(out == high - low)
    n = len(loads)
    if n > 1:
        quotient = model.new_int_var(0, upper, f"{name}_q")
        rest = model.new_int_var(0, n - 1, f"{name}_r")
        model.add(sum(loads) == n * quotient + rest)
        uneven = model.new_bool_var(f"{name}_uneven")
        model.add(rest >= 1).only_enforce_if(uneven)
        model.add(rest == 0).only_enforce_if(~uneven)
        model.add(high >= quotient + uneven)
        model.add(low <= quotient)
    return out


def fair_spread(model: cp_model.CpModel, loads, days: list[int], most: int, name: str):
    """How unevenly a cell's officers carry its visits against their fair share (visits in proportion to their
    available days), in visits of the cell's fullest officer: with equal days, exactly max − min visits.

    `high`/`low` bound every officer's load scaled to the fullest officer's days. The least spread each total
    allows (spread_floor) is stated as a cut, so the solver proves a spread optimal instead of searching for a
    smaller one that cannot exist.
    """
    if len(set(days)) == 1:
        return spread(model, loads, most, name)
    scale = max(days)
    top = scale * most // min(days) + 1
    high = model.new_int_var(0, top, f"{name}_high")
    low = model.new_int_var(0, top, f"{name}_low")
    for load, d in zip(loads, days):
        model.add(scale * load <= high * d)
        model.add(scale * load >= low * d)
    floors = spread_floor(days, most * len(loads), top)
    for k in range(1, max(floors) + 1):  # a total whose floor reaches k spreads by at least k
        within = model.new_bool_var(f"{name}_floor_{k}")
        allowed = cp_model.Domain.from_values([t for t, floor in enumerate(floors) if floor < k])
        model.add_linear_expression_in_domain(sum(loads), allowed).only_enforce_if(within)
        model.add(high - low >= k).only_enforce_if(~within)
    return high - low


def spread_floor(days: list[int], most_total: int, top: int) -> list[int]:
    """For every total T in 0..most_total: a floor under high − low of fair_spread for any split of T.

    Officer p can carry v visits with low ≤ scale·v/d_p ≤ high only if ceil(low·d/scale) ≤ v ≤ floor(high·d/scale);
    so a split of T needs Σ ceil(low·d/scale) ≤ T ≤ Σ floor(high·d/scale). The least high reaching T and the
    greatest low not passing it give the floor (0 when they cross).
    """
    scale = max(days)
    reach_up = [sum(h * d // scale for d in days) for h in range(top + 1)]  # nondecreasing in h
    reach_down = [sum(-(-h * d // scale) for d in days) for h in range(top + 1)]
    return [max(0, bisect_left(reach_up, total) - (bisect_right(reach_down, total) - 1))
            for total in range(most_total + 1)]


def spread_level(m: TeamModel, dataset: Dataset, load: Load) -> Level:
    """Σ over (department, 片区) cells of the spread of visits against each officer's fair share."""
    jobs_of = m.jobs_of()
    total, upper = [], 0
    for cell, people in sorted(dataset.balance_cells.items()):
        if not any(p in jobs_of for p in people):
            continue
        most = max(load.carried.get(p, 0) + len(jobs_of.get(p, ())) for p in people)
        days = [max(load.days.get(p, 1), 1) for p in people]
        total.append(fair_spread(m.model, officer_loads(m, people, load.carried), days, most, f"spread_{cell}"))
        upper += most * max(days) // min(days) + 1
    return Level("visit_spread", sum(total), upper)


def zone_levels(m: TeamModel, dataset: Dataset, load: Load) -> list[Level]:
    """Balance between the 片区 of each department: load = visits per available officer-day of the cell.

    Per department, integer levels `high`/`low` (load × SCALE) bound every 片区's load; with zone_balance
    "ratio:r" (r = p/q) the excess of q·high over p·low is minimised — 0 means every busiest-to-quietest ratio
    is within r —, with "best" high − low itself. Exact in integers: satisfying it guarantees the true ratio.
    """
    balance = dataset.settings.zone_balance
    if balance.mode == "off":
        return []
    jobs_of = m.jobs_of()
    cells: dict[str, list[list[str]]] = defaultdict(list)
    for (dept_id, _zone), people in sorted(dataset.balance_cells.items()):
        cells[dept_id].append(people)
    p, q = ratio_terms(balance)
    excess: list = []
    upper = 0
    for dept_id, zones in sorted(cells.items()):
        if len(zones) < 2 or not any(person in jobs_of for people in zones for person in people):
            continue
        work = [sum(officer_loads(m, people, load.carried)) for people in zones]
        capacity = [zone_capacity(people, load) for people in zones]
        most = sum(load.carried.get(person, 0) + len(jobs_of.get(person, ())) for people in zones for person in people)
        top = SCALE * most // min(capacity) + 1
        high = m.model.new_int_var(0, top, f"zone_high_{dept_id}")
        low = m.model.new_int_var(0, top, f"zone_low_{dept_id}")
        for w, c in zip(work, capacity):
            m.model.add(SCALE * w <= high * c)
            m.model.add(SCALE * w >= low * c)
        if balance.mode == "ratio":
            over = m.model.new_int_var(0, q * top, f"zone_excess_{dept_id}")
            m.model.add(over >= q * high - p * low)
            excess.append(over)
            upper += q * top
        else:
            excess.append(high - low)
            upper += top
    return [Level("zone_balance", sum(excess), upper)] if excess else []


SCALE = 1000  # loads in visits per 1,000 available officer-days


def zone_capacity(people: list[str], load: Load) -> int:
    """A 片区's available officer-days for one department (each officer at least one)."""
    return sum(max(load.days.get(person, 0), 1) for person in people)


def too_busy(work: tuple[int, int], quiet: tuple[int, int], ratio: float | None) -> bool:
    """Whether a 片区 with (visits, capacity) `work` breaks `ratio` against `quiet` exactly as zone_levels
    counts it (integer loads × SCALE, rounded against the plan): what the warm start must meet for the level to
    be 0."""
    p, q = _ratio(ratio)
    return q * -(-SCALE * work[0] // work[1]) > p * (SCALE * quiet[0] // quiet[1])


def ratio_terms(balance: ZoneBalance) -> tuple[int, int]:
    """zone_balance's ratio as p/q in integers (1/1 for "best")."""
    return _ratio(balance.ratio) if balance.mode == "ratio" else (1, 1)


def _ratio(value: float | None) -> tuple[int, int]:
    fraction = Fraction(value or 1).limit_denominator(100)
    return fraction.numerator, fraction.denominator


# --- the model -----------------------------------------------------------------------------------------

def build_team_model(dataset: Dataset, requests: list[VisitRequest], previous: dict[str, Placement] | None,
                     hint: dict[int, tuple[str, ...]], pins: dict[int, tuple[str, ...]] | None = None,
                     load: Load | None = None, within_cells: bool = False,
                     presence: dict[str, frozenset[date]] | None = None) -> TeamModel:
    """`previous`: visit id -> (date, team) in the plan being revised; `hint`: request -> team;
    `pins`: request -> the team it keeps (a re-plan's untouched visits); `load`: what balance counts;
    `within_cells`: only the fair spread inside the cells (see balance_within_cells); `presence`: the days each
    officer can still take a visit (default: the days they are present)."""
    load = load or Load(days={p: len(days) for p, days in dataset.presence.items()})
    presence = presence or dataset.presence
    model = cp_model.CpModel()
    m = TeamModel(model, {}, [])
    for r, request in enumerate(requests):
        m.left_out.append(model.new_bool_var(f"left_out_{r}"))
        for p in request.all_candidates():
            m.member[r, p] = model.new_bool_var(f"on_{r}_{p}")
    twins = interchangeable(m, dataset, requests, load, presence, previous or {}, pins or {})
    add_load_order(m, twins)
    hint = ordered_hint(hint, twins)
    changes, ub_change = [], 0
    for r, request in enumerate(requests):
        add_team_size(m, r, request)
        add_common_working_day(m, r, request, presence, request.days)
        before = (previous or {}).get(request.visit_id)
        if before is not None:
            terms, worst = change_terms(m, r, request, before, presence)
            changes += terms
            ub_change += worst
        if pins and r in pins:
            add_pin(m, r, request, pins[r])
        wanted = set(before[1]) if before is not None else set(hint.get(r, ()))
        for p in request.all_candidates():
            model.add_hint(m.member[r, p], p in wanted)
        model.add_hint(m.left_out[r], not wanted)
    add_capacity(m, requests, dataset, load.minutes)
    add_town_cut(m, requests, presence)
    loans = loan_terms(m, requests, dataset)
    others = [var for (r, p), var in sorted(m.member.items()) if requests[r].preferred and p not in requests[r].preferred]
    levels = [Level("left_out", sum(m.left_out), len(requests)),
              Level("changes", sum(changes), ub_change),
              Level("continuity", sum(others), len(others)),
              *([] if within_cells else zone_levels(m, dataset, load)),
              Level("loans", 0 if within_cells else sum(loans), 0 if within_cells else len(loans)),
              spread_level(m, dataset, load)]
    m.levels = [level for level in levels if level.upper > 0]
    return m


# --- valid cuts and symmetry ---------------------------------------------------------------------------

def add_town_cut(m: TeamModel, requests: list[VisitRequest], presence: dict[str, frozenset[date]]) -> None:
    """An officer visits no more towns than they have days to visit them on (stage 2 keeps one town per
    inspector-day): a cut every plan of both stages satisfies, stated only where it can bind. The town flags
    are exact (max of the memberships), so a warm start of the decisions fixes them too."""
    for p, jobs in sorted(m.jobs_of().items()):
        by_town: dict[str, list] = defaultdict(list)
        for r, var in jobs:
            by_town[requests[r].business.town_id].append(var)
        if len(by_town) < 2:
            continue
        days = set().union(*(presence[p].intersection(requests[r].days) for r, _ in jobs))
        if len(by_town) <= len(days):
            continue
        flags = []
        for town in sorted(by_town):
            there = m.model.new_bool_var(f"town_{p}_{town}")
            m.model.add_max_equality(there, by_town[town])
            flags.append(there)
        m.model.add(sum(flags) <= len(days))


def interchangeable(m: TeamModel, dataset: Dataset, requests: list[VisitRequest], load: Load,
                    presence: dict[str, frozenset[date]], previous: dict[str, Placement],
                    pins: dict[int, tuple[str, ...]]) -> list[list[str]]:
    """Groups of officers that every rule and every level treats alike — same department and 片区, presence,
    minutes a day, available days and carried load, candidates of exactly the same visits (and preferred, kept
    or pinned on the same ones) — so that swapping two of them turns any plan into one just as good."""
    jobs_of = m.jobs_of()
    previous_teams = {r for r, request in enumerate(requests) if request.visit_id in previous}
    groups: dict[tuple, list[str]] = defaultdict(list)
    for p, jobs in sorted(jobs_of.items()):
        officer = dataset.inspector[p]
        visits = frozenset(r for r, _ in jobs)
        groups[(officer.dept_id, officer.zone_id, presence[p], officer.day_minutes, load.days.get(p),
                load.carried.get(p, 0), load.minutes.get(p, 0), visits,
                frozenset(r for r in visits if p in requests[r].preferred),
                frozenset(r for r in visits if p in pins.get(r, ())),
                frozenset(r for r in visits & previous_teams if p in previous[requests[r].visit_id][1]))].append(p)
    return [people for people in groups.values() if len(people) > 1]


def add_load_order(m: TeamModel, twins: list[list[str]]) -> None:
    """Symmetry breaking: within each group of interchangeable officers, visits in non-increasing order of id,
    so the search never explores the same plan with officers swapped (and proves the spread and loans levels)."""
    jobs_of = m.jobs_of()
    for people in twins:
        loads = [sum(var for _, var in jobs_of[p]) for p in people]
        for more, less in zip(loads, loads[1:]):
            m.model.add(more >= less)


def ordered_hint(hint: dict[int, tuple[str, ...]], twins: list[list[str]]) -> dict[int, tuple[str, ...]]:
    """The warm start with interchangeable officers renamed so that it keeps add_load_order: the busiest of a
    group takes the first id (any plan can be, since swapping them changes nothing)."""
    if not twins:
        return hint
    load = Counter(p for team in hint.values() for p in team)
    rename = {}
    for people in twins:
        for busy, name in zip(sorted(people, key=lambda p: (-load[p], p)), people):
            rename[busy] = name
    return {r: tuple(rename.get(p, p) for p in team) for r, team in hint.items()}


@dataclass
class WithinCells:
    """The fair-spread level solved cell by cell: the plan's decisions, and the level's figures."""
    values: dict  # decision variable of the stage model -> value
    value: int
    bound: int
    optimal: bool
    work: float


def balance_within_cells(dataset: Dataset, requests: list[VisitRequest], m: TeamModel, solver: cp_model.CpSolver,
                         load: Load, budget_s: float) -> WithinCells:
    """The fair-spread level with the 片区 serving each visit fixed (zone balance decides between 片区 first):
    each (department, 片区) cell's officers are dealt among the cell's own slots for the fairest spread, in a
    small model per cell — every 片区's load and every loan stay as the levels before chose them. A
    multi-department visit keeps its officers (its common day is a joint choice) and counts as it is."""
    cell_of = {p: cell for cell, people in dataset.balance_cells.items() for p in people}
    chosen = chosen_teams(solver, m, requests)
    slots: dict[tuple[str, str], list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for r, team in chosen.items():
        for cell in sorted({cell_of[p] for p in team if p in cell_of}):
            slots[cell].append((r, tuple(p for p in team if cell_of.get(p) == cell)))
    out = WithinCells({var: solver.value(var) for var in m.decisions()}, 0, 0, True, 0.0)
    left, size_left = budget_s, sum(len(taken) for taken in slots.values())
    for cell, taken in sorted(slots.items()):
        dept_id = cell[0]
        pieces = [replace(requests[r], needs={dept_id: len(now)}, candidates={dept_id: tuple(
            p for p in requests[r].candidates[dept_id] if cell_of.get(p) == cell)}) for r, now in taken]
        whole = {i: now for i, (r, now) in enumerate(taken) if len(requests[r].needs) > 1}
        small = build_team_model(dataset, pieces, None, dict(enumerate(now for _, now in taken)), whole, load,
                                 within_cells=True)
        # a cell's budget follows its visits (a cell of 500 needs more than one of 5); what one leaves passes on
        solved = solve_levels(small.model, small.levels, small.decisions(), left * len(taken) / size_left)
        left, size_left = max(left - solved.work / WORK_UNITS_PER_SECOND, 0.0), size_left - len(taken)
        out.work += solved.work
        spread = next((level for level in solved.levels if level.name == "visit_spread"), None)
        if solved.solver is None or spread is None:
            continue  # nothing to even out (or no better deal found): the cell keeps its officers
        out.value, out.bound, out.optimal = out.value + spread.value, out.bound + spread.bound, \
            out.optimal and spread.optimal
        for i, (r, _) in enumerate(taken):
            for p in pieces[i].all_candidates():
                out.values[m.member[r, p]] = solved.solver.value(small.member[i, p])
    return out


def chosen_teams(value: Callable[[cp_model.IntVar], int] | cp_model.CpSolver, m: TeamModel,
                 requests) -> dict[int, tuple[str, ...]]:
    """Request index -> team members (in the request's department order), for every request with a team;
    `value` reads a decision (a solver, or a dict's get)."""
    read = value.value if isinstance(value, cp_model.CpSolver) else value
    out = {}
    for r, request in enumerate(requests):
        if read(m.left_out[r]):
            continue
        out[r] = tuple(p for p in request.all_candidates() if read(m.member[r, p]))
    return out
