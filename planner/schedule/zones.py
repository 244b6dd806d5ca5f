"""Balance between 片区 as a flow: stage 1's zone-balance and loans levels, relaxed and solved exactly.

Both levels depend only on how many of each visit's officers each 片区 sends. Dropping the rules that need the
officers themselves (minutes, a common working day) leaves a network flow: every visit sends its officers to
the 片区 of its shortlisted candidates (at most as many as it has there), every 片区's load stays inside a window
[low, high] (× SCALE, as zone_levels counts it), a loan costs one. For a fixed window it is a min-cost flow; the
windows are swept in order (the least `high` a `low` allows never falls as `low` rises). That gives, per
department, the least zone-balance value any plan can have and the fewest loans with it: the two levels' floors
(levels.Level.floor), and the proof when the data cannot reach the target (`reason`, naming the 片区). An
officer-level flow then picks the officers of that optimum, spreading each 片区's work in proportion to its
officers' available days, as the warm start; officers who lack the minutes or a common day are swapped for
another candidate of the same 片区 (`_repair`), which keeps both levels.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from ortools.graph.python import min_cost_flow

from models.dataset import Dataset
from planner.schedule.problem import VisitRequest
from planner.schedule.teams import SCALE, Load, ratio_terms, too_busy, zone_capacity

FAIR_UNIT = 1000  # the officer flow's cost of a visit, per available day: convex, so load follows days


@dataclass(frozen=True)
class Piece:
    """One visit's share of a department: how many officers it needs and where its candidates are."""
    r: int  # request index
    need: int
    home: str  # the visit's 片区
    candidates: tuple[str, ...]


@dataclass
class DepartmentBalance:
    """One department's 片区 balance, relaxed: the floors of its two levels, the window reaching them, the warm
    start's officers, and why a target is out of reach."""
    dept_id: str
    excess: int  # the least zone-balance value of any plan (0: the target is met)
    loans: int  # the fewest loans with it
    window: tuple[int, int] | None  # (low, high) × SCALE; None: no zone level for this department
    teams: dict[int, tuple[str, ...]] = field(default_factory=dict)  # request -> this department's officers
    reason: str = ""  # why no plan can meet zone_balance (简体中文), empty when one can


@dataclass
class ZonePlan:
    departments: list[DepartmentBalance]

    def floors(self) -> dict[str, int]:
        return {"zone_balance": sum(d.excess for d in self.departments if d.window is not None),
                "loans": sum(d.loans for d in self.departments)}

    def teams(self, requests: list[VisitRequest]) -> dict[int, tuple[str, ...]]:
        """Request -> its whole team (in the request's candidate order), for every request staffed in full."""
        chosen: dict[int, set[str]] = defaultdict(set)
        for dept in self.departments:
            for r, people in dept.teams.items():
                chosen[r].update(people)
        return {r: tuple(p for p in requests[r].all_candidates() if p in people) for r, people in chosen.items()
                if len(people) == sum(requests[r].needs.values())}


def zone_plan(dataset: Dataset, requests: list[VisitRequest], load: Load) -> ZonePlan:
    """Every department of `requests` relaxed and solved (see the module's doc)."""
    departments = sorted({d for request in requests for d in request.needs})
    plan = ZonePlan([_department(dataset, requests, load, d) for d in departments])
    _repair(dataset, requests, plan, load)
    return plan


# --- one department ------------------------------------------------------------------------------------

@dataclass
class _Network:
    """The relaxed department: pieces grouped into classes of identical ones, and the 片区 (the department's
    balance cells first; a candidate outside every cell adds an unbounded one)."""
    zones: list[str]
    capacity: list[int]  # available officer-days (0 for an unbounded 片区)
    carried: list[int]  # visits its officers already carry
    bounded: int  # the first `bounded` zones are the cells
    classes: list[tuple[int, int, tuple[tuple[int, int], ...]]]  # (home zone, need, ((zone, candidates), …))
    members: list[list[Piece]]
    ratio: tuple[int, int] | None  # p, q of zone_balance; None without a zone level

    @cached_property
    def slots(self) -> int:  # asked for by every window the sweep tries
        return sum(len(m) * need for m, (_, need, _) in zip(self.members, self.classes))


