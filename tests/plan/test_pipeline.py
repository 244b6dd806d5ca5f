"""Whole plans of the tiny fixture: every rule kept, the same bytes twice, the record built once."""
from __future__ import annotations

import json
import threading

from planner.check.rules import check_plan
from planner.plan.api import run_plan
from planner.plan.record import LEVEL_WORDS, read_record


def test_tiny_plan_keeps_every_rule(tiny, tiny_run):
    plan = tiny_run.plan
    assert check_plan(tiny, plan, tiny_run.draw) == []
    assert len(plan.visits) + len(plan.unscheduled) == len(tiny_run.draw.by_business())
    assert plan.record.metrics["max_fair_spread"] <= 1.5
    assert plan.record.solver.gap <= 0.01


def test_same_inputs_give_byte_identical_plan(tiny, tiny_run, tiny_plan_dir, tmp_path):
    again = run_plan(tiny, time_limit_s=10)
    again.write(tmp_path / "two")
    for path in sorted(tiny_plan_dir.iterdir()):
        if path.name != "record.json":
            assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name
    one, two = (json.loads((folder / "record.json").read_text(encoding="utf-8"))
                for folder in (tiny_plan_dir, tmp_path / "two"))
    one["solver"].pop("wall_s"), two["solver"].pop("wall_s")  # the one measured value
    assert one == two


def test_record_reports_each_level_and_no_floor_on_the_plan_path(tiny_plan_dir):
    record = read_record(tiny_plan_dir)
    names = [(level.stage, level.name) for level in record.solver.levels]
    assert ("teams", "left_out") in names and ("teams", "visit_spread") in names and ("days", "left_out") in names
    assert "floor" not in record.draw.door_knocks  # the fewest-visits program runs only when asked
    text = (tiny_plan_dir / "record.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text


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


def test_min_certified_beyond_the_shortlist_is_one_rule_in_draw_and_schedule(tiny):
    # min_certified 3 with shortlists of 1: every joint visit's lead department is shortlisted the officers
    # it must send, so no joint visit is left out as having "only 1 officer"
    run = run_plan(tiny, changes=["set:min_certified=3", "set:shortlist=1"], time_limit_s=10)
    joint = [code for code, pairs in run.draw.by_business().items() if len({p.dept_id for p in pairs}) > 1]
    assert joint
    blocked = [u for u in run.plan.unscheduled if u.credit_code in joint and "只有 1 名" in u.reason]
    assert blocked == []
    assert all(sum(run.dataset.inspector[p].certified for p in v.inspector_ids) >= 3 for v in run.plan.visits)
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
    assert again.record.changes == [change]
    assert check_plan(again.dataset, again.plan, again.draw) == []


def test_urgent_visit_is_added_with_a_team_from_its_own_random_order(tiny, tiny_run):
    drawn = set(tiny_run.draw.by_business())
    code = next(b.credit_code for b in tiny.businesses if b.credit_code not in drawn and not b.exempt)
    again = run_plan(tiny, previous=tiny_run.plan, changes=[f"urgent:{code}"], time_limit_s=10)
    assert code in {v.credit_code for v in again.plan.visits} | {u.credit_code for u in again.plan.unscheduled}
    assert check_plan(again.dataset, again.plan, again.draw, urgent={code: None}) == []
    assert any("既未被抽中" in p for p in check_plan(again.dataset, again.plan, again.draw))


def test_progress_reports_each_levels_own_value_and_stop_returns_a_plan(tiny):
    seen = []
    stop = threading.Event()
    stop.set()  # pressed before the search starts: the warm start still gives a complete plan
    run = run_plan(tiny, time_limit_s=10, progress=seen.append, stop=stop)
    assert len(run.plan.visits) + len(run.plan.unscheduled) == len(run.draw.by_business())
    assert check_plan(tiny, run.plan, run.draw) == []
    seen.clear()
    run = run_plan(tiny, time_limit_s=10, progress=seen.append)
    assert seen and all(p.bound <= p.value + 1e-6 for p in seen)
    recorded = {(level.stage, level.name): level.value for level in run.record.solver.levels}
    assert {(p.stage, p.level) for p in seen} <= set(recorded) and all(p.level in LEVEL_WORDS for p in seen)
    last = {(p.stage, p.level): p for p in seen if p.part == p.parts - 1}  # the stage's last part: every part in
    assert last and all(p.value == recorded[key] for key, p in last.items())  # the level's own value, not a sum
    assert run.record.solver.wall_s >= max(p.elapsed_s for p in seen) - 0.001  # the whole schedule (rounded)
