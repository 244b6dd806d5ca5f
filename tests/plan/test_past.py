"""The past is never rewritten: after the period nothing moves, changes on past or locked days leave those
visits as they were (the conflict reported), and every such plan passes verify — with its previous plan, and
solved again byte for byte."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from models.problems import UserError
from models.records import Result
from planner.check.verify import verify_plan
from planner.plan.api import run_plan
from planner.plan.folder import plan_files, read_plan
from planner.plan.locking import first_unlocked

LIMIT = 5


def replan(tiny, previous, tmp_path, name, changes=(), today=None):
    """A re-plan from `previous` (a PlanRun), written to tmp_path/name; returns the run and its folder."""
    run = run_plan(tiny, previous=previous.plan, changes=[*previous.record.changes, *changes], today=today,
                   time_limit_s=LIMIT)
    run.write(tmp_path / name)
    return run, tmp_path / name


def assert_honest(tiny, folder, previous_folder):
    """verify finds nothing, with the previous plan and solving again."""
    assert verify_plan(folder, tiny, resolve=True, previous=previous_folder).findings == []


@pytest.fixture(scope="module")
def first(tiny, tiny_run, tmp_path_factory):
    folder = tmp_path_factory.mktemp("past") / "plan"
    tiny_run.write(folder)
    return tiny_run, folder


@pytest.mark.parametrize("today", [date(2026, 10, 24), date(2026, 11, 30), date(2026, 10, 22)],
                         ids=["day-after", "a-month-after", "only-locked-days-left"])
def test_after_the_period_nothing_moves_and_the_changes_are_recorded(tiny, first, tmp_path, today):
    run, folder = first
    past = run.plan.visits[0]
    changes = [f"absent:{past.inspector_ids[0]}:{past.date}:{past.date}", "remove:SJ002"]
    again, out = replan(tiny, run, tmp_path, "after", changes, today)
    assert again.plan.visits == run.plan.visits and again.plan.assignments == run.plan.assignments
    assert again.record.changes == changes
    assert any("只记录变化" in w for w in again.warnings)
    assert_honest(tiny, out, folder)


def test_after_the_period_a_missed_visit_and_an_urgent_one_go_to_the_next_period(tiny, first, tmp_path):
    run, folder = first
    past = run.plan.visits[0]
    drawn = set(run.draw.by_business())
    urgent = next(b.credit_code for b in tiny.businesses if b.credit_code not in drawn and not b.exempt)
    again, out = replan(tiny, run, tmp_path, "after", [f"missed:{past.credit_code}", f"urgent:{urgent}"],
                        date(2026, 11, 2))
    assert again.plan.visits == [v for v in run.plan.visits if v.visit_id != past.visit_id]
    left = {u.credit_code: u for u in again.plan.unscheduled}
    assert {past.credit_code, urgent} <= left.keys() and "本期已结束" in left[urgent].reason
    assert left[urgent].kind == "urgent"
    assert_honest(tiny, out, folder)


def test_the_default_today_the_real_date_after_the_period_moves_nothing(tiny, first, tmp_path):
    run, folder = first
    past = run.plan.visits[0]  # the case: its officer said away that day, after the period
    change = f"absent:{past.inspector_ids[0]}:{past.date}:{past.date}"
    again, out = replan(tiny, run, tmp_path, "now", [change], date.today())  # the tool's default for a re-plan
    assert date.today() > tiny.settings.end and again.plan.visits == run.plan.visits
    assert_honest(tiny, out, folder)


def test_an_absence_over_a_locked_day_leaves_the_visit_with_its_team_and_says_so(tiny, first, tmp_path):
    run, folder = first
    today = date(2026, 10, 1)  # before the period: its first two working days are locked
    locked = next(v for v in run.plan.visits if v.date < first_unlocked(tiny.workdays, today, 2))
    officer = locked.inspector_ids[0]
    again, out = replan(tiny, run, tmp_path, "absent", [f"absent:{officer}:{locked.date}:{locked.date}"], today)
    assert next(v for v in again.plan.visits if v.visit_id == locked.visit_id) == locked
    assert any(f"missed:{locked.credit_code}" in w and "已锁定" in w for w in again.warnings)
    assert_honest(tiny, out, folder)


def test_removing_an_officer_with_locked_visits_keeps_them_and_reassigns_the_rest(tiny, first, tmp_path):
    run, folder = first
    today = date(2026, 10, 7)
    start = first_unlocked(tiny.workdays, today, 2)
    officer = next(p for v in run.plan.visits if v.date < start for p in v.inspector_ids
                   if any(p in w.inspector_ids for w in run.plan.visits if w.date >= start))
    again, out = replan(tiny, run, tmp_path, "remove", [f"remove:{officer}"], today)
    kept = [v for v in run.plan.visits if v.date < start]
    assert all(v in again.plan.visits for v in kept)
    assert not [v for v in again.plan.visits if v.date >= start and officer in v.inspector_ids]
    assert any("已移出名录" in w for w in again.warnings)
    assert_honest(tiny, out, folder)


def test_a_visit_placed_again_after_a_missed_day_is_kept_once_its_new_day_is_past(tiny, first, tmp_path):
    run, folder = first
    past = next(v for v in run.plan.visits if v.date == date(2026, 10, 8))
    second, second_dir = replan(tiny, run, tmp_path, "second", [f"missed:{past.credit_code}"], date(2026, 10, 9))
    placed = next(v for v in second.plan.visits if v.credit_code == past.credit_code)
    later = next((d for d in tiny.workdays if d > placed.date), date(2026, 10, 24))
    third, third_dir = replan(tiny, second, tmp_path, "third", [], later)
    assert placed in third.plan.visits  # the earlier missed: is no reason to move it again
    assert_honest(tiny, third_dir, second_dir)


def test_a_lock_never_moves_back(tiny, first, tmp_path):
    run, folder = first
    second, second_dir = replan(tiny, run, tmp_path, "second", [], date(2026, 10, 14))
    third, third_dir = replan(tiny, second, tmp_path, "third", ["set:lock_days=0", "remove:SJ005"],
                              date(2026, 10, 15))
    locked = [v for v in second.plan.visits if v.date < date(2026, 10, 16)]
    assert all(v in third.plan.visits for v in locked)
    assert third.record.to_json()["parameters"]["first_unlocked_day"] == "2026-10-16"
    assert_honest(tiny, third_dir, second_dir)


def test_a_today_earlier_than_the_previous_plans_is_refused(tiny, first, tmp_path):
    run, _ = first
    second, _ = replan(tiny, run, tmp_path, "second", [], date(2026, 10, 14))
    with pytest.raises(UserError, match="早于它"):
        run_plan(tiny, previous=second.plan, today=date(2026, 10, 12), time_limit_s=LIMIT)
    with pytest.raises(UserError, match="须给出今天的日期"):
        run_plan(tiny, previous=second.plan, time_limit_s=LIMIT)


def test_a_locked_visit_changed_afterwards_is_caught_from_the_chain_and_the_previous_plan(tiny, first, tmp_path):
    """A forger who re-staffs a past visit and makes the last link again: the earlier links, and the previous
    plan, still say what the visit was."""
    from planner.plan import commitment
    from planner.plan.visit_code import visit_leaves

    run, folder = first
    second, out = replan(tiny, run, tmp_path, "second", [], date(2026, 10, 14))
    plan = read_plan(out)
    i, visit = next((i, v) for i, v in enumerate(plan.visits) if v.date < date(2026, 10, 14) and len(v.inspector_ids) == 2)
    moved = replace(visit, inspector_ids=tuple(reversed(visit.inspector_ids)), date=date(2026, 10, 9))
    plan.visits[i] = moved
    plan.assignments = [replace(a, date=moved.date) if a.visit_id == visit.visit_id else a for a in plan.assignments]
    for name, data in plan_files(plan).items():
        if name in ("visits.csv", "assignments.csv"):
            (out / name).write_bytes(data)
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    leaves = set(visit_leaves(plan.visits, tiny, record["salt_key"]).values())
    chain = record["commitment_chain"]
    record["commitment_chain"] = commitment.extend(chain[:-1], chain[-1]["event"], commitment.folder_files(out), leaves)
    record["commitment"] = record["commitment_chain"][-1]["commitment"]
    (out / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    findings = verify_plan(out, tiny).findings
    assert any(f.startswith("[锁定]") and visit.credit_code in f for f in findings)
    assert any(f.startswith("[上一版]") and visit.credit_code in f
               for f in verify_plan(out, tiny, previous=folder).findings)


def test_a_late_recheck_is_placed_first_thing_marked_late_and_verifies(tiny, first, tmp_path):
    """#23: its window (2 working days after the deadline) closed before the first unlocked day."""
    run, folder = first
    visit = next(v for v in run.plan.visits if v.date == date(2026, 10, 8) and len(v.dept_ids) >= 2)
    results = [Result(visit.visit_id, item, visit.date, "发现问题已责令改正", "责令改正", date(2026, 10, 9),
                      visit.inspector_ids) for item in visit.item_ids]
    previous = replace(run.plan, results=results)
    today = date(2026, 10, 16)
    again = run_plan(tiny, previous=previous, changes=["set:recheck_within_days=2"], today=today,
                     time_limit_s=LIMIT)
    (recheck,) = [v for v in again.plan.visits if v.kind == "recheck"]
    start = first_unlocked(tiny.workdays, today, 2)
    assert recheck.late and "逾期复查" in recheck.late
    assert recheck.date == min(d for d in tiny.workdays if d >= start
                               and all(d in again.dataset.presence[p] for p in recheck.inspector_ids))
    assert recheck.credit_code not in {u.credit_code for u in again.plan.unscheduled}
    again.write(tmp_path / "late")
    assert ",逾期复查" in (tmp_path / "late" / "visits.csv").read_text(encoding="utf-8")
    assert verify_plan(tmp_path / "late", tiny).findings == []


def test_a_recheck_with_no_day_left_goes_to_the_next_period_and_verifies(tiny, first, tmp_path):
    """Its business keeps its routine visit; the re-check is listed as one (kind recheck), not as a second
    place for the drawn items."""
    run, folder = first
    visit = next(v for v in run.plan.visits if v.date == date(2026, 10, 8))
    results = [Result(visit.visit_id, item, visit.date, "发现问题已责令改正", "责令改正", date(2026, 10, 20),
                      visit.inspector_ids) for item in visit.item_ids]
    again = run_plan(tiny, previous=replace(run.plan, results=results), today=date(2026, 10, 22), time_limit_s=LIMIT)
    (row,) = [u for u in again.plan.unscheduled if u.credit_code == visit.credit_code]
    assert row.kind == "recheck" and "转下期" in row.reason
    again.write(tmp_path / "over")
    assert verify_plan(tmp_path / "over", tiny).findings == []
