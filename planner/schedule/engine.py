"""The quarter's joint schedule: teams (stage 1), then days (stage 2), part by part.

Both stages are split into independent parts (connected components) before solving: two visits belong to the
same part of stage 1 when they share a candidate inspector or a (department, 片区) balance cell, and to the
same part of stage 2 when their chosen teams share an inspector. No rule or objective links two parts, so
solving them one by one keeps every guarantee, except that stage 2 evens the weekly pace per part rather than
per whole 片区 (parts of one 片区 each keeping an even pace keep the 片区 even too).
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from models.dataset import Dataset
from planner.schedule import days as day_stage
from planner.schedule import teams as team_stage
from planner.schedule.decompose import request_parts
from planner.schedule.greedy import greedy_days, greedy_teams
from planner.schedule.joint import build_joint_model, kept_terms
from planner.schedule.levels import Level, LevelResult, LexResult, level_weights, solve_levels
from planner.schedule.pinning import pinned_placements
from planner.schedule.problem import Held, Placement, Team, VisitRequest, common_days
from planner.schedule.solve import WORK_UNITS_PER_SECOND, Progress, ProgressFn, solve_cpus
from planner.schedule.zones import missed_targets, zone_plan

TEAM_SHARE = 0.4  # of the time budget; the rest goes to the days
MIN_TRY_S = 1.0  # a wider re-plan after a narrow one that left a visit out still gets this much
CELL_SHARE = 0.25  # of a part's budget for its fair-spread level, solved cell by cell under zone balance
REOPEN_S = 1.0  # budget of stage 1 re-opened for one visit stage 2 could not place (a model of one visit)
REPAIR_SHARE = 0.05  # of the time limit for the joint repair around what both stages left out
JOINT_MAX = 200_000  # (visit, officer, day) Booleans in one joint repair model


@dataclass
class LevelTotal:
    """One objective level of a stage, summed over the stage's parts."""
    value: int = 0
    bound: int = 0
    optimal: bool = True


@dataclass
class StageReport:
    """A stage's solver figures, summed over its parts, level by level. A part where CP-SAT found no plan in
    its budget keeps the greedy warm start (`warm_start_parts`)."""
    levels: dict[str, LevelTotal] = field(default_factory=dict)
    objective: int = 0
    bound: int = 0
    work: float = 0.0
    parts: int = 0
    warm_start_parts: int = 0
    wall_stopped: bool = False

    @property
    def optimal(self) -> bool:
        return all(level.optimal for level in self.levels.values())

    def add(self, solved: LexResult) -> None:
        self.parts += 1
        self.work += solved.work
        self.wall_stopped |= solved.wall_stopped
        self.warm_start_parts += solved.solver is None and not solved.optimal
        self.objective += solved.objective
        self.bound += solved.bound
        for level in solved.levels:
            total = self.levels.setdefault(level.name, LevelTotal())
            total.value += level.value
            total.bound += level.bound
            total.optimal &= level.optimal


@dataclass
class Schedule:
    """What the engine decided: per request, its team and day, or the stage that left it out."""
    requests: list[VisitRequest]
    teams: dict[int, Team] = field(default_factory=dict)
    days: dict[int, date] = field(default_factory=dict)
    left_out: dict[int, str] = field(default_factory=dict)  # request -> "blocked" | "teams" | "days"
    dropped_teams: dict[int, Team] = field(default_factory=dict)  # teams of the visits no day could hold
    balance_notes: dict[str, str] = field(default_factory=dict)  # department -> why its 片区 cannot meet the target
    stages: dict[str, StageReport] = field(default_factory=dict)
    pinned: int = 0  # visits a re-plan kept without solving for them
    wall_s: float = 0.0  # measured: the whole schedule — models, the flow relaxation, searches, repair


