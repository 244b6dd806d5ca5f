"""Stage 2 (days): each hard rule is one function, proved on an instance whose answer is known by hand."""
from __future__ import annotations

from ortools.sat.python import cp_model

from models.records import Absence
from planner.schedule import days
from planner.schedule.engine import build_schedule
from planner.schedule.reasons import left_out_reasons
from tests.schedule.helpers import DAYS, instance, solve


def bare_model(requests, team_days):
    """Day variables for each request over `team_days[r]`; every rule is added by the test itself."""
    model = cp_model.CpModel()
    m = days.DayModel(model, {}, [])
    for r, _ in enumerate(requests):
        m.days[r] = list(team_days[r])
        for day in m.days[r]:
            m.on_day[r, day] = model.new_bool_var(f"d{r}{day}")
        m.left_out.append(model.new_bool_var(f"out{r}"))
    return m


def work(m, r_list, day):
    return [(r, m.on_day[r, day]) for r in r_list if (r, day) in m.on_day]


def test_one_day_or_left_out():
    _, requests = instance(1)
    m = bare_model(requests, [DAYS])
    days.add_one_day(m, 0)
    m.model.add(m.left_out[0] == 0)
    solver = solve(m.model)
    assert sum(solver.value(m.on_day[0, d]) for d in DAYS) == 1


def test_day_minutes_keep_two_long_visits_apart():
    _, requests = instance(2, minutes=200)
    m = bare_model(requests, [DAYS[:1], DAYS[:1]])
    for r in range(2):
        days.add_one_day(m, r)
    days.add_day_minutes(m, work(m, [0, 1], DAYS[0]), requests, 360)
    m.model.add(m.left_out[0] + m.left_out[1] == 0)
    assert solve(m.model) is None  # 200 + 200 > 360 on the only day


def test_one_town_per_inspector_day():
    _, requests = instance(2, towns=("T1", "T3"), minutes=60)
    m = bare_model(requests, [DAYS[:1], DAYS[:1]])
    for r in range(2):
        days.add_one_day(m, r)
    days.add_one_town(m, work(m, [0, 1], DAYS[0]), requests)
    m.model.add(m.left_out[0] + m.left_out[1] == 0)
    assert solve(m.model) is None  # both fit in the minutes, not in one town


def test_engine_places_visits_on_separate_days_when_minutes_or_towns_demand_it():
    dataset, requests = instance(3, minutes=200)
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert len(set(result.days.values())) == 3
    dataset, requests = instance(2, towns=("T1", "T3"), minutes=60)
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert len(set(result.days.values())) == 2


def test_absent_member_is_never_on_site():
    dataset, requests = instance(1, absences=[Absence("A", DAYS[0], DAYS[1])])
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert list(result.days.values()) == [DAYS[2]]


def test_one_town_holds_even_when_it_leaves_a_visit_out_with_a_reason():
    # the team shares a single day and the two visits lie in two towns: one goes, one is explained (stage 1
    # already knows, from the town cut: A has one day for two towns)
    dataset, requests = instance(2, towns=("T1", "T3"), minutes=60, absences=[Absence("A", DAYS[1], DAYS[2])])
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert len(result.days) == 1 and list(result.left_out.values()) == ["teams"]
    assert "每人每天只在一个乡镇检查" in left_out_reasons(dataset, result)[next(iter(result.left_out))]
