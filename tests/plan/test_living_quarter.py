"""Re-plans that know today: past and locked visits stay, new placements start at the first unlocked day,
urgent visits keep their deadline, a visit whose team could not go is placed again."""
from __future__ import annotations

from datetime import date

import pytest

from models.problems import UserError
from planner.check.rules import check_plan
from planner.plan.api import run_plan
from planner.plan.locking import first_unlocked

TODAY = date(2026, 10, 14)  # a Wednesday inside the tiny fixture's period (2026-10-08 … 10-23)


def test_first_unlocked_day_skips_lock_days_working_days_from_today():
    days = [date(2026, 10, d) for d in (12, 13, 14, 15, 16, 19)]
    assert first_unlocked(days, date(2026, 10, 13), 2) == date(2026, 10, 15)
    assert first_unlocked(days, date(2026, 10, 17), 0) == date(2026, 10, 19)  # a Saturday: Monday is next
    assert first_unlocked(days, date(2026, 10, 16), 2) is None  # nothing left


@pytest.fixture(scope="module")
def replanned(tiny, tiny_run):
    busiest = max({a.inspector_id for a in tiny_run.plan.assignments},
                  key=lambda p: sum(a.inspector_id == p for a in tiny_run.plan.assignments))
    change = f"absent:{busiest}:{tiny.settings.start}:{tiny.settings.end}"  # away for the whole quarter
    return busiest, run_plan(tiny, previous=tiny_run.plan, changes=[change], today=TODAY, time_limit_s=10)


def test_past_and_locked_visits_never_move(tiny, tiny_run, replanned):
    _, again = replanned
    start = first_unlocked(tiny.workdays, TODAY, tiny.settings.lock_days)
    before = {v.visit_id: v for v in tiny_run.plan.visits if v.date < start}
    after = {v.visit_id: v for v in again.plan.visits}
    assert before and all(after[i] == v for i, v in before.items())  # even the absent officer's past visits
    moved = [v for v in again.plan.visits if v.visit_id not in before]
    assert moved and all(v.date >= start for v in moved)
    assert again.record.to_json()["parameters"]["today"] == TODAY.isoformat()
    assert again.record.commitment_chain[-1]["event"].startswith(f"replan today={TODAY}")


def test_the_absent_officer_is_kept_off_every_later_day(tiny, replanned):
    busiest, again = replanned
    start = first_unlocked(tiny.workdays, TODAY, tiny.settings.lock_days)
    assert not [a for a in again.plan.assignments if a.inspector_id == busiest and a.date >= start]


def test_urgent_visit_is_placed_by_its_deadline(tiny, tiny_run):
    drawn = set(tiny_run.draw.by_business())
    code = next(b.credit_code for b in tiny.businesses if b.credit_code not in drawn and not b.exempt)
    deadline = date(2026, 10, 19)
    again = run_plan(tiny, previous=tiny_run.plan, changes=[f"urgent:{code}:{deadline}"], today=TODAY,
                     time_limit_s=10)
    (visit,) = [v for v in again.plan.visits if v.credit_code == code]
    start = first_unlocked(tiny.workdays, TODAY, tiny.settings.lock_days)
    assert visit.kind == "urgent" and start <= visit.date <= deadline
    assert check_plan(again.dataset, again.plan, again.draw, urgent={code: deadline}) == []
    assert any(p.startswith("[期限]") for p in check_plan(again.dataset, again.plan, again.draw,
                                                        urgent={code: date(2026, 10, 15)}))


def test_an_impossible_deadline_is_reported_with_the_reason(tiny, tiny_run):
    drawn = set(tiny_run.draw.by_business())
    code = next(b.credit_code for b in tiny.businesses if b.credit_code not in drawn and not b.exempt)
    again = run_plan(tiny, previous=tiny_run.plan, changes=[f"urgent:{code}:2026-10-15"], today=TODAY,
                     time_limit_s=10)  # 10-14 and 10-15 are locked: no day is left before the deadline
    (row,) = [u for u in again.plan.unscheduled if u.credit_code == code]
    assert "2026-10-15 或之前" in row.reason and "2026-10-16 或之后" in row.reason
    assert "剩余工作日（2026-10-16 至 2026-10-23）" in row.reason  # the days a re-plan may still use, named


def test_a_visit_whose_team_could_not_go_is_placed_again_later(tiny, tiny_run):
    start = first_unlocked(tiny.workdays, TODAY, tiny.settings.lock_days)
    past = next(v for v in tiny_run.plan.visits if v.date < TODAY)
    again = run_plan(tiny, previous=tiny_run.plan, changes=[f"missed:{past.credit_code}"], today=TODAY,
                     time_limit_s=10)
    after = [v for v in again.plan.visits if v.credit_code == past.credit_code]
    assert (after and after[0].date >= start) or past.credit_code in {u.credit_code for u in again.plan.unscheduled}
    move = next(m for m in again.moves if m.credit_code == past.credit_code)
    assert "未能" in move.reason


def test_a_hand_edit_moves_one_visit_and_is_kept(tiny, tiny_run):
    visit = next(v for v in tiny_run.plan.visits if v.date > date(2026, 10, 16))
    start = first_unlocked(tiny.workdays, TODAY, tiny.settings.lock_days)
    day = next(d for d in tiny.workdays if d >= start and d != visit.date
               and all(d in tiny.presence[p] for p in visit.inspector_ids))
    again = run_plan(tiny, previous=tiny_run.plan, changes=[f"move:{visit.credit_code}:{day}"], today=TODAY,
                     time_limit_s=10)
    (moved,) = [v for v in again.plan.visits if v.visit_id == visit.visit_id]
    assert (moved.date, moved.inspector_ids) == (day, visit.inspector_ids)
    assert check_plan(again.dataset, again.plan, again.draw) == []


def test_a_hand_edit_that_breaks_a_rule_is_refused_with_the_rule(tiny, tiny_run):
    visit, outsider = next((v, p.inspector_id) for v in tiny_run.plan.visits if v.date > date(2026, 10, 16)
                           for p in tiny.inspectors_by_dept[tiny.inspector[v.inspector_ids[0]].dept_id]
                           if p.inspector_id not in tiny_run.draw.shortlist(v.credit_code, p.dept_id))
    with pytest.raises(UserError, match="不在该检查的随机候选名单内"):
        run_plan(tiny, previous=tiny_run.plan, today=TODAY, time_limit_s=10,
                 changes=[f"swap:{visit.credit_code}:{visit.inspector_ids[0]}:{outsider}"])
    with pytest.raises(UserError, match="已过去、已锁定"):
        past = next(v for v in tiny_run.plan.visits if v.date < TODAY)
        run_plan(tiny, previous=tiny_run.plan, today=TODAY, time_limit_s=10,
                 changes=[f"move:{past.credit_code}:2026-10-21"])
