"""verify never accuses an honest plan: every setting means the same to planning and to re-derivation, a plan's
first changes are in its chain, another dataset is named as such in one sentence, and record.json is covered."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from models.loading import load_dataset
from models.problems import UserError
from planner.check.verify import verify_plan
from planner.plan.api import run_plan

TINY = Path("fixtures/tiny")
SETTINGS = [  # lines added to settings.toml (cross_zone = forbid already)
    "",
    "same_zone_first = false",
    'zone_balance = "ratio:1.25"',
    'zone_balance = "best"\nloan_zones = 1',
    'shortlist = "all"',
    'cross_zone = "penalty"\nzone_balance = "ratio:1.25"',
    'cross_zone = "allow"\nsame_zone_first = false',
]


def zone_without_inspectors(folder: Path, settings: str) -> Path:
    """The tiny fixture with cross_zone = forbid, `settings` and a third 片区 (同弓乡 alone) where nobody works."""
    shutil.copytree(TINY, folder)
    lines = [line for line in (folder / "settings.toml").read_text(encoding="utf-8").splitlines()
             if line.split("=")[0].strip() not in {s.split("=")[0].strip() for s in settings.splitlines()}]
    text = "\n".join(lines).replace('cross_zone = "penalty"', 'cross_zone = "forbid"')
    (folder / "settings.toml").write_text(f"{text}\n{settings}\n", encoding="utf-8")
    with (folder / "zones.csv").open("a", encoding="utf-8") as zones:
        zones.write("CS3,同弓片区,330822202\n")
    towns = (folder / "towns.csv").read_text(encoding="utf-8")
    (folder / "towns.csv").write_text(towns.replace("330822202,同弓乡,CS2", "330822202,同弓乡,CS3"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: s.replace("\n", ";") or "forbid")
def test_a_zone_without_inspectors_verifies_under_every_setting(settings, tmp_path):
    dataset = load_dataset(zone_without_inspectors(tmp_path / "data", settings))
    run = run_plan(dataset, time_limit_s=5)
    run.write(tmp_path / "plan")
    assert verify_plan(tmp_path / "plan", dataset).findings == []


def test_a_first_plan_made_with_changes_verifies(tiny, tmp_path):
    run = run_plan(tiny, changes=["remove:SJ002", "set:lock_days=1"], time_limit_s=5)
    run.write(tmp_path / "plan")
    assert verify_plan(tmp_path / "plan", tiny).findings == []


def test_another_dataset_is_named_in_one_sentence(tiny_plan_dir):
    other = load_dataset("fixtures/changshan")
    findings = verify_plan(tiny_plan_dir, other).findings
    assert len(findings) == 1
    assert "另一个数据集" in findings[0] and "businesses.csv" in findings[0]


def test_an_edited_figure_of_the_record_is_caught(tiny_plan_dir, tiny, tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(tiny_plan_dir, folder)
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    record["metrics"]["visits"] = 99
    (folder / "record.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    findings = verify_plan(folder, tiny).findings
    assert findings and "record.json 被改动" in findings[0]


def test_the_measured_solve_time_alone_may_differ(tiny_plan_dir, tiny, tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(tiny_plan_dir, folder)
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    record["solver"]["wall_s"] = 12.5
    (folder / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert verify_plan(folder, tiny).findings == []


@pytest.fixture(scope="module")
def replanned_with_today(tiny, tiny_run, tmp_path_factory):
    """The tiny plan, then a re-plan on 2026-10-14 with an officer away after the locked days."""
    root = tmp_path_factory.mktemp("today")
    tiny_run.write(root / "plan")
    run = run_plan(tiny, previous=tiny_run.plan, changes=["absent:SJ002:2026-10-16:2026-10-23"],
                   today=date(2026, 10, 14), time_limit_s=5)
    run.write(root / "replan")
    return root / "plan", root / "replan"


def test_solving_again_replays_the_recorded_today(tiny, replanned_with_today):
    plan, replan = replanned_with_today
    assert verify_plan(replan, tiny, resolve=True, previous=plan).findings == []


def test_solving_again_from_another_previous_plan_says_so(tiny, replanned_with_today, tmp_path):
    plan, replan = replanned_with_today
    other = run_plan(tiny, changes=["set:lock_days=1"], time_limit_s=5)
    other.write(tmp_path / "other")
    findings = verify_plan(replan, tiny, resolve=True, previous=tmp_path / "other").findings
    assert len(findings) == 1 and findings[0].startswith("[上一版] --previous 指定的方案不是本方案重排所依据的上一版")


def test_an_interrupted_plan_kept_anyway_verifies(tiny, tmp_path):
    run = run_plan(tiny, time_limit_s=5)
    run.mark_interrupted()
    run.write(tmp_path / "plan")
    result = verify_plan(tmp_path / "plan", tiny)
    assert result.findings == [] and result.record.interrupted


def test_a_plan_that_fails_its_own_verify_is_never_written(tiny, tmp_path):
    from planner.check.self_check import write_verified

    good = run_plan(tiny, time_limit_s=5)
    write_verified(good, tmp_path / "plan")
    before = {p.name: p.read_bytes() for p in (tmp_path / "plan").iterdir()}
    bad = run_plan(tiny, changes=["set:lock_days=1"], time_limit_s=5)
    bad.files["visits.csv"] = bad.files["visits.csv"].replace(b",routine", b",urgent", 1)  # a bug's output
    with pytest.raises(UserError, match="程序缺陷：本程序刚生成的方案未通过它自己的复核") as refused:
        write_verified(bad, tmp_path / "plan")
    assert "visits.csv" in str(refused.value)
    assert {p.name: p.read_bytes() for p in (tmp_path / "plan").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]  # no temporary folder left
