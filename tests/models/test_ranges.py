"""Every number and date has a sensible range, stated in the message — in a cell, a setting, a what-if change or
a command-line flag — and what cannot be planned is said in words (#27, #22)."""
from __future__ import annotations

import shutil

import pytest

from models.loading import load_dataset
from models.loading.tables import RawTable, parse_table
from models.problems import DatasetError, UserError
from models.schema import RESULTS
from planner.check.summary import plan_shortfall, unsatisfiable
from planner.cli import main
from planner.plan.api import run_plan
from planner.plan.changes import apply_changes
from tests.builders import set_cell, write_dataset


@pytest.mark.parametrize("settings, key, words", [
    ({"time_limit_s": 1e9}, "time_limit_s", "86,400"),
    ({"publish_within_days": 100000}, "publish_within_days", "不能大于 120"),
    ({"min_certified": 99}, "min_certified", "不能大于 10"),
    ({"yearly_cap": 1000}, "yearly_cap", "0 到 52 之间"),
    ({"lock_days": 10**6}, "lock_days", "0 到 60 之间"),
    ({"shortlist": 5000}, "shortlist", "1 到 100 之间"),
    ({"min_days_between_departments": 100000}, "min_days_between_departments", "1 到 366 之间"),
])
def test_settings_outside_their_range_are_refused_with_the_range(tmp_path, settings, key, words):
    with pytest.raises(DatasetError) as info:
        load_dataset(write_dataset(tmp_path / "county", settings=settings))
    [p] = info.value.problems
    assert (p.file, p.column) == ("settings.toml", key) and words in p.message + p.fix


@pytest.mark.parametrize("stem, column, value, words", [
    ("unavailable", "end", "9999-12-31", "1900-01-01 至 2099-12-31"),
    ("inspectors", "day_minutes", "100000", "1 到 1440 分钟之间"),
    ("items", "minutes", "5000", "1 到 1440 分钟之间"),
    ("items", "inspectors", "500", "1 到 20 人之间"),
])
def test_cells_outside_their_range_are_refused_with_the_range(tmp_path, stem, column, value, words):
    with pytest.raises(DatasetError) as info:
        load_dataset(write_dataset(tmp_path / "county", edit=lambda t: set_cell(t, stem, 2, column, value)))
    [p] = info.value.problems
    assert (p.file, p.row, p.column, p.value) == (f"{stem}.csv", 2, column, value) and words in p.message + p.fix


def test_a_deadline_in_year_9999_is_refused_in_results_too():
    raw = RawTable("results.csv", [(1, ["visit_id", "item_id", "checked_on", "result", "disposal", "rectify_by",
                                        "inspector_ids"]),
                                   (2, ["V1", "I1", "2026-10-09", "发现问题已责令改正", "责令改正", "9999-12-31", "P01"])])
    [p] = parse_table(RESULTS, raw).problems
    assert p.column == "rectify_by" and "2099-12-31" in p.message


@pytest.mark.parametrize("change, words", [
    ("day_minutes:SJ001:100000", "1 到 1440 分钟之间"),
    ("add:NEW2:许\n玉兰:SJ:CS1", "换行"),
    ("add:NEW2:许\u202egnp.exe:SJ:CS1", "方向控制字符"),
    ("add:NEW2:" + "名" * 120 + ":SJ:CS1", "最多 100 个字"),
    ("absent:SJ001:2026-10-09:9999-12-31", "2099-12-31"),
])
def test_changes_outside_their_range_are_refused_with_the_range(tiny, change, words):
    with pytest.raises(UserError) as info:
        apply_changes(tiny, [change])
    assert words in str(info.value)


@pytest.mark.parametrize("argv, words", [
    (["fixture", "--scale", "province", "--counties", "0"], "1 到 200 之间"),
    (["fixture", "--businesses", "0"], "1 到 2000000 之间"),
    (["plan", "fixtures/tiny", "--time-limit", "1e9"], "86,400"),
])
def test_flags_outside_their_range_are_refused_with_the_range(tmp_path, capsys, argv, words):
    assert main([*argv, "--out", str(tmp_path / "out")]) == 1
    assert words in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_export_today_far_from_the_plan_is_refused(tiny_plan_dir, tmp_path, capsys):
    for today, words in (("9999-12-31", "2099-12-31"), ("2030-01-01", "2025-10-07 至 2027-10-24")):
        argv = ["export", str(tiny_plan_dir), "--data", "fixtures/tiny", "--out", str(tmp_path / "out"),
                "--format", "notice", "--today", today]
        assert main(argv) == 1
        assert words in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_a_plan_that_cannot_be_made_says_why_in_one_sentence(tiny, tmp_path, capsys):
    everyone = [f"absent:{p.inspector_id}:{tiny.settings.start}:{tiny.settings.end}" for p in tiny.inspectors]
    run = run_plan(tiny, changes=everyone, time_limit_s=5)
    sentence = plan_shortfall(run.dataset, len(run.plan.visits), run.plan.unscheduled)
    assert sentence and "都不在岗" in sentence and sentence.count("。") == 1
    eight = run_plan(tiny, changes=["set:min_certified=8"], time_limit_s=5)
    sentence = plan_shortfall(eight.dataset, len(eight.plan.visits), eight.plan.unscheduled)
    assert sentence and "需要 8 名" in sentence and "unscheduled.csv" in sentence
    assert plan_shortfall(tiny, 20, []) is None
    folder = tmp_path / "tiny"
    shutil.copytree("fixtures/tiny", folder)
    (folder / "settings.toml").write_text((folder / "settings.toml").read_text().replace(
        "min_certified = 2", "min_certified = 8"), encoding="utf-8")
    assert main(["plan", str(folder), "--out", str(tmp_path / "plan"), "--quiet"]) == 0
    assert "注意：本期抽中的" in capsys.readouterr().out


def test_validate_warns_about_settings_no_data_can_satisfy(tiny, tmp_path, capsys):
    assert unsatisfiable(tiny) == []
    eight = apply_changes(tiny, ["set:min_certified=8"]).dataset
    warnings = unsatisfiable(eight)
    assert warnings and all(w.column == "min_certified" and "无法排程" in w.message for w in warnings)
    absent = apply_changes(tiny, [f"absent:{p.inspector_id}:{tiny.settings.start}:{tiny.settings.end}"
                                  for p in tiny.inspectors]).dataset
    [warning] = unsatisfiable(absent)
    assert "都不在岗" in warning.message
    folder = tmp_path / "tiny"
    shutil.copytree("fixtures/tiny", folder)
    (folder / "settings.toml").write_text((folder / "settings.toml").read_text().replace(
        "yearly_cap = 2", "yearly_cap = 0"), encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    assert "yearly_cap = 0" in capsys.readouterr().out
