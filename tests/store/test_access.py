"""What each role may see and do: the rules hold on the data, not only in the pages."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from models.records import Result
from planner.plan.model import Plan, Unscheduled
from planner.store.access import AccessDenied, Action, may, require, results_not_allowed, visible_plan
from planner.store.accounts import User

CREATED = datetime(2026, 10, 1, tzinfo=UTC)
COORDINATOR = User("张三", "coordinator", None, CREATED)
MARKET = User("市场监管", "department", "SJ", CREATED)
FIRE = User("消防", "department", "XF", CREATED)
LEADER = User("县领导", "viewer", None, CREATED)


def result(visit_id: str, item_id: str) -> Result:
    return Result(visit_id, item_id, date(2026, 10, 20), "未发现问题")


@pytest.fixture()
def plan(tiny_run) -> Plan:
    """The tiny plan with one result per (visit, item) and an unscheduled business carrying two departments."""
    base = tiny_run.plan
    results = [result(v.visit_id, i) for v in base.visits for i in v.item_ids]
    return replace(base, results=results, unscheduled=[Unscheduled("91330822MA0000000X", ("SJ01", "XF01"), "无人")])


def test_each_role_may_do_what_its_duty_needs():
    table = {user.name: {a for a in Action if may(user, a)} for user in (COORDINATOR, MARKET, LEADER)}
    assert table == {"张三": set(Action), "市场监管": {Action.LISTS, Action.RESULTS, Action.PROGRESS},
                     "县领导": {Action.PROGRESS}}
    assert not may(None, Action.PROGRESS)
    assert not may(replace(COORDINATOR, disabled=True), Action.PROGRESS)
    with pytest.raises(AccessDenied, match="领导（只看进度）账号「县领导」不能查看检查名单和日期"):
        require(LEADER, Action.LISTS)
    with pytest.raises(AccessDenied, match="请先登录"):
        require(None, Action.PROGRESS)


def test_a_coordinator_sees_the_whole_plan_and_a_viewer_no_list(plan, tiny):
    assert visible_plan(COORDINATOR, plan, tiny) is plan
    with pytest.raises(AccessDenied):
        visible_plan(LEADER, plan, tiny)


def test_a_department_sees_its_visits_with_their_teams_and_its_own_results_only(plan, tiny):
    item_dept = {i.item_id: i.dept_id for i in tiny.items}
    seen = visible_plan(MARKET, plan, tiny)
    mine = [v for v in plan.visits if "SJ" in v.dept_ids]
    assert seen.visits == mine and 0 < len(mine) < len(plan.visits)
    ids = {v.visit_id for v in mine}
    assert seen.assignments == [a for a in plan.assignments if a.visit_id in ids]
    assert {a.dept_id for a in seen.assignments} > {"SJ"}  # joint visits keep their whole team
    assert seen.results and all(r.visit_id in ids and item_dept[r.item_id] == "SJ" for r in seen.results)
    assert len(seen.results) == sum(item_dept[i] == "SJ" for v in mine for i in v.item_ids)
    assert [u.item_ids for u in seen.unscheduled] == [("SJ01",)]
    assert seen.results_log == []
    assert visible_plan(FIRE, plan, tiny).unscheduled[0].item_ids == ("XF01",)
    assert plan.visits != mine  # the plan read is left as it was


def test_a_department_may_enter_results_of_its_own_items_only(tiny):
    rows = [result("V1", "SJ01"), result("V1", "XF01"), result("V2", "SJ03")]
    assert results_not_allowed(MARKET, rows, tiny) == [rows[1]]
    assert results_not_allowed(COORDINATOR, rows, tiny) == []
    assert results_not_allowed(LEADER, rows, tiny) == rows
