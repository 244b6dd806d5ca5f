"""The two stages talk back: stage 1 knows one town a day (the town cut), stage 2 retries every day for what it
dropped, and stage 1 re-opens for what still finds no day; interchangeable officers are ordered (symmetry) and
the optimum is kept — on instances whose answers are known by hand."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from models.records import Absence
from models.settings import ZoneBalance
from planner.plan.api import run_plan
from planner.schedule import teams as team_stage
from planner.schedule.engine import build_schedule
from planner.schedule.levels import solve_levels
from planner.schedule.problem import build_request, common_days
from planner.schedule.teams import Load, build_team_model, chosen_teams, interchangeable
from tests.draw_helpers import business, item, make_dataset, officer
from tests.schedule.helpers import DAYS, instance, solve

OFF = ZoneBalance("off")  # these instances are about the stages, not about balance between 片区


def loans_made(dataset, result) -> int:
    zone = {p.inspector_id: p.zone_id for p in dataset.inspectors}
    return sum(zone[p] != result.requests[r].zone_id for r, team in result.teams.items() for p in team.members)


def stage_1_teams(dataset, requests) -> dict[int, tuple[str, ...]]:
    """Stage 1 alone, every level solved: request -> team."""
    model = build_team_model(dataset, requests, None, {})
    solved = solve_levels(model.model, model.levels, model.decisions(), 5.0)
    assert solved.optimal
    return chosen_teams(solved.solver, model, requests)


def test_the_town_cut_lends_an_officer_rather_than_give_one_day_two_towns(monkeypatch):
    # A (own 片区) is present one day; B is a loan. Two one-officer visits in two towns: without the cut stage 1
    # gives both to A (no loan) and stage 2 can keep one; with it, stage 1 lends B for the second
    people = [officer("A", "D3", "Z1"), officer("B", "D3", "Z2")]
    dataset, requests = instance(2, towns=("T1", "T3"), minutes=60, inspectors=people, min_certified=1,
                                 zone_balance=OFF, absences=[Absence("A", DAYS[1], DAYS[2])])
    requests = [replace(r, needs={"D3": 1}, zone_id="Z1") for r in requests]
    assert sorted(stage_1_teams(dataset, requests).values()) == [("A",), ("B",)]  # the cut changes stage 1 …
    with monkeypatch.context() as without:
        without.setattr(team_stage, "add_town_cut", lambda *args: None)
        assert stage_1_teams(dataset, requests) == {0: ("A",), 1: ("A",)}  # … which without it has no day for both
    both_on_a = build_team_model(dataset, requests, None, {0: ("A",), 1: ("A",)})
    for r in (0, 1):
        both_on_a.model.add(both_on_a.member[r, "A"] == 1)
    assert solve(both_on_a.model) is None  # the cut: A has one day for two towns
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert result.left_out == {}
    assert sorted(team.members for team in result.teams.values()) == [("A",), ("B",)]
    assert loans_made(dataset, result) == 1


def test_stage_1_reopens_for_a_visit_stage_2_dropped_and_never_retries_the_team_that_failed():
    # Two-officer visits in two towns. v0 may take A, B (own 片区) or D (a loan), v1 A, C or D. A shares only the
    # middle day with B and with C, so the loan-free teams (A, B) and (A, C) both need A in two towns that day:
    # stage 2 drops one; re-opened, stage 1 finds it a team with room on some day (a loan of D)
    people = [officer(p, "D3", "Z2" if p == "D" else "Z1") for p in "ABCD"]
    absences = [Absence("A", DAYS[2], DAYS[2]), Absence("B", DAYS[0], DAYS[0]),
                Absence("C", DAYS[0], DAYS[0]), Absence("C", DAYS[2], DAYS[2])]
    businesses = [business(n, "C3", "A", ("T1", "T3")[n]) for n in range(2)]
    dataset = make_dataset(businesses, [replace(item("I3", "D3", ["C3"], 1.0), minutes=60)], people,
                           absences=absences, zone_balance=OFF)
    dataset = replace(dataset, workdays=list(DAYS), towns=instance()[0].towns)
    requests = [build_request(dataset, b, ["I3"], {"D3": shortlist}) for b, shortlist in
                zip(businesses, [("A", "B", "D"), ("A", "C", "D")])]
    requests = [replace(r, zone_id="Z1") for r in requests]
    first = stage_1_teams(dataset, requests)  # stage 1 alone: no loan, A on both teams, one common day each
    assert first == {0: ("A", "B"), 1: ("A", "C")}
    assert [common_days(request, dataset.presence, first[r]) for r, request in enumerate(requests)] == [(DAYS[1],)] * 2
    result = build_schedule(dataset, requests, time_limit_s=5)  # so stage 2 drops one, and it comes back
    assert result.left_out == {} and "repair" not in result.stages  # re-opened stage 1 placed it, no joint repair
    teams = sorted(tuple(sorted(team.members)) for team in result.teams.values())
    assert ("A", "B") in teams or ("A", "C") in teams  # one loan-free team went ahead
    assert loans_made(dataset, result) == 1  # the other visit took D, the fewest loans that place both
    days = {(p, result.days[r]) for r, team in result.teams.items() for p in team.members}
    assert len(days) == 4  # nobody twice on one day (two towns)


def test_interchangeable_officers_are_found_and_ordered_and_the_optimum_is_kept():
    # seven one-officer visits, three officers alike in every way: the fairest split is 3 : 2 : 2 (spread 1)
    people = [officer(p, "D3", "Z1") for p in "ABC"]
    dataset, requests = instance(7, minutes=60, inspectors=people, min_certified=1, zone_balance=OFF)
    requests = [replace(r, needs={"D3": 1}) for r in requests]
    load = Load(days={p: 3 for p in "ABC"})
    model = build_team_model(dataset, requests, None, {r: ("C",) for r in range(7)}, load=load)
    assert interchangeable(model, dataset, requests, load, dataset.presence, {}, {}) == [["A", "B", "C"]]
    assert solve(model.model) is not None  # the warm start (all on C) renamed to keep the order is still a plan
    model.model.add(sum(model.member[r, "C"] for r in range(7)) > sum(model.member[r, "A"] for r in range(7)))
    assert solve(model.model) is None  # ordered: C never carries more than A
    result = build_schedule(dataset, requests, time_limit_s=5)
    counts = Counter(p for team in result.teams.values() for p in team.members)
    assert (counts["A"], counts["B"], counts["C"]) == (3, 2, 2)  # loads in the order of their ids
    assert result.stages["teams"].levels["visit_spread"].value == 1 and result.stages["teams"].optimal


def test_an_officer_set_apart_by_one_absence_is_not_interchangeable():
    people = [officer(p, "D3", "Z1") for p in "ABC"]
    dataset, requests = instance(4, minutes=60, inspectors=people, min_certified=1, zone_balance=OFF,
                                 absences=[Absence("C", DAYS[0], DAYS[0])])
    requests = [replace(r, needs={"D3": 1}) for r in requests]
    load = Load(days={p: len(d) for p, d in dataset.presence.items()})
    model = build_team_model(dataset, requests, None, {}, load=load)
    assert interchangeable(model, dataset, requests, load, dataset.presence, {}, {}) == [["A", "B"]]


def test_the_joint_repair_moves_the_visits_around_to_place_one_no_single_team_change_could():
    # v0 needs A and B, and B is there only on the first day; v1 and v2 may go only that day, in another town,
    # with A (own 片区) or C (a loan). Stage 1 gives both to A (no loan); stage 2 then keeps v1 and v2 and drops v0
    # (one left out rather than two); re-opened, v0 has no other team. Both stages at once, around it, move v1
    # and v2 to C: all three placed, at the fewest loans that allow it
    people = [officer("A", "D3", "Z1"), officer("B", "D3", "Z1"), officer("C", "D3", "Z2")]
    dataset, requests = instance(3, towns=("T1", "T3", "T3"), minutes=60, inspectors=people, min_certified=1,
                                 zone_balance=OFF, absences=[Absence("B", DAYS[1], DAYS[2])])
    requests = [replace(requests[0], needs={"D3": 2}, candidates={"D3": ("A", "B")}, zone_id="Z1")] + \
        [replace(r, needs={"D3": 1}, candidates={"D3": ("A", "C")}, zone_id="Z1", days=DAYS[:1]) for r in requests[1:]]
    assert stage_1_teams(dataset, requests) == {0: ("A", "B"), 1: ("A",), 2: ("A",)}
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert result.left_out == {} and "repair" in result.stages
    assert {r: team.members for r, team in result.teams.items()} == {0: ("A", "B"), 1: ("C",), 2: ("C",)}
    assert set(result.days.values()) == {DAYS[0]} and loans_made(dataset, result) == 2


def test_symmetry_breaking_keeps_every_levels_optimum_on_the_tiny_county(tiny, monkeypatch):
    # the tiny fixture has officers alike in every way in several (department, 片区) cells: ordering their loads
    # must not cut off any optimum — every level proven, with and without the order, at the same values
    def levels(run):
        assert run.record.solver.status == "OPTIMAL"
        return [(level.stage, level.name, level.value) for level in run.record.solver.levels]

    ordered = levels(run_plan(tiny))
    seen = []
    monkeypatch.setattr(team_stage, "interchangeable", lambda *args: seen.append(1) or [])
    assert levels(run_plan(tiny)) == ordered and seen
