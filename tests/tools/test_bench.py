"""The benchmark's reference model solves the planner's problem: same rules, same levels, same optimum."""
import pytest

from models.records import Absence
from planner.check.rules import check_plan
from planner.plan.metrics import plan_metrics
from planner.schedule.problem import visit_requests
from tests.draw_helpers import officer
from tests.schedule.helpers import DAYS, instance
from tools.bench import bench_tight, proof, what_ifs
from tools.bench.app import bench_app
from tools.bench.naive import naive_plan, naive_plan_highs


def test_the_naive_model_reaches_the_planners_proven_optimum(tiny, tiny_run):
    requests = visit_requests(tiny, tiny_run.draw)
    plan, solved = naive_plan(tiny, requests, 20.0)
    assert solved.optimal and proof(solved) == "最优 optimal"
    assert check_plan(tiny, plan, tiny_run.draw) == []
    ours, naive = plan_metrics(tiny, tiny_run.plan), plan_metrics(tiny, plan)
    for key in ("visits", "unscheduled", "cross_zone_loans", "max_fair_spread"):
        assert naive[key] == ours[key], key


def test_the_what_ifs_touch_the_busiest_officer_after_today(tiny, tiny_run):
    today = tiny.workdays[2]
    (_, absent), (_, removed), (_, urgent) = what_ifs(tiny, tiny_run.plan, today)
    _, who, start, _end = absent.split(":")
    assert removed == f"remove:{who}"
    assert start in {str(a.date) for a in tiny_run.plan.assignments if a.inspector_id == who and a.date > today}
    _, code, deadline = urgent.split(":")
    assert code not in {v.credit_code for v in tiny_run.plan.visits} and deadline > str(today)


def test_the_naive_model_as_a_mip_in_highs_reaches_the_same_optimum():
    pytest.importorskip("highspy")
    # six visits in two towns and two 片区, four officers, one of them away two days: balance, loans, spread,
    # one town a day and the weekly pace all bind
    people = [officer(p, "D3", "Z1" if p in "AB" else "Z2") for p in "ABCD"]
    dataset, requests = instance(6, towns=("T1", "T3"), minutes=200, inspectors=people,
                                 absences=[Absence("C", DAYS[0], DAYS[1])])
    plan, solved = naive_plan_highs(dataset, requests, 30.0)
    reference, exact = naive_plan(dataset, requests, 30.0)
    assert solved.found and all(level.optimal for level in solved.levels) and exact.optimal
    assert [round(level.value) for level in solved.levels] == [level.value for level in exact.levels]
    assert check_plan(dataset, plan) == []
    ours, theirs = plan_metrics(dataset, plan), plan_metrics(dataset, reference)
    for key in ("visits", "unscheduled", "cross_zone_loans", "towns_per_inspector_day"):
        assert ours[key] == theirs[key], key


def test_on_the_tight_case_the_planner_leaves_out_nothing_the_naive_model_places():
    pytest.importorskip("highspy")
    lines = bench_tight(10.0)
    assert lines[-1].strip().endswith("单一模型排下的，本系统都排下了")


def test_the_apps_plan_and_re_plan_are_the_command_lines_file_for_file():
    lines, same = bench_app("tiny")  # log in, load, 排程, 假设分析 with two absences, 重新排程 — in AppTest
    assert same == {"plan": True, "replan": True}
    assert [line.split()[0] for line in lines[2:]] == ["读取数据集", "排程", "重新排程（2"]
