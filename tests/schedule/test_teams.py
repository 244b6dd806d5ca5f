"""Stage 1 (teams): each hard rule is one function, proved on an instance whose answer is known by hand."""
from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from models.records import Absence
from models.settings import ZoneBalance
from planner.schedule import teams
from planner.schedule.engine import build_schedule
from tests.draw_helpers import officer
from tests.schedule.helpers import DAYS, instance, solve


def bare_model(requests):
    """Only the variables: every rule is added by the test itself."""
    model = cp_model.CpModel()
    m = teams.TeamModel(model, {}, [])
    for r, request in enumerate(requests):
        m.left_out.append(model.new_bool_var(f"out{r}"))
        for p in request.all_candidates():
            m.member[r, p] = model.new_bool_var(f"on{r}{p}")
    return m


def test_team_size_takes_exactly_the_officers_needed_or_leaves_the_visit_out():
    people = [officer(p, "D3", "Z1") for p in "ABC"]
    dataset, requests = instance(1, inspectors=people)
    m = bare_model(requests)
    teams.add_team_size(m, 0, requests[0])
    m.model.add(m.left_out[0] == 0)
    solver = solve(m.model)
    assert sum(solver.value(m.member[0, p]) for p in "ABC") == 2
    left = bare_model(requests)
    teams.add_team_size(left, 0, requests[0])
    left.model.add(left.left_out[0] == 1)
    solver = solve(left.model)
    assert sum(solver.value(left.member[0, p]) for p in "ABC") == 0


def test_common_working_day_is_exact_for_a_team_of_three():
    # every pair of A, B, C shares a day, but the three never do: a team of three must take D
    people = [officer(p, "D3", "Z1") for p in "ABCD"]
    absences = [Absence("A", DAYS[2], DAYS[2]), Absence("B", DAYS[0], DAYS[0]), Absence("C", DAYS[1], DAYS[1])]
    dataset, requests = instance(1, inspectors=people, absences=absences, min_certified=3)
    m = bare_model(requests)
    teams.add_team_size(m, 0, requests[0])
    teams.add_common_working_day(m, 0, requests[0], dataset.presence, dataset.workdays)
    m.model.add(m.left_out[0] == 0)
    m.model.add(m.member[0, "D"] == 0)
    assert solve(m.model) is None  # {A, B, C} is refused although every pair of them shares a day


def test_a_team_of_three_is_found_where_pairwise_checks_would_drop_the_visit():
    people = [officer("A", "D3", "Z1"), officer("B", "D3", "Z1"), officer("C", "D3", "Z1"), officer("D", "D3", "Z2")]
    absences = [Absence("A", DAYS[2], DAYS[2]), Absence("B", DAYS[0], DAYS[0]), Absence("C", DAYS[1], DAYS[1])]
    dataset, requests = instance(1, inspectors=people, absences=absences, min_certified=3)
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert result.left_out == {}
    team = result.teams[0].members
    assert "D" in team and result.days[0] in result.teams[0].days  # the loan D is what makes a common day


def test_capacity_caps_minutes_by_the_days_present():
    absences = [Absence("A", DAYS[1], DAYS[2])]  # A is present one day: 360 minutes
    people = [officer("A", "D3", "Z1"), officer("B", "D3", "Z1"), officer("C", "D3", "Z1")]
    dataset, requests = instance(2, inspectors=people, absences=absences, minutes=200)
    m = bare_model(requests)
    for r, request in enumerate(requests):
        teams.add_team_size(m, r, request)
        m.model.add(m.left_out[r] == 0)
    teams.add_capacity(m, requests, dataset)
    m.model.add(m.member[0, "A"] == 1)
    solver = solve(m.model)
    assert solver.value(m.member[1, "A"]) == 0  # 200 + 200 > 360


def test_pin_keeps_the_team():
    people = [officer(p, "D3", "Z1") for p in "ABC"]
    dataset, requests = instance(1, inspectors=people)
    m = bare_model(requests)
    teams.add_team_size(m, 0, requests[0])
    teams.add_pin(m, 0, requests[0], ("B", "C"))
    solver = solve(m.model)
    assert [p for p in "ABC" if solver.value(m.member[0, p])] == ["B", "C"]


def test_balance_evens_visit_counts():
    people = [officer(p, "D3", "Z1") for p in "ABCD"]
    dataset, requests = instance(4, minutes=30, inspectors=people)
    result = build_schedule(dataset, requests, time_limit_s=5)
    load = {p: sum(p in t.members for t in result.teams.values()) for p in "ABCD"}
    assert sorted(load.values()) == [2, 2, 2, 2]


def test_loans_are_avoided_when_the_own_zone_can_go():
    people = [officer("A", "D3", "Z1"), officer("B", "D3", "Z1"), officer("X", "D3", "Z2")]
    dataset, requests = instance(1, inspectors=people, zone_balance=ZoneBalance("off"))  # balance would lend X
    requests = [replace(requests[0], zone_id="Z1")]
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert set(result.teams[0].members) == {"A", "B"}