@dataclass(frozen=True)
class Job:
    """One scheduling run: what to solve and how."""
    dataset: Dataset
    requests: list[VisitRequest]
    time_limit_s: float
    previous: dict[str, Placement]  # visit id -> (date, team) in the plan being revised
    load: team_stage.Load  # visits already carried (kept visits) and available days, for balance
    progress: ProgressFn | None
    stop: threading.Event | None
    clock: float


def build_schedule(dataset: Dataset, requests: list[VisitRequest], *, time_limit_s: float,
                   previous: dict[str, Placement] | None = None, forced: dict[int, Placement] | None = None,
                   load: team_stage.Load | None = None, progress: ProgressFn | None = None,
                   stop: threading.Event | None = None) -> Schedule:
    """Decide teams, then days; `previous` (visit id -> date, team) asks for minimal perturbation, and pins
    every visit no change touches (see pinning.py); `forced` (request -> date, team) are hand edits, kept
    whatever happens; `load` is what balance counts (default: nothing carried, each officer's present days)."""
    load = load or team_stage.Load(days={p: len(days) for p, days in dataset.presence.items()})
    job = Job(dataset, requests, time_limit_s, previous or {}, load, progress, stop, time.perf_counter())
    forced = forced or {}
    ladder = [pinned_placements(dataset, requests, job.previous, forced, around) for around in (False, True)] \
        if job.previous else []
    work = 0.0
    for pins in [*ladder, forced]:  # pin as much as possible; widen only when that leaves a visit out
        left = max(job.time_limit_s - work / WORK_UNITS_PER_SECOND, MIN_TRY_S)
        result = _schedule(replace(job, time_limit_s=left), pins)
        work += sum(stage.work for stage in result.stages.values())
        if len(pins) == len(forced) or all(stage == "blocked" for stage in result.left_out.values()):
            break
    result.wall_s = time.perf_counter() - job.clock
    return result


def _schedule(job: Job, pins: dict[int, Placement]) -> Schedule:
    """Pinned visits keep their placement outside the models, which only see what they hold (Held)."""
    dataset, requests = job.dataset, job.requests
    result = Schedule(requests)
    for r, request in enumerate(requests):
        if request.blocker:
            result.left_out[r] = "blocked"
    pinned = {r: placement for r, placement in pins.items() if r not in result.left_out}
    for r, (day, team) in pinned.items():
        result.teams[r], result.days[r] = Team(team, common_days(requests[r], dataset.presence, team)), day
    held = Held.of(requests, pinned)
    free = [r for r in range(len(requests)) if r not in result.left_out and r not in pinned]
    result.stages["teams"] = _solve_teams(job, result, free, job.time_limit_s * TEAM_SHARE, held)
    placed = sorted(r for r in result.teams if r not in pinned)
    result.stages["days"] = _solve_days(job, result, placed, job.time_limit_s * (1 - TEAM_SHARE), held)
    out = {stage: sum(s == stage for s in result.left_out.values()) for stage in ("teams", "days")}
    if out["days"]:
        _reopen_teams(job, result, result.stages["days"])
    if any(stage != "blocked" for stage in result.left_out.values()):
        repair = _repair_around(job, result, set(pinned))
        if repair.parts:
            result.stages["repair"] = repair
    for stage, before in out.items():
        _recount_left_out(result.stages[stage], before - sum(s == stage for s in result.left_out.values()))
    _urgent_first(job, result, set(pinned))
    result.pinned = len(pinned)
    missed = missed_targets(dataset, requests, {r: team.members for r, team in result.teams.items()}, job.load,
                            "repair" in result.stages)
    result.balance_notes.update({d: why for d, why in missed.items() if d not in result.balance_notes})
    return result


