"""What-if changes: parsed, checked against the dataset as earlier changes left it, refused clearly."""
from __future__ import annotations

import pytest

from models.problems import UserError
from planner.plan.changes import apply_changes, dataset_as_planned


@pytest.mark.parametrize("change, words", [
    ("day_minutes:SJ001:lots", "整数"), ("ratio:NOPE:A:0.1", "NOPE"), ("ratio:SJ01:A:x", "抽查比例"),
    ("absent:SJ001:10/8:2026-10-09", "日期"), ("add:SJ001:某人:SJ:CS1", "已在"), ("bogus:1", "无法识别"),
    ("set:shortlist=-2", "shortlist=-2"), ("set:time_limit_s=nan", "秒数"), ("set:seed=1", "不能修改"),
    ("absent:SJ001:2026-10-20:2026-10-09", "早于"), ("absent:SJ001:2027-01-04:2027-01-08", "不在本期"),
    ("urgent:91330822XXXXXXXXXX", "不在检查对象名录库"),
])
def test_bad_what_if_changes_get_a_clear_message(tiny, change, words):
    with pytest.raises(UserError, match=words):
        dataset_as_planned(tiny, [change])


def test_each_change_sees_the_changes_before_it(tiny):
    zone = tiny.zones[0].zone_id
    added = f"add:N1:新人:SJ:{zone}"
    with pytest.raises(UserError, match="已在"):
        dataset_as_planned(tiny, [added, added])
    changed = dataset_as_planned(tiny, [added, f"absent:N1:{tiny.settings.start}:{tiny.settings.start}"])
    assert sum(p.inspector_id == "N1" for p in changed.inspectors) == 1
    assert tiny.settings.start not in changed.presence["N1"]


def test_settings_changes_go_through_the_settings_parser(tiny):
    applied = apply_changes(tiny, ["set:shortlist=all", "set:time_limit_s=15", "set:cross_zone=FORBID"])
    s = applied.dataset.settings
    assert (s.shortlist, s.time_limit_s, s.cross_zone) == (None, 15.0, "forbid")


def test_urgent_codes_are_collected_once(tiny):
    code = tiny.businesses[0].credit_code
    assert apply_changes(tiny, [f"urgent:{code}", f"urgent:{code}"]).urgent == {code: None}
