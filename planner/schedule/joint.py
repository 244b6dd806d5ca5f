"""Both stages in one model: one Boolean per (visit, shortlisted officer, day), no stages and no slices.

Too large for a whole county, it serves two purposes: the engine's last repair — the visits the stages could
not place, re-solved together with the visits around them while every other visit holds its day and team
(`Held`) — and the benchmark's naive model of everything (tools/bench/naive.py).

Hard rules as in the stages: a visit on one of its allowed days with exactly the officers each department needs,
all present that day; an inspector-day holds its minutes (what held visits leave of it) and one town.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from models.dataset import Dataset
from planner.schedule.days import DayModel, add_day_minutes, add_one_day, add_one_town
from planner.schedule.problem import Held, Team, VisitRequest
from planner.schedule.teams import TeamModel


@dataclass
class JointModel:
    model: cp_model.CpModel
    on: dict[tuple[int, str, date], cp_model.IntVar]  # (request, officer, day) -> on the team that day
    teams: TeamModel  # member[r, p] = Σ_day on[r, p, day]
    days: DayModel  # on_day[r, day]: the visit happens that day

    def decisions(self) -> list[cp_model.IntVar]:
        return list(self.on.values()) + list(self.days.on_day.values()) + self.days.left_out

    def chosen(self, value, requests: list[VisitRequest]) -> dict[int, tuple[date, tuple[str, ...]]]:
        """Request -> (day, team) for every request placed; `value` reads a variable (0/1)."""
        out = {}
        for (r, day), var in sorted(self.days.on_day.items()):
            if value(var):
                out[r] = day, tuple(p for p in requests[r].all_candidates()
                                    if (r, p, day) in self.on and value(self.on[r, p, day]))
        return out


def build_joint_model(dataset: Dataset, requests: list[VisitRequest], held: Held | None = None) -> JointModel:
    """`held`: what visits outside the model hold of each inspector-day (its minutes and town)."""
    held = held or Held()
    model = cp_model.CpModel()
    on: dict[tuple[int, str, date], cp_model.IntVar] = {}
    m = JointModel(model, on, TeamModel(model, {}, []), DayModel(model, {}, []))
    work: dict[tuple[str, date], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for r, request in enumerate(requests):
        left_out = model.new_bool_var(f"left_out_{r}")
        m.teams.left_out.append(left_out)
        m.days.left_out.append(left_out)
        m.days.days[r] = [] if request.blocker else list(request.days)
        for day in m.days.days[r]:
            happens = m.days.on_day[r, day] = model.new_bool_var(f"day_{r}_{day:%m%d}")
            for dept_id, people in request.candidates.items():
                free = [p for p in people if day in dataset.presence[p] and held.room(dataset, request, (p,), day)]
                for p in free:
                    var = on[r, p, day] = model.new_bool_var(f"on_{r}_{p}_{day:%m%d}")
                    work[p, day].append((r, var))
                model.add(sum(on[r, p, day] for p in free) == request.needs[dept_id] * happens)
        add_one_day(m.days, r)
        for p in request.all_candidates():
            member = m.teams.member[r, p] = model.new_bool_var(f"member_{r}_{p}")
            model.add(member == sum(on[r, p, d] for d in m.days.days[r] if (r, p, d) in on))
    for (p, day), jobs in sorted(work.items()):
        add_day_minutes(m.days, jobs, requests, dataset.inspector[p].day_minutes - held.day_minutes[p, day])
        add_one_town(m.days, jobs, requests)
    return m


def kept_terms(m: JointModel, requests: list[VisitRequest], placed: dict[int, tuple[date, Team]]) -> list:
    """What a repair moves: per placed visit, a lost day and every member it no longer has."""
    terms = []
    for r, (day, team) in sorted(placed.items()):
        if (r, day) in m.days.on_day:
            terms.append(len(team.members) * (1 - m.days.on_day[r, day]))
        terms += [1 - m.teams.member[r, p] for p in team.members if (r, p) in m.teams.member]
    return terms