def _solve_teams(job: Job, result: Schedule, ready: list[int], budget: float, held: Held) -> StageReport:
    """Teams, department by department where a visit allows it (see `slices`), part by part."""
    dataset, requests = job.dataset, job.requests
    load = replace(job.load, carried=Counter(job.load.carried) + held.visits, minutes=job.load.minutes + held.minutes)
    units = [(r, piece) for r in ready for piece in slices(dataset, requests[r], job.previous)]
    parts = request_parts({u: piece.all_candidates() for u, (_, piece) in enumerate(units)}, _balance_groups(dataset))
    report = StageReport()
    weight = {u: len(piece.all_candidates()) for u, (_, piece) in enumerate(units)}
    total = sum(weight.values()) or 1
    members: dict[int, list[str]] = {r: [] for r in ready}
    for index, part in enumerate(parts):
        subset = [units[u][1] for u in part]
        hint, floors = _team_hint(job, result, subset, load)
        model = team_stage.build_team_model(dataset, subset, job.previous, hint, load=load)
        model.levels = [replace(level, floor=floors.get(level.name, 0)) for level in model.levels]
        share = budget * sum(weight[u] for u in part) / total
        reporter = _reporter(job, "teams", index, len(parts), report)
        if job.previous or dataset.settings.zone_balance.mode == "off" or model.levels[-1].name != "visit_spread":
            solved = solve_levels(model.model, model.levels, model.decisions(), share, stop=job.stop,
                                  on_solution=reporter)
            chosen = hint if solved.solver is None else team_stage.chosen_teams(solved.solver, model, subset)
        else:
            solved, chosen = _between_then_within(job, model, subset, share, reporter, load)
        report.add(solved)
        for local, u in enumerate(part):
            r = units[u][0]
            if local in chosen and r in members:
                members[r] += chosen[local]
            else:
                members.pop(r, None)  # a department without a team leaves the whole visit out
    for r in ready:
        team = tuple(p for p in requests[r].all_candidates() if p in set(members.get(r, ())))
        days = common_days(requests[r], dataset.presence, team) if r in members else ()
        if days:
            result.teams[r] = Team(team, days)
        else:
            result.left_out[r] = "teams"
    return report


def _team_hint(job: Job, result: Schedule, subset: list[VisitRequest],
               load: team_stage.Load) -> tuple[dict[int, tuple[str, ...]], dict[str, int]]:
    """The warm start of a part and the floors of its levels. With zone balance in a first plan, the relaxed
    flow (zones.py) gives both — and why a department cannot meet the target; the greedy plan staffs what it
    leaves (every visit, without zone balance or in a re-plan)."""
    dataset = job.dataset
    if job.previous or dataset.settings.zone_balance.mode == "off":
        return greedy_teams(dataset, subset, load), {}
    relaxed = zone_plan(dataset, subset, load)
    result.balance_notes.update({d.dept_id: d.reason for d in relaxed.departments if d.reason})
    hint = relaxed.teams(subset)
    missing = [r for r in range(len(subset)) if r not in hint]
    if missing:
        taken = Counter(p for team in hint.values() for p in team)
        rest = greedy_teams(dataset, [subset[r] for r in missing], replace(load, carried=Counter(load.carried) + taken))
        hint.update({missing[k]: team for k, team in rest.items()})
    return hint, relaxed.floors()


def _between_then_within(job: Job, model: team_stage.TeamModel, subset: list[VisitRequest], share: float,
                         reporter, load: team_stage.Load) -> tuple[LexResult, dict[int, tuple[str, ...]]]:
    """Zone balance decides which 片区 serves each visit (every level but the fair spread, in the department's
    model); the fair spread is then solved cell by cell with that fixed (team_stage.balance_within_cells)."""
    between = solve_levels(model.model, model.levels[:-1], model.decisions(), share * (1 - CELL_SHARE),
                           stop=job.stop, on_solution=reporter)
    result = replace(between, weights=level_weights(model.levels))
    if between.solver is None:  # no plan found: the warm start stands, its spread unmeasured
        result.levels.append(LevelResult(model.levels[-1].name, 0, 0, False))
        return result, greedy_teams(job.dataset, subset, load)
    within = team_stage.balance_within_cells(job.dataset, subset, model, between.solver, load, share * CELL_SHARE)
    result.levels.append(LevelResult(model.levels[-1].name, within.value, within.bound, within.optimal))
    result.work += within.work
    return result, team_stage.chosen_teams(within.values.__getitem__, model, subset)


