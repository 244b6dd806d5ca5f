"""The entry point checks that a re-plan's change list starts with the previous plan's recorded changes."""
from __future__ import annotations

from dataclasses import replace

import pytest

from models.problems import UserError
from planner.plan.api import check_carried_over, run_plan

RECORDED = ["set:lock_days=1", "remove:SJ002"]


@pytest.mark.parametrize("changes, words", [
    ([], "第 1 项应为「set:lock_days=1」，实际缺少这一项"),
    (["set:lock_days=1"], "第 2 项应为「remove:SJ002」，实际缺少这一项"),
    (["remove:SJ002", "set:lock_days=1"], "第 1 项应为「set:lock_days=1」，实际是「remove:SJ002」"),
])
def test_a_change_list_that_does_not_start_with_the_recorded_changes_is_refused(changes, words):
    with pytest.raises(UserError, match="上一版方案记录的 2 项变化开头") as refused:
        check_carried_over(RECORDED, changes)
    assert words in str(refused.value)


def test_the_recorded_changes_then_new_ones_pass():
    check_carried_over(RECORDED, [*RECORDED, "missed:X"])
    check_carried_over([], ["missed:X"])


def test_run_plan_refuses_before_solving(tiny, tiny_run):
    previous = replace(tiny_run.plan, record=replace(tiny_run.plan.record, changes=list(RECORDED)))
    with pytest.raises(UserError, match="record.json → changes"):
        run_plan(tiny, previous=previous, changes=["set:lock_days=1"])
