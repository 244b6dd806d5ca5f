"""Plans to compare against: today's practice (each department alone, random picks) and a greedy plan."""
from __future__ import annotations

import random
from collections import defaultdict

from models.dataset import Dataset
from planner.plan.assemble import assemble
from planner.plan.model import Assignment, Plan, Unscheduled, Visit
from planner.schedule.engine import Schedule
from planner.schedule.greedy import greedy_days, greedy_teams
from planner.schedule.problem import Team, VisitRequest, common_days


def greedy_plan(dataset: Dataset, requests: list[VisitRequest]) -> Plan:
    """Least-loaded teams, then the least crowded feasible day: the CP-SAT stages' warm start, on its own."""
    result = Schedule(requests)
    for r, members in greedy_teams(dataset, requests).items():
        days = common_days(requests[r], dataset.presence, members)
        if days:
            result.teams[r] = Team(members, days)
    for r in range(len(requests)):
        if r not in result.teams:
            result.left_out[r] = "blocked" if requests[r].blocker else "teams"
    placed = greedy_days(dataset, requests, result.teams)
    for r in list(result.teams):
        if r in placed:
            result.days[r] = placed[r]
        else:
            result.left_out[r] = "days"
            result.dropped_teams[r] = result.teams.pop(r)
    return assemble(dataset, result)


def separate_practice_plan(dataset: Dataset, requests: list[VisitRequest], seed: int = 1) -> Plan:
    """Today's practice on the same draw: every department visits on its own, with officers and a date
    picked at random among those present and with time left (a fixed seed makes the benchmark repeatable)."""
    rng = random.Random(seed)
    used: dict[tuple, int] = defaultdict(int)
    visits, assignments, unscheduled = [], [], []
    for request in requests:
        business = request.business
        for dept_id in request.dept_ids:
            items = tuple(i for i in request.item_ids if dataset.item[i].dept_id == dept_id)
            minutes = sum(dataset.item[i].minutes for i in items)
            need = dataset.officers_needed(items, dept_id)[dept_id]  # the department alone
            pool = [p.inspector_id for p in dataset.inspectors_by_dept.get(dept_id, [])
                    if p.certified and p.zone_id == request.zone_id
                    and (p.inspector_id, business.credit_code) not in dataset.conflict_pairs]
            placed = _random_slot(dataset, rng, pool, need, minutes, used)
            if placed is None:
                unscheduled.append(Unscheduled(business.credit_code, items, "本部门本片区人员无空闲"))
                continue
            day, team = placed
            visit = Visit(f"V{business.credit_code}-{dept_id}", day, business.credit_code, business.name,
                          business.town_id, request.zone_id, business.category_id, dept_id, (dept_id,), items,
                          team, minutes)
            visits.append(visit)
            assignments += [Assignment(visit.visit_id, day, p, dept_id, business.credit_code, business.town_id)
                            for p in team]
    return Plan(visits, assignments, unscheduled)


def _random_slot(dataset, rng, pool, need, minutes, used, tries: int = 30):
    for _ in range(tries):
        day = rng.choice(dataset.workdays)
        free = [p for p in pool if dataset.is_present(p, day)
                and used[p, day] + minutes <= dataset.inspector[p].day_minutes]
        if len(free) >= need:
            team = tuple(rng.sample(free, need))
            for p in team:
                used[p, day] += minutes
            return day, team
    return None