def slices(dataset: Dataset, request: VisitRequest, previous: dict[str, Placement]) -> list[VisitRequest]:
    """The request cut into one piece per department, which stage 1 may then solve in separate parts — unless a
    rule ties its departments together: no allowed day on which every candidate is present (the team's common
    day is then a joint choice), or a re-plan's previous date that some candidate cannot keep."""
    presence = dataset.presence
    everyone = request.all_candidates()
    free_day = any(all(day in presence[p] for p in everyone) for day in request.days)
    before = previous.get(request.visit_id)
    date_at_stake = before is not None and any(before[0] not in presence[p] for p in everyone)
    if len(request.needs) == 1 or not free_day or date_at_stake:
        return [request]
    return [replace(request, needs={d: n}, candidates={d: request.candidates[d]}) for d, n in request.needs.items()]


def _balance_groups(dataset: Dataset) -> list[list[str]]:
    """People whose load is evened in one model: a (department, 片区) cell, or with zone balance a department."""
    if dataset.settings.zone_balance.mode == "off":
        return list(dataset.balance_cells.values())
    by_dept: dict[str, list[str]] = {}
    for (dept_id, _zone), people in sorted(dataset.balance_cells.items()):
        by_dept.setdefault(dept_id, []).extend(people)
    return list(by_dept.values())


def _solve_days(job: Job, result: Schedule, placed: list[int], budget: float, held: Held) -> StageReport:
    dataset, requests = job.dataset, job.requests
    parts = request_parts({r: list(result.teams[r].members) for r in placed})
    report = StageReport()
    weight = {r: len(result.teams[r].days) for r in placed}
    total = sum(weight.values()) or 1
    before = {visit_id: placement[0] for visit_id, placement in job.previous.items()}
    # a re-plan's "keep the dates" level needs the portfolio's neighbourhood search (docs/schedule.md)
    parallel = solve_cpus(replan=bool(before)) > 1
    for index, part in enumerate(parts):
        subset = [requests[r] for r in part]
        teams = [result.teams[r] for r in part]
        share = budget * sum(weight[r] for r in part) / total
        hint = greedy_days(dataset, subset, dict(enumerate(teams)), before, held)
        reporter = _reporter(job, "days", index, len(parts), report)
        # stage 2 offers each visit a few spread-out days; one the warm start cannot place gets every day at once
        wide = frozenset(i for i in range(len(part)) if i not in hint and _more_days(teams[i]))
        solved, chosen = _day_part(job, subset, teams, before, hint, held, share, parallel, reporter, wide)
        dropped = frozenset(i for i in range(len(part)) if i not in chosen and i not in wide and _more_days(teams[i]))
        if dropped:  # what it dropped gets every day too, within what the part's budget has left
            first = solved
            left = max(share - first.work / WORK_UNITS_PER_SECOND, MIN_TRY_S)
            solved, chosen = _day_part(job, subset, teams, before, chosen, held, left, parallel, reporter,
                                       wide | dropped)
            solved.work += first.work
        report.add(solved)
        for local, r in enumerate(part):
            if local in chosen:
                result.days[r] = chosen[local]
            else:
                result.left_out[r] = "days"
                result.dropped_teams[r] = result.teams.pop(r)
    return report


def _more_days(team: Team) -> bool:
    """Whether the team has open days stage 2 did not offer (day_stage.candidate_days keeps at most so many)."""
    return len(team.days) > day_stage.MAX_CANDIDATE_DAYS


def _day_part(job: Job, subset, teams, before, hint, held: Held, share: float, parallel: bool, reporter,
              every_day: frozenset[int]) -> tuple[LexResult, dict[int, date]]:
    model = day_stage.build_day_model(job.dataset, subset, teams, before, hint, held, every_day)
    solved = solve_levels(model.model, model.levels, model.decisions(), share, stop=job.stop, parallel=parallel,
                          on_solution=reporter)
    return solved, (hint if solved.solver is None else day_stage.chosen_days(solved.solver, model))