def _network(dataset: Dataset, requests: list[VisitRequest], load: Load, dept_id: str) -> _Network:
    cells = {zone: people for (d, zone), people in sorted(dataset.balance_cells.items()) if d == dept_id}
    zones = list(cells)
    zone_of = {p: dataset.inspector[p].zone_id for r in requests for p in r.candidates.get(dept_id, ())}
    zones += sorted(set(zone_of.values()) - set(zones))
    index = {z: k for k, z in enumerate(zones)}
    groups: dict[tuple, list[Piece]] = defaultdict(list)
    for r, request in enumerate(requests):
        if dept_id not in request.needs:
            continue
        piece = Piece(r, request.needs[dept_id], request.zone_id, request.candidates[dept_id])
        counts: dict[int, int] = defaultdict(int)
        for p in piece.candidates:
            counts[index[zone_of[p]]] += 1
        home = index.get(request.zone_id, -1)
        groups[home, piece.need, tuple(sorted(counts.items()))].append(piece)
    balance = dataset.settings.zone_balance
    levelled = balance.mode != "off" and len(cells) > 1
    return _Network(zones, [zone_capacity(people, load) for people in cells.values()] + [0] * (len(zones) - len(cells)),
                    [sum(load.carried.get(p, 0) for p in cells.get(z, ())) for z in zones], len(cells),
                    list(groups), list(groups.values()),
                    (ratio_terms(balance) if levelled else None))


