"""The CP-SAT schedule: every hard rule binds on a tiny instance, infeasible inputs give reasons, re-plans
move little, and the same inputs give the same plan."""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest

from models.loader import load_dataset
from models.records import Absence, Town
from planner.pipeline import run_plan
from planner.rules import check_plan
from planner.schedule.engine import build_schedule
from planner.schedule.requests import build_request
from tests.draw_helpers import business, item, make_dataset, officer

TINY = "fixtures/tiny"
DAYS = [date(2026, 10, 12), date(2026, 10, 13), date(2026, 10, 14)]


def instance(n_businesses=2, *, towns=("T1", "T1"), minutes=120, absences=(), inspectors=None, **settings):
    """Businesses of category C3 checked by D3 alone (two officers each): a schedule small enough to reason
    about by hand."""
    businesses = [business(n, "C3", "A", towns[n % len(towns)]) for n in range(n_businesses)]
    items = [replace(item("I3", "D3", ["C3"], 1.0), minutes=minutes)]
    people = inspectors or [officer("A", "D3", "Z1"), officer("B", "D3", "Z1")]
    dataset = make_dataset(businesses, items, people, absences=absences, **settings)
    dataset = replace(dataset, workdays=list(DAYS),
                      towns=dataset.towns + [Town("T3", "紫港街道", "Z1", 28.95, 118.52)])
    requests = [build_request(dataset, b, ["I3"], {"D3": tuple(p.inspector_id for p in people)})
                for b in businesses]
    return dataset, requests


def placed(dataset, requests, limit=5.0):
    result = build_schedule(dataset, requests, time_limit_s=limit)
    return {requests[r].credit_code: (result.days[r], result.teams[r].members) for r in result.days}, result


# --- each hard rule binds ---------------------------------------------------------------------------------

def test_daily_minutes_split_visits_over_days():
    dataset, requests = instance(3, minutes=200)  # 200 + 200 > 360: one visit a day each
    days, _ = placed(dataset, requests)
    assert len(days) == 3
    assert len({day for day, _ in days.values()}) == 3


def test_one_town_per_inspector_day():
    dataset, requests = instance(2, towns=("T1", "T3"), minutes=60)  # both fit in a day, but not in two towns
    days, _ = placed(dataset, requests)
    assert len({day for day, _ in days.values()}) == 2


def test_absent_member_is_never_on_site():
    absences = [Absence("A", DAYS[0], DAYS[1])]
    dataset, requests = instance(1, absences=absences)
    days, _ = placed(dataset, requests)
    assert [day for day, _ in days.values()] == [DAYS[2]]


def test_too_few_officers_is_unscheduled_with_reason():
    dataset, requests = instance(1, inspectors=[officer("A", "D3", "Z1")])
    days, result = placed(dataset, requests)
    assert days == {}
    assert result.left_out == {0: "blocked"}
    assert "只有 1 名" in requests[0].blocker and "需要 2 名" in requests[0].blocker


def test_no_common_day_is_unscheduled():
    absences = [Absence("A", DAYS[0], DAYS[1]), Absence("B", DAYS[2], DAYS[2])]
    dataset, requests = instance(1, absences=absences)
    days, result = placed(dataset, requests)
    assert days == {} and result.left_out == {0: "teams"}


def test_balance_evens_visit_counts():
    people = [officer(p, "D3", "Z1") for p in "ABCD"]
    dataset, requests = instance(4, minutes=30, inspectors=people)
    _, result = placed(dataset, requests)
    load = {p: sum(p in t.members for t in result.teams.values()) for p in "ABCD"}
    assert sorted(load.values()) == [2, 2, 2, 2]


# --- whole plans ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny():
    return load_dataset(TINY)


@pytest.fixture(scope="module")
def tiny_run(tiny):
    return run_plan(tiny, time_limit_s=10)


def test_tiny_plan_keeps_every_rule(tiny, tiny_run):
    plan = tiny_run.plan
    assert check_plan(tiny, plan, tiny_run.draw) == []
    assert len(plan.visits) + len(plan.unscheduled) == len(tiny_run.draw.by_business())
    assert plan.record["metrics"]["max_spread"] <= 1
    assert plan.record["solver"]["gap"] <= 0.01


