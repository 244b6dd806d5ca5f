"""verify never accuses an honest plan: every setting means the same to planning and to re-derivation, a plan's
first changes are in its chain, another dataset is named as such in one sentence, and record.json is covered."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from models.loading import load_dataset
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
