"""结果公示: deadlines in working days of the statutory calendar, the list overdue-first, and what was published
when recorded in the plan."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime

from planner.plan.folder import read_plan
from planner.quarter.publication import dues, mark_published, publication_list
from tests.export.test_export import write_plan
from tests.quarter.quarter_plan import RESULTS, TODAY, quarter_plan, result


def plan_with(results, **parameters):
    plan = quarter_plan(results)
    plan.record.parameters = dict(parameters)
    return plan


def test_deadline_crosses_national_day_and_counts_the_make_up_saturday():
    # after 09-30: 10-01…10-07 are 国庆 holidays (with the weekend), 10-08 and 10-09 work, Saturday 10-10 is a 调休 working day
    checked = [result("V1", "I1", date(2026, 9, 30))]
    assert [d.deadline for d in dues(plan_with(checked, publish_within_days=2))] == [date(2026, 10, 9)]
    assert [d.deadline for d in dues(plan_with(checked, publish_within_days=3))] == [date(2026, 10, 10)]
    assert [d.deadline for d in dues(plan_with(checked, publish_within_days=4))] == [date(2026, 10, 12)]


def test_default_is_twenty_working_days():
    (due,) = dues(plan_with([result("V1", "I1", date(2026, 9, 28))]))
    assert (due.deadline, due.estimated) == (date(2026, 10, 30), False)


def test_overdue_results_come_first_and_published_ones_stay_off():
    listed = publication_list(quarter_plan(), TODAY)
    assert [(d.result.visit_id, d.result.item_id) for d in listed] == [("V2", "I3"), ("V3", "I1"), ("V6", "I2")]
    assert [d.late(TODAY) for d in listed] == [True, False, False]


def test_the_days_batch_stays_on_the_list_that_day_only():
    published = [dataclasses.replace(r, published_on=TODAY) if r.visit_id == "V3" else r for r in RESULTS]
    assert ("V3", "I1") in [(d.result.visit_id, d.result.item_id) for d in publication_list(quarter_plan(published), TODAY)]
    later = date(2026, 11, 24)
    assert ("V3", "I1") not in [(d.result.visit_id, d.result.item_id)
                                for d in publication_list(quarter_plan(published), later)]


def test_mark_published_records_the_day_in_results_log_and_chain(tmp_path):
    plan_dir = write_plan(tmp_path / "plan", quarter_plan())
    plan = read_plan(plan_dir)
    batch = publication_list(plan, TODAY)
    now = datetime(2026, 11, 23, 16, 0)
    assert mark_published(plan_dir, plan, batch, TODAY, source="公示/抽查结果公示.csv", digest="ab" * 32, user="协调员",
                          now=now) == 3
    after = read_plan(plan_dir)
    assert {(r.visit_id, r.item_id) for r in after.results if r.published_on == TODAY} == {
        ("V2", "I3"), ("V3", "I1"), ("V6", "I2")}
    assert after.results_log[-1].changed == 3 and after.results_log[-1].user == "协调员"
    assert after.record.commitment_chain[-1]["event"] == f"publish {TODAY.isoformat()} {'ab' * 32}"
    before = {p.name: p.read_bytes() for p in plan_dir.iterdir()}
    assert mark_published(plan_dir, after, publication_list(after, TODAY), TODAY, source="x", digest="cd" * 32,
                          user="协调员", now=now) == 0
    assert {p.name: p.read_bytes() for p in plan_dir.iterdir()} == before