def _reopen_teams(job: Job, result: Schedule, report: StageReport) -> None:
    """Visits no day could hold with their team: stage 1 again, one visit at a time, with every other visit as
    it is — candidates only on days they still have room that day (minutes, town), and never the team that
    failed — then the day. A visit that finds no such team stays out, with its reason."""
    dataset, requests = job.dataset, job.requests
    for r in sorted(r for r, stage in result.left_out.items() if stage == "days"):
        request, failed = requests[r], result.dropped_teams[r].members
        held = Held.of(requests, {k: (result.days[k], result.teams[k].members) for k in result.days})
        room = {p: frozenset(d for d in dataset.presence[p] if held.room(dataset, request, (p,), d))
                for p in request.all_candidates()}
        load = replace(job.load, carried=Counter(job.load.carried) + held.visits,
                       minutes=job.load.minutes + held.minutes)
        model = team_stage.build_team_model(dataset, [request], None, {}, load=load, presence=room)
        team_stage.forbid_team(model, 0, failed)
        solved = solve_levels(model.model, model.levels, model.decisions(), REOPEN_S, stop=job.stop)
        report.work += solved.work
        chosen = {} if solved.solver is None else team_stage.chosen_teams(solved.solver, model, [request])
        if 0 not in chosen:
            continue
        team = Team(chosen[0], common_days(request, room, chosen[0]))
        day = greedy_days(dataset, [request], {0: team}, None, held).get(0)
        if day is not None:
            result.teams[r], result.days[r] = team, day
            del result.left_out[r], result.dropped_teams[r]


def _repair_around(job: Job, result: Schedule, pinned: set[int]) -> StageReport:
    """Visits the stages left out, with every visit sharing one of their candidates: both stages at once
    (joint.py), every other visit holding its day and team. Levels: leave fewest out, balance between 片区 and
    loans as stage 1 counts them (the visits held carried), then move fewest of the visits around (the stage
    "repair" of the record). A neighbourhood larger than JOINT_MAX Booleans is taken
    one left-out visit at a time."""
    requests = job.requests
    report = StageReport()
    out = sorted(r for r, stage in result.left_out.items() if stage != "blocked")
    groups = [out] if _joint_size(job, result, out, pinned) <= JOINT_MAX else [[r] for r in out]
    for group in groups:
        if _joint_size(job, result, group, pinned) > JOINT_MAX or (job.stop is not None and job.stop.is_set()):
            continue
        people = {p for r in group for p in requests[r].all_candidates()}
        around = sorted(r for r in result.days if r not in pinned and people & set(result.teams[r].members))
        local = [r for r in group if r in result.left_out] + around
        held = Held.of(requests, {r: (day, result.teams[r].members) for r, day in result.days.items()
                                  if r not in set(around)})
        subset = [requests[r] for r in local]
        m = build_joint_model(job.dataset, subset, held)
        placed = {i: (result.days[r], result.teams[r]) for i, r in enumerate(local) if r in result.days}
        _hint_joint(m, subset, placed)
        moved = kept_terms(m, subset, placed)
        load = replace(job.load, carried=Counter(job.load.carried) + held.visits)
        loans = team_stage.loan_terms(m.teams, subset, job.dataset)
        levels = [Level("left_out", sum(m.days.left_out), len(local)), *team_stage.zone_levels(m.teams, job.dataset, load),
                  Level("loans", sum(loans), len(loans)),
                  Level("moved", sum(moved), sum(2 * len(team.members) for _, team in placed.values()))]
        solved = solve_levels(m.model, [level for level in levels if level.upper > 0], m.decisions(),
                              job.time_limit_s * REPAIR_SHARE, stop=job.stop)
        report.add(solved)
        if solved.solver is None:
            continue
        chosen = m.chosen(solved.solver.value, subset)
        for i, r in enumerate(local):
            if i in chosen:
                day, members = chosen[i]
                result.teams[r] = Team(members, common_days(requests[r], job.dataset.presence, members))
                result.days[r] = day
                result.left_out.pop(r, None)
                result.dropped_teams.pop(r, None)
            elif r in result.days:  # never fewer placed in all: another visit of the neighbourhood took its place
                result.left_out[r] = "days"
                result.dropped_teams[r] = result.teams.pop(r)
                del result.days[r]
    return report