class _ClassFlow:
    """The class-level min-cost flow, built once; each window only changes the 片区' capacities and supplies."""

    def __init__(self, net: _Network, penalty: bool):
        self.net = net
        k, z = len(net.classes), len(net.zones)
        self.sink = k + z
        tails, heads, caps, costs = [], [], [], []
        for c, ((home, _need, options), members) in enumerate(zip(net.classes, net.members)):
            for zone, count in options:
                tails.append(c)
                heads.append(k + zone)
                caps.append(len(members) * count)
                costs.append(int(penalty and zone != home))
        self.first_zone_arc = len(tails)
        tails += [k + zone for zone in range(z)]
        heads += [self.sink] * z
        caps += [0] * z
        costs += [0] * z
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.flow.add_arcs_with_capacity_and_unit_cost(np.array(tails), np.array(heads), np.array(caps),
                                                       np.array(costs))
        self.class_supply = [len(m) * need for m, (_, need, _) in zip(net.members, net.classes)]

    def bounds(self, low: int, high: int | None) -> tuple[list[int], list[int]] | None:
        """Per 片区, the fewest and most visits of the pieces it may take inside the window; None if none fits."""
        net, lows, highs = self.net, [], []
        for zone in range(len(net.zones)):
            if zone >= net.bounded or net.ratio is None:
                lows.append(0)
                highs.append(self.net.slots)
                continue
            c, carried = net.capacity[zone], net.carried[zone]
            lows.append(max(0, -(-low * c // SCALE) - carried))
            highs.append(min(self.net.slots, (high * c // SCALE if high is not None else 10 ** 12) - carried))
            if highs[-1] < lows[-1]:
                return None
        return lows, highs

    def solve(self, low: int, high: int | None) -> int | None:
        """The fewest loans inside the window, or None when no flow fits it."""
        found = self.bounds(low, high)
        if found is None:
            return None
        lows, highs = found
        if sum(lows) > self.net.slots or sum(highs) < self.net.slots:
            return None
        z = len(self.net.zones)
        arcs = np.arange(self.first_zone_arc, self.first_zone_arc + z)
        self.flow.set_arc_capacities(arcs, np.array([h - lo for lo, h in zip(lows, highs)]))
        k = len(self.net.classes)
        supplies = self.class_supply + [-lo for lo in lows] + [-(self.net.slots - sum(lows))]
        self.flow.set_nodes_supplies(np.arange(k + z + 1), np.array(supplies))
        if self.flow.solve() != self.flow.OPTIMAL:
            return None
        return self.flow.optimal_cost()


def _department(dataset: Dataset, requests: list[VisitRequest], load: Load, dept_id: str) -> DepartmentBalance:
    net = _network(dataset, requests, load, dept_id)
    penalty = dataset.settings.cross_zone == "penalty"
    flow = _ClassFlow(net, penalty)
    if net.ratio is None:
        loans = flow.solve(0, None)
        window = None
        excess = 0
    else:
        excess, windows = _best_windows(flow, net)
        costs = [(flow.solve(low, high), low, high) for low, high in windows]
        loans, low, high = min(costs)
        window = (low, high)
    result = DepartmentBalance(dept_id, excess, (loans or 0) if penalty else 0, window)
    result.teams = _officers(dataset, requests, load, dept_id, net, window, penalty)
    if excess and dataset.settings.zone_balance.mode == "ratio":  # `best` has no target to miss: it evens as far as it can
        result.reason = _why_out_of_reach(dataset, dept_id, net)
    return result


def _best_windows(flow: _ClassFlow, net: _Network) -> tuple[int, list[tuple[int, int]]]:
    """The least zone-balance value over every window a flow fits, and the windows reaching it (widest high).

    `low` rises from 0; the least `high` a flow fits with it never falls, so one pointer walks up with it
    (galloping, then halving). Stops at the first `low` no `high` fits (no larger `low` fits either)."""
    assert net.ratio is not None, "only departments with a zone level"
    p, q = net.ratio
    top = _top(net)
    found: list[tuple[int, int]] = []  # (low, least high)
    high = 0
    for low in range(0, top + 1):
        least = _least_high(flow, low, max(high, low), top)
        if least is None:
            break
        high = least
        found.append((low, high))
    value = {low: max(0, q * high - p * low) for low, high in found}
    best = min(value.values())
    widest = [(low, (best + p * low) // q) for low, high in found if value[low] == best]
    return best, [(low, min(high, top)) for low, high in widest]


def _top(net: _Network) -> int:
    most = net.slots + sum(net.carried[:net.bounded])
    return SCALE * most // max(min(net.capacity[:net.bounded]), 1) + 1


def _least_high(flow: _ClassFlow, low: int, start: int, top: int) -> int | None:
    if flow.solve(low, start) is not None:
        return start
    below, step = start, 1
    while below + step <= top and flow.solve(low, below + step) is None:
        below, step = below + step, step * 2
    above = min(below + step, top)
    if flow.solve(low, above) is None:
        return None
    while above - below > 1:
        middle = (below + above) // 2
        if flow.solve(low, middle) is None:
            below = middle
        else:
            above = middle
    return above


# --- the officers -------------------------------------------------------------------------------------

def _officers(dataset: Dataset, requests: list[VisitRequest], load: Load, dept_id: str, net: _Network,
              window: tuple[int, int] | None, penalty: bool) -> dict[int, tuple[str, ...]]:
    """The officer-level min-cost flow inside the window: fewest loans first, then each officer's visits as
    close to their share of the available days as the candidates allow (a convex cost per visit)."""
    flow = _ClassFlow(net, penalty)
    found = flow.bounds(*window) if window is not None else flow.bounds(0, None)
    assert found is not None
    lows, highs = found
    pieces = [piece for members in net.members for piece in members]
    people = sorted({p for piece in pieces for p in piece.candidates})
    person = {p: k for k, p in enumerate(people)}
    zone_index = {z: k for k, z in enumerate(net.zones)}
    n_pieces, n_people, n_zones = len(pieces), len(people), len(net.zones)
    zone_node = n_pieces + n_people
    sink = zone_node + n_zones
    jobs: dict[str, int] = defaultdict(int)
    for piece in pieces:
        for p in piece.candidates:
            jobs[p] += 1
    fair = []  # (person, zone, cost of each further visit)
    for p in people:
        days = max(load.days.get(p, 1), 1)
        carried = load.carried.get(p, 0)
        fair.append([FAIR_UNIT * (2 * (carried + k) + 1) // days for k in range(jobs[p])])
    loan_cost = sum(sum(costs) for costs in fair) + 1  # a loan outweighs every fairness cost
    tails, heads, caps, costs = [], [], [], []
    piece_arcs = []
    for i, piece in enumerate(pieces):
        for p in piece.candidates:
            piece_arcs.append((i, p))
            tails.append(i)
            heads.append(n_pieces + person[p])
            caps.append(1)
            costs.append(loan_cost if penalty and dataset.inspector[p].zone_id != piece.home else 0)
    for p, each in zip(people, fair):
        for cost in each:
            tails.append(n_pieces + person[p])
            heads.append(zone_node + zone_index[dataset.inspector[p].zone_id])
            caps.append(1)
            costs.append(cost)
    for zone in range(n_zones):
        tails.append(zone_node + zone)
        heads.append(sink)
        caps.append(highs[zone] - lows[zone])
        costs.append(0)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(np.array(tails), np.array(heads), np.array(caps), np.array(costs))
    supplies = [piece.need for piece in pieces] + [0] * n_people + [-lo for lo in lows] + \
        [-(sum(piece.need for piece in pieces) - sum(lows))]
    solver.set_nodes_supplies(np.arange(sink + 1), np.array(supplies))
    if solver.solve() != solver.OPTIMAL:
        return {}
    flows = solver.flows(np.arange(len(piece_arcs)))
    chosen: dict[int, list[str]] = defaultdict(list)
    for (i, p), used in zip(piece_arcs, flows):
        if used:
            chosen[pieces[i].r].append(p)
    return {r: tuple(people) for r, people in chosen.items()}


def _repair(dataset: Dataset, requests: list[VisitRequest], plan: ZonePlan, load: Load) -> None:
    """Teams whose members share no working day, or officers given more minutes than their days hold: swap an
    officer for another candidate of the same department and 片区 (both levels stay as they are), least busy
    first. A team that no swap mends is dropped from the warm start (the greedy team stands in)."""
    presence = dataset.presence
    by_dept = {d.dept_id: d for d in plan.departments}
    minutes: dict[str, int] = defaultdict(int, load.minutes)
    for d in plan.departments:
        for r, people in d.teams.items():
            for p in people:
                minutes[p] += requests[r].minutes

    def budget(p: str) -> int:
        return len(presence[p]) * dataset.inspector[p].day_minutes

    def team_of(r: int) -> list[str]:
        return [p for d in requests[r].needs for p in by_dept[d].teams.get(r, ())]

    def shares_day(people) -> bool:
        return any(all(day in presence[p] for p in people) for day in requests[r].days)

    for r in range(len(requests)):
        team = team_of(r)
        if not team:
            continue
        broken = [p for p in team if minutes[p] > budget(p)]
        if not broken and shares_day(team):
            continue
        for p in broken or team:
            dept = dataset.inspector[p].dept_id
            zone = dataset.inspector[p].zone_id
            rest = [o for o in team if o != p]
            options = sorted((o for o in requests[r].candidates.get(dept, ()) if o not in team
                              and dataset.inspector[o].zone_id == zone
                              and minutes[o] + requests[r].minutes <= budget(o) and shares_day([*rest, o])),
                             key=lambda o: (minutes[o] / budget(o), o))
            if options:
                into = options[0]
                by_dept[dept].teams[r] = tuple(into if o == p else o for o in by_dept[dept].teams[r])
                minutes[p] -= requests[r].minutes
                minutes[into] += requests[r].minutes
                team = team_of(r)
                if shares_day(team) and all(minutes[o] <= budget(o) for o in team):
                    break
        if not shares_day(team) or any(minutes[o] > budget(o) for o in team):
            for needed in requests[r].needs:
                for officer in by_dept[needed].teams.pop(r, ()):
                    minutes[officer] -= requests[r].minutes


def missed_targets(dataset: Dataset, requests: list[VisitRequest], teams: dict[int, tuple[str, ...]],
                   load: Load, repaired: bool) -> dict[str, str]:
    """Departments whose plan misses zone_balance's ratio though the relaxation allowed it, and why (the plan's
    busiest and quietest 片区; the repair that placed every visit, or the time limit)."""
    balance = dataset.settings.zone_balance
    if balance.mode != "ratio":
        return {}
    work: dict[tuple[str, str], int] = defaultdict(int)
    for team in teams.values():
        for p in team:
            officer = dataset.inspector[p]
            work[officer.dept_id, officer.zone_id] += 1
    cells: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for (dept_id, zone), people in sorted(dataset.balance_cells.items()):
        cells[dept_id][zone] = people
    out = {}
    for dept_id, zones in sorted(cells.items()):
        if len(zones) < 2 or not any(dept_id in r.needs for r in requests):
            continue
        loads = {z: (work[dept_id, z] + sum(load.carried.get(p, 0) for p in people), zone_capacity(people, load))
                 for z, people in zones.items()}
        busy = max(loads, key=lambda z: (loads[z][0] / loads[z][1], z))
        quiet = min(loads, key=lambda z: (loads[z][0] / loads[z][1], z))
        if not too_busy(loads[busy], loads[quiet], balance.ratio):
            continue
        ratio = (loads[busy][0] / loads[busy][1]) / max(loads[quiet][0] / loads[quiet][1], 1e-9)
        why = ("为排下全部检查（人员缺勤、每日现场时长、每人每天一个乡镇），补排调整了部分检查组" if repaired
               else "求解时限内未找到满足目标的检查组")
        out[dept_id] = (f"{dataset.department[dept_id].name}：{dataset.zone[busy].name}与{dataset.zone[quiet].name}"
                        f"的人均负荷之比为 {ratio:.2f}，超过目标 {balance.ratio:g}；{why}")
    return out


# --- in words ------------------------------------------------------------------------------------------

def _why_out_of_reach(dataset: Dataset, dept_id: str, net: _Network) -> str:
    """Why no plan meets the department's target: a 片区 that cannot take enough (it is too few visits' candidate)
    or cannot give enough away (its visits' shortlists have too few officers elsewhere), against the average
    of the others — or, when no single 片区 explains it, the best the shortlists allow."""
    assert net.ratio is not None, "only departments with a zone level"
    p, q = net.ratio
    target = p / q
    dept = dataset.department[dept_id].name
    total_work = net.slots + sum(net.carried[:net.bounded])
    total_days = sum(net.capacity[:net.bounded])
    most = [net.carried[z] for z in range(len(net.zones))]
    least = list(most)
    for (_home, need, options), members in zip(net.classes, net.members):
        for zone, count in options:
            most[zone] += len(members) * min(need, count)
        for zone in range(net.bounded):  # what no candidate elsewhere can take off this 片区
            elsewhere = sum(count for other, count in options if other != zone)
            least[zone] += len(members) * max(0, need - elsewhere)
    shares = [(zone, net.capacity[zone], total_days - net.capacity[zone]) for zone in range(net.bounded)
              if total_days > net.capacity[zone]]
    for zone, days, others in shares:
        high, rest = most[zone] / days, (total_work - most[zone]) / others
        if rest > target * high:
            return (f"{dept}：{dataset.zone[net.zones[zone]].name}的持证人员本期共 {days} 个在岗人日，"
                    f"抽中检查的候选名单里最多能给他们 {most[zone]} 人次（每人日 {high:.3f}），而其余片区平均每人日"
                    f"至少 {rest:.3f}，{_times(rest, high)}，超过目标 {target:g}；"
                    "可增加 loan_zones、调整该片区人员，或将 zone_balance 设为 best 或 off")
    for zone, days, others in shares:
        low, rest = least[zone] / days, (total_work - least[zone]) / others
        if low > target * rest:
            return (f"{dept}：{dataset.zone[net.zones[zone]].name}至少要承担 {least[zone]} 人次"
                    f"（候选名单里其他片区的人员不够），每人日 {low:.3f}，而其余片区平均每人日至多 {rest:.3f}，"
                    f"{_times(low, rest)}，超过目标 {target:g}；可增加 loan_zones、充实该片区人员，"
                    "或将 zone_balance 设为 best 或 off")
    return (f"{dept}：抽中检查的候选名单中可借调的人员不足以让各片区负荷之比达到 {target:g}；"
            "可增加 loan_zones，或将 zone_balance 设为 best 或 off")


def _times(more: float, less: float) -> str:
    return f"相差 {more / less:.2f} 倍" if less else "后者为零"
