"""Local rules as data: task windows, spacing between departments (history included), quiet days and lapsing
exemptions each bind on a tiny instance, and verify re-checks them."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from models.records import PastInspection
from models.settings import SETTING_KEYS
from planner.check.rules import check_plan
from planner.plan.api import run_plan
from planner.schedule.engine import build_schedule
from planner.schedule.problem import build_request
from tests.schedule.helpers import DAYS, instance


def request_with(dataset, business, items=("I3",), **kwargs):
    return build_request(dataset, business, list(items), {"D3": ("A", "B")}, **kwargs)


def test_task_window_keeps_the_visit_inside_it():
    dataset, _ = instance(1)
    dataset = replace(dataset, items=[replace(dataset.items[0], window_end=DAYS[0])])
    request = request_with(dataset, dataset.businesses[0])
    assert request.days == (DAYS[0],)
    result = build_schedule(dataset, [request], time_limit_s=5)
    assert result.days == {0: DAYS[0]}


def test_windows_that_do_not_meet_are_named_not_split():
    dataset, _ = instance(1)
    late = replace(dataset.items[0], item_id="I4", window_start=DAYS[2])
    dataset = replace(dataset, items=[replace(dataset.items[0], window_end=DAYS[0]), late])
    request = request_with(dataset, dataset.businesses[0], ("I3", "I4"))
    assert request.days == () and "I3" in request.blocker and "I4" in request.blocker and "时间窗口" in request.blocker


def test_spacing_keeps_other_departments_away_including_history():
    dataset, _ = instance(1, min_days_between_departments=12)
    code = dataset.businesses[0].credit_code
    dataset = replace(dataset, history=[PastInspection(code, "D1", date(2026, 10, 1))])  # another department
    assert request_with(dataset, dataset.businesses[0]).days == tuple(DAYS[1:])  # 10-13 is 12 days later
    same = replace(dataset, history=[PastInspection(code, "D3", date(2026, 10, 1))])  # the same department
    assert request_with(same, same.businesses[0]).days == tuple(DAYS)


def test_quiet_days_bar_routine_visits_only():
    dataset, _ = instance(1, quiet_days=SETTING_KEYS["quiet_days"].parse("12"))
    assert request_with(dataset, dataset.businesses[0]).days == tuple(DAYS[1:])
    assert request_with(dataset, dataset.businesses[0], kind="urgent").days == tuple(DAYS)


def test_an_exemption_that_lapses_lets_the_visit_come_after_it():
    dataset, _ = instance(1)
    dataset = replace(dataset, businesses=[replace(dataset.businesses[0], exempt=True, exempt_until=DAYS[1])])
    assert request_with(dataset, dataset.businesses[0]).days == (DAYS[2],)


def test_verify_rechecks_quiet_days_and_windows(tiny):
    run = run_plan(tiny, changes=["set:quiet_days=8-13"], time_limit_s=10)
    assert run.plan.visits and all(not 8 <= v.date.day <= 13 for v in run.plan.visits)
    assert check_plan(run.dataset, run.plan, run.draw) == []
    first = run.plan.visits[0]
    moved = replace(run.plan, visits=[replace(first, date=date(2026, 10, 12))] + run.plan.visits[1:])
    assert any(p.startswith("[宁静日]") for p in check_plan(run.dataset, moved, run.draw))
