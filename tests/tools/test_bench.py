"""The benchmark's reference model solves the planner's problem: same rules, same levels, same optimum."""
from planner.check.rules import check_plan
from planner.plan.metrics import plan_metrics
from planner.schedule.problem import visit_requests
from tools.bench import proof, what_ifs
from tools.bench.naive import naive_plan


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
