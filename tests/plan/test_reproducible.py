"""The same dataset, seed and settings give byte-identical plan files whatever the machine's load (testing.md:
determinism under load). The only field allowed to differ is the measured `solver.wall_s`."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from models.loading import load_dataset
from planner.plan.api import run_plan
from tools.fixture import write_dataset

TIME_LIMIT_S = 0.3  # small: where a level is not proven, the deterministic budget ends its search
CHANGES = ["set:zone_balance=ratio:1.25"]  # the hardest levels: balance between 片区


@pytest.fixture(scope="module")
def small_county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county") / "data"
    write_dataset(folder, "county", 3, 4000)
    return load_dataset(folder)


def folder_bytes(folder) -> dict[str, bytes | dict]:
    files: dict[str, bytes | dict] = {p.name: p.read_bytes() for p in folder.iterdir()}
    record = json.loads(files.pop("record.json"))
    del record["solver"]["wall_s"]
    files["record.json"] = record
    return files


def test_two_plans_beside_a_cpu_hog_are_byte_identical(small_county, tmp_path):
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]  # the 2 cores busy
    try:
        for name in ("one", "two"):
            run_plan(small_county, changes=CHANGES, time_limit_s=TIME_LIMIT_S).write(tmp_path / name)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    one, two = folder_bytes(tmp_path / "one"), folder_bytes(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    solver = one["record.json"]["solver"]
    assert solver["reproducible"] is True
