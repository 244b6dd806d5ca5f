"""`verify`'s rule checks catch every kind of broken plan, naming the rule and the row."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from models.records import Absence, Conflict
from planner.check.rules import check_plan
from planner.cli import main
from planner.plan.model import Assignment, Plan


@pytest.fixture
def base(tiny, tiny_run):
    assert check_plan(tiny, tiny_run.plan, tiny_run.draw) == []
    return tiny, tiny_run


def with_visit(plan: Plan, index: int, **changes) -> Plan:
    visits = list(plan.visits)
    visits[index] = replace(visits[index], **changes)
    old = plan.visits[index]
    assignments = [a for a in plan.assignments if a.visit_id != old.visit_id]
    v = visits[index]
    assignments += [Assignment(v.visit_id, v.date, p, "", v.credit_code, v.town_id) for p in v.inspector_ids]
    return Plan(visits, assignments, plan.unscheduled, plan.record)


def problems(dataset, plan, draw=None):
    return check_plan(dataset, plan, draw)


def test_holiday_is_caught(base):
    dataset, run = base
    broken = with_visit(run.plan, 0, date=date(2026, 10, 11))  # a Sunday in the tiny period
    assert any(p.startswith("[工作日] visits.csv 第2行") for p in problems(dataset, broken))


def test_absent_inspector_is_caught(base):
    dataset, run = base
    v = run.plan.visits[0]
    absent = replace(dataset, absences=dataset.absences + [Absence(v.inspector_ids[0], v.date, v.date)])
    assert any(p.startswith("[缺勤] visits.csv 第2行") for p in problems(absent, run.plan))


def test_conflict_of_interest_is_caught(base):
    dataset, run = base
    v = run.plan.visits[1]
    tied = replace(dataset, conflicts=dataset.conflicts + [Conflict(v.inspector_ids[0], v.credit_code, "亲属")])
    assert any(p.startswith("[回避] visits.csv 第3行") for p in problems(tied, run.plan))


def test_day_minutes_are_caught(base):
    dataset, run = base
    broken = with_visit(run.plan, 0, minutes=1000)
    assert any(p.startswith("[每日时长]") for p in problems(dataset, broken))


def test_second_knock_is_caught(base):
    dataset, run = base
    first = run.plan.visits[0]
    twice = Plan(run.plan.visits + [replace(first, visit_id="X")], run.plan.assignments, [], run.plan.record)
    assert any(p.startswith("[进一次门]") for p in problems(dataset, twice))


def test_too_few_certified_officers_is_caught(base):
    dataset, run = base
    v = run.plan.visits[0]
    broken = with_visit(run.plan, 0, inspector_ids=v.inspector_ids[:1])
    found = problems(dataset, broken)
    assert any(p.startswith("[持证人数] visits.csv 第2行") for p in found)


def test_forbidden_zone_is_caught(base):
    dataset, run = base
    v = run.plan.visits[0]
    foreign = next(p for p in dataset.inspectors if p.zone_id != v.zone_id and p.certified
                   and p.dept_id == dataset.inspector[v.inspector_ids[0]].dept_id)
    broken = with_visit(run.plan, 0, inspector_ids=(foreign.inspector_id,) + v.inspector_ids[1:])
    forbid = replace(dataset, settings=replace(dataset.settings, cross_zone="forbid"))
    assert any(p.startswith("[片区] visits.csv 第2行") for p in problems(forbid, broken))


def test_inspector_outside_the_random_shortlist_is_caught(base):
    dataset, run = base
    v = run.plan.visits[0]
    dept = dataset.inspector[v.inspector_ids[0]].dept_id
    outsider = next(p.inspector_id for p in dataset.inspectors_by_dept[dept]
                    if p.inspector_id not in run.draw.shortlist(v.credit_code, dept))
    broken = with_visit(run.plan, 0, inspector_ids=(outsider,) + v.inspector_ids[1:])
    assert any(p.startswith("[双随机] visits.csv 第2行") for p in problems(dataset, broken, run.draw))


def test_dropped_draw_pair_is_caught(base):
    dataset, run = base
    dropped = Plan(run.plan.visits[1:], run.plan.assignments, run.plan.unscheduled, run.plan.record)
    assert any(p.startswith("[抽取全覆盖]") for p in problems(dataset, dropped, run.draw))


def test_assignments_must_match_visits(base):
    dataset, run = base
    short = Plan(run.plan.visits, run.plan.assignments[1:], run.plan.unscheduled, run.plan.record)
    assert any(p.startswith("[人员安排]") for p in problems(dataset, short))


def test_cli_verify_names_the_broken_rule_and_row(base, tmp_path, capsys):
    dataset, run = base
    folder = tmp_path / "plan"
    run.write(folder)
    assert main(["verify", str(folder), "--data", "fixtures/tiny"]) == 0
    visits = (folder / "visits.csv").read_text(encoding="utf-8").splitlines()
    first = visits[1].split(",")
    first[1] = "2026-10-11"  # a Sunday
    visits[1] = ",".join(first)
    (folder / "visits.csv").write_text("\n".join(visits) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(folder), "--data", "fixtures/tiny"]) == 1
    assert "[工作日] visits.csv 第2行" in capsys.readouterr().out


def test_two_towns_in_a_day_is_caught_whatever_the_record_says(base):
    dataset, run = base
    first = run.plan.visits[0]
    elsewhere = next(v for v in run.plan.visits if v.town_id != first.town_id)
    broken = with_visit(run.plan, run.plan.visits.index(elsewhere), date=first.date,
                        inspector_ids=first.inspector_ids)
    assert any(p.startswith("[一日一镇]") for p in problems(dataset, broken))


def test_a_hand_edit_is_checked_at_once(base):
    from planner.check.hand_edit import hand_edit_problems

    dataset, run = base
    v = run.plan.visits[0]
    sunday = "2026-10-11"
    assert any("不是本期的工作日" in p for p in hand_edit_problems(dataset, run.plan, run.draw,
                                                                   f"move:{v.credit_code}:{sunday}"))
    busy = next(w for w in run.plan.visits if w.town_id != v.town_id and w.date != v.date
                and all(w.date in dataset.presence[p] for p in v.inspector_ids)
                and set(w.inspector_ids) & set(v.inspector_ids))
    assert any(p.startswith("[一日一镇]") for p in hand_edit_problems(dataset, run.plan, run.draw,
                                                                       f"move:{v.credit_code}:{busy.date}"))
    fine = next(d for d in dataset.workdays if d != v.date and all(d in dataset.presence[p] for p in v.inspector_ids)
                and not any(d == w.date and set(w.inspector_ids) & set(v.inspector_ids) for w in run.plan.visits))
    assert hand_edit_problems(dataset, run.plan, run.draw, f"move:{v.credit_code}:{fine}") == []