def _urgent_first(job: Job, result: Schedule, pinned: set[int]) -> None:
    """尽快安排: each urgent visit on the earliest day its shortlists can staff, every other visit as placed —
    the joint model (joint.py) of that one visit, its waiting days minimised; a team stage 1 chose for balance
    may not be free that early, another shortlisted officer may."""
    requests, index = job.requests, {day: n for n, day in enumerate(job.dataset.workdays)}
    for r in sorted(r for r in result.days if requests[r].kind == "urgent" and r not in pinned):
        held = Held.of(requests, {k: (day, result.teams[k].members) for k, day in result.days.items() if k != r})
        m = build_joint_model(job.dataset, [requests[r]], held)
        earlier = {key: var for key, var in m.days.on_day.items() if index[key[1]] < index[result.days[r]]}
        if not earlier or (job.stop is not None and job.stop.is_set()):
            continue
        wait = Level("urgent_wait", sum(index[day] * var for (_, day), var in m.days.on_day.items()),
                     max(index.values(), default=0))
        solved = solve_levels(m.model, [Level("left_out", sum(m.days.left_out), 1), wait], m.decisions(), REOPEN_S,
                              stop=job.stop)
        chosen = {} if solved.solver is None else m.chosen(solved.solver.value, [requests[r]])
        if 0 in chosen and index[chosen[0][0]] < index[result.days[r]]:
            day, members = chosen[0]
            result.days[r], result.teams[r] = day, Team(members, common_days(requests[r], job.dataset.presence, members))


def _joint_size(job: Job, result: Schedule, group: list[int], pinned: set[int]) -> int:
    requests, presence = job.requests, job.dataset.presence
    people = {p for r in group for p in requests[r].all_candidates()}
    around = [r for r in result.days if r not in pinned and people & set(result.teams[r].members)]
    return sum(1 for r in [*group, *around] for p in requests[r].all_candidates() for day in requests[r].days
               if day in presence[p])


def _hint_joint(m, requests: list[VisitRequest], placed: dict[int, tuple[date, Team]]) -> None:
    """The plan in hand as the joint model's warm start: placed visits where they are, the others out."""
    for (r, p, day), var in m.on.items():
        m.model.add_hint(var, r in placed and placed[r][0] == day and p in placed[r][1].members)
    for (r, day), var in m.days.on_day.items():
        m.model.add_hint(var, r in placed and placed[r][0] == day)
    for (r, p), var in m.teams.member.items():
        m.model.add_hint(var, r in placed and p in placed[r][1].members)
    for r, var in enumerate(m.days.left_out):
        m.model.add_hint(var, r not in placed)


def _recount_left_out(report: StageReport, placed_again: int) -> None:
    """Stage 2's left-out level after stage 1 re-opened: the visits still out (proven least only when none is)."""
    level = report.levels.get("left_out")
    if level is None or not placed_again:
        return
    level.value -= placed_again
    level.bound = min(level.bound, level.value)
    level.optimal = level.value == 0


def _reporter(job: Job, stage: str, part: int, parts: int, report: StageReport):
    if job.progress is None:
        return None
    progress = job.progress

    def report_solution(value: float, bound: float, level: str) -> None:
        done = report.levels.get(level, LevelTotal())  # the stage's parts solved before this one
        progress(Progress(stage, part, parts, level, done.value + value, done.bound + bound,
                          time.perf_counter() - job.clock))
    return report_solution
