"""尽快安排: an urgent visit without a deadline goes on the earliest day its shortlists can staff it — also when
several come at once (the day stage alone, balancing its pace, spread them over the next week and a half)."""
from __future__ import annotations

from planner.check.hand_edit import allowed_days
from planner.plan.api import run_plan
from planner.plan.changes import apply_changes
from planner.plan.locking import first_unlocked


def test_urgent_visits_go_on_the_first_days_the_rules_allow(tiny, tiny_run):
    today = tiny.workdays[1]
    first = first_unlocked(tiny.workdays, today, tiny.settings.lock_days)
    planned = {v.credit_code for v in tiny_run.plan.visits}
    codes = [b.credit_code for b in tiny.businesses if b.credit_code not in planned][:6]
    changes = [f"urgent:{code}" for code in codes]
    run = run_plan(tiny, previous=tiny_run.plan, changes=changes, today=today, time_limit_s=10)
    urgent = apply_changes(tiny, changes).urgent
    placed = {v.credit_code: v for v in run.plan.visits if v.kind == "urgent"}
    assert set(placed) == set(codes)
    for code, visit in placed.items():
        earlier = [d for d in tiny.workdays if first <= d < visit.date]
        # no earlier day would take it with its team, every rule holding and everything else as planned
        assert allowed_days(tiny, run.plan, run.draw, code, earlier, urgent) == [], code