def test_same_inputs_give_byte_identical_plan(tiny, tiny_run, tmp_path):
    again = run_plan(tiny, time_limit_s=10)
    tiny_run.write(tmp_path / "one")
    again.write(tmp_path / "two")
    for name in ("visits.csv", "assignments.csv", "unscheduled.csv", "draw.csv", "inspector_orders.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert _without_wall(tiny_run.plan.record) == _without_wall(again.plan.record)


def _without_wall(value):
    """record.json minus the measured wall-clock seconds, the one thing a re-run may change."""
    if isinstance(value, dict):
        return {k: _without_wall(v) for k, v in value.items() if k != "wall_s"}
    return value


def test_forbid_keeps_inspectors_in_their_zone(tiny):
    run = run_plan(tiny, changes=["set:cross_zone=forbid"], time_limit_s=10)
    zone = {p.inspector_id: p.zone_id for p in run.dataset.inspectors}
    assert all(zone[p] == v.zone_id for v in run.plan.visits for p in v.inspector_ids)
    assert check_plan(run.dataset, run.plan, run.draw) == []
    # a zone whose only 消防 officer cannot make a legal pair leaves visits unscheduled, with a reason
    assert all("消防" in u.reason or "人" in u.reason for u in run.plan.unscheduled)


def test_department_with_nobody_present_gives_unscheduled_rows(tiny):
    xf = [p.inspector_id for p in tiny.inspectors if p.dept_id == "XF"]
    whole = [f"absent:{p}:{tiny.settings.start}:{tiny.settings.end}" for p in xf]
    run = run_plan(tiny, changes=whole, time_limit_s=10)
    with_xf = {code for code, pairs in run.draw.by_business().items() if any(p.dept_id == "XF" for p in pairs)}
    assert with_xf and {u.credit_code for u in run.plan.unscheduled} == with_xf
    assert all(u.reason for u in run.plan.unscheduled)
    assert check_plan(run.dataset, run.plan, run.draw) == []


def test_replan_after_absence_moves_little(tiny, tiny_run):
    busiest = max({a.inspector_id for a in tiny_run.plan.assignments},
                  key=lambda p: sum(a.inspector_id == p for a in tiny_run.plan.assignments))
    first_day = min(a.date for a in tiny_run.plan.assignments if a.inspector_id == busiest)
    change = f"absent:{busiest}:{first_day}:{first_day}"
    again = run_plan(tiny, previous=tiny_run.plan, changes=[change], time_limit_s=10)
    assert not [a for a in again.plan.assignments if a.inspector_id == busiest and a.date == first_day]
    forced = sum(a.inspector_id == busiest and a.date == first_day for a in tiny_run.plan.assignments)
    assert 1 <= len(again.moves) <= forced + 2
    assert all("不在岗" in m.reason or "联动" in m.reason for m in again.moves)
    assert again.plan.record["changes"] == [change]
    assert check_plan(again.dataset, again.plan, again.draw) == []


def test_urgent_visit_is_added(tiny, tiny_run):
    drawn = set(tiny_run.draw.by_business())
    code = next(b.credit_code for b in tiny.businesses if b.credit_code not in drawn and not b.exempt)
    again = run_plan(tiny, previous=tiny_run.plan, changes=[f"urgent:{code}"], time_limit_s=10)
    assert code in {v.credit_code for v in again.plan.visits} | {u.credit_code for u in again.plan.unscheduled}
    assert again.plan.record["urgent"] == [code]


def test_progress_reports_objective_and_bound_and_stop_returns_a_plan(tiny):
    seen = []
    stop = threading.Event()
    stop.set()  # pressed before the search starts: the warm start still gives a complete plan
    run = run_plan(tiny, time_limit_s=10, progress=seen.append, stop=stop)
    assert len(run.plan.visits) + len(run.plan.unscheduled) == len(run.draw.by_business())
    assert check_plan(tiny, run.plan, run.draw) == []
    run = run_plan(tiny, time_limit_s=10, progress=seen.append)
    assert seen and all(p.bound <= p.objective + 1e-6 for p in seen)


def test_replan_pins_only_visits_no_change_touches():
    from planner.schedule.pinning import pinned_placements

    people = [officer(p, "D3", "Z1") for p in "ABCD"]
    dataset, requests = instance(2, inspectors=people)
    requests = [replace(requests[0], candidates={"D3": ("A", "B")}),
                replace(requests[1], candidates={"D3": ("C", "D")})]
    previous = {requests[0].credit_code: (DAYS[0], ("A", "B")), requests[1].credit_code: (DAYS[1], ("C", "D"))}
    assert set(pinned_placements(dataset, requests, previous)) == {0, 1}
    absent = replace(dataset, absences=[Absence("A", DAYS[0], DAYS[0])])
    assert set(pinned_placements(absent, requests, previous)) == {1}  # visit 0 must move; 1 is untouched
    requests[0] = replace(requests[0], candidates={"D3": ("A", "B", "C")})
    assert set(pinned_placements(absent, requests, previous)) == set()  # C could take over visit 0


def test_town_rule_is_relaxed_only_when_it_would_leave_a_visit_out():
    one_day = [Absence("A", DAYS[1], DAYS[2])]  # the team shares a single day
    dataset, requests = instance(2, towns=("T1", "T3"), minutes=60, absences=one_day)
    days, result = placed(dataset, requests)
    assert len(days) == 2 and {d for d, _ in days.values()} == {DAYS[0]}
    assert result.relaxed_town_parts == 1
    dataset, requests = instance(2, towns=("T1", "T3"), minutes=60)
    _, result = placed(dataset, requests)
    assert result.relaxed_town_parts == 0


@pytest.mark.parametrize("change, words", [("day_minutes:SJ001:lots", "不是数字"), ("ratio:NOPE:A:0.1", "NOPE"),
                                            ("ratio:SJ01:A:x", "不是数字"), ("absent:SJ001:10/8:2026-10-09", "YYYY-MM-DD"),
                                            ("add:SJ001:某人:SJ:CS1", "已在"), ("bogus:1", "无法识别")])
def test_bad_what_if_changes_get_a_clear_message(tiny, change, words):
    from models.problems import UserError
    from planner.replan import dataset_as_planned

    with pytest.raises(UserError, match=words):
        dataset_as_planned(tiny, [change])
