"""The hand-move calendar (planner.check.hand_edit.allowed_days): the days a visit may move to, checked on the
part of the plan a move can touch, are exactly the days the whole-plan check allows; a hand edit is named as such
in what the re-plan moved."""
from __future__ import annotations

from planner.check.hand_edit import allowed_days, hand_edit_problems
from planner.plan.api import run_plan
from planner.plan.moves import HAND_EDIT, MAKE_ROOM


def test_allowed_days_are_the_days_the_whole_plan_check_allows(tiny, tiny_run):
    plan, draw = tiny_run.plan, tiny_run.draw
    for visit in plan.visits[:8]:
        whole = [d for d in tiny.workdays if d != visit.date
                 and not hand_edit_problems(tiny, plan, draw, f"move:{visit.credit_code}:{d}")]
        assert allowed_days(tiny, plan, draw, visit.credit_code, tiny.workdays) == whole
    assert any(len(allowed_days(tiny, plan, draw, v.credit_code, tiny.workdays)) < len(tiny.workdays) - 1
               for v in plan.visits[:8])  # some day is refused: the calendar has something to say


def test_a_hand_move_is_named_a_hand_edit_not_making_room(tiny, tiny_run):
    plan, draw = tiny_run.plan, tiny_run.draw
    open_days = tiny.workdays[tiny.settings.lock_days:]  # today is the first working day
    visit, day = next((v, days[0]) for v in plan.visits if v.date in open_days
                      and (days := allowed_days(tiny, plan, draw, v.credit_code, open_days)))
    run = run_plan(tiny, previous=plan, changes=[f"move:{visit.credit_code}:{day}"], today=tiny.workdays[0],
                   time_limit_s=10)
    [move] = [m for m in run.moves if m.credit_code == visit.credit_code]
    assert move.after_date == day and move.reason == HAND_EDIT != MAKE_ROOM
