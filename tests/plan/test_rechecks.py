"""集成改一次: one joint re-check with exactly the departments that found problems, after the later deadline."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from models.records import Result
from planner.check.rules import check_plan
from planner.plan.api import run_plan

TODAY = date(2026, 10, 16)


@pytest.fixture(scope="module")
def with_problems(tiny, tiny_run):
    """The tiny plan after an early joint visit found problems for two of its departments."""
    plan = tiny_run.plan
    visit = next(v for v in plan.visits if len(v.dept_ids) >= 3 and v.date < TODAY)
    items = {tiny.item[i].dept_id: i for i in visit.item_ids}
    depts = sorted(items)
    deadlines = {depts[0]: date(2026, 10, 19), depts[1]: date(2026, 10, 20)}
    results = [Result(visit.visit_id, item_id, visit.date,
                      "发现问题已责令改正" if dept in deadlines else "未发现问题",
                      "责令改正" if dept in deadlines else "无需处置", deadlines.get(dept), visit.inspector_ids)
               for dept, item_id in items.items()]
    previous = replace(plan, results=results)
    again = run_plan(tiny, previous=previous, today=TODAY, time_limit_s=10)
    return visit, deadlines, again


def test_one_recheck_with_exactly_the_departments_that_found_problems(tiny, with_problems):
    visit, deadlines, again = with_problems
    rechecks = [v for v in again.plan.visits if v.kind == "recheck"]
    assert [v.credit_code for v in rechecks] == [visit.credit_code]
    (recheck,) = rechecks
    assert set(recheck.dept_ids) == set(deadlines)
    assert recheck.date > max(deadlines.values())
    assert recheck.visit_id == f"R{visit.credit_code}"
    certified = sum(tiny.inspector[p].certified for p in recheck.inspector_ids)
    assert certified >= tiny.settings.min_certified


def test_recheck_prefers_the_first_visits_officers(with_problems):
    visit, _, again = with_problems
    (recheck,) = [v for v in again.plan.visits if v.kind == "recheck"]
    assert set(recheck.inspector_ids) & set(visit.inspector_ids)


def test_recheck_keeps_every_rule_and_verify_checks_it(tiny, with_problems):
    visit, _, again = with_problems
    assert check_plan(again.dataset, again.plan, again.draw) == []
    (i, recheck) = next((i, v) for i, v in enumerate(again.plan.visits) if v.kind == "recheck")
    early = replace(recheck, date=date(2026, 10, 20))
    broken = replace(again.plan, visits=again.plan.visits[:i] + [early] + again.plan.visits[i + 1:])
    assert any(p.startswith("[复查]") and "整改期限" in p for p in check_plan(again.dataset, broken, again.draw))


def test_a_recheck_does_not_count_as_a_second_knock(with_problems):
    visit, _, again = with_problems
    assert sum(v.credit_code == visit.credit_code for v in again.plan.visits) == 2
