"""plan-many and verify-many on the serial engine: every county as `plan` would do it alone, bad data reported."""
from __future__ import annotations

import csv
import json
import shutil
import sys

import pytest
from openpyxl import load_workbook

from models.loading import load_dataset
from models.problems import UserError
from planner.cli import main
from planner.many import plan_many
from planner.many.counties import find_counties
from planner.many.engines import RAY_MISSING, TASK_CPUS, choose_engine
from planner.many.summary import COLUMNS
from planner.output import MARKER
from planner.plan.api import run_plan
from planner.schedule.solve import solve_cpus
from tests.builders import write_workbook, write_zip
from tests.many.helpers import BAD, tiny_counties
from tools.bench.many import plan_bytes
from tools.fixture import write_dataset


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    return tiny_counties(tmp_path_factory.mktemp("counties"), bad=True)


@pytest.fixture(scope="module")
def planned(datasets, tmp_path_factory):
    out = tmp_path_factory.mktemp("plans") / "quarter"
    finished = []
    result = plan_many(datasets, out, on_done=lambda o, done, total: finished.append((o.name, done, total)))
    return out, result, finished


def summary_rows(out) -> list[dict]:
    with (out / "summary.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_each_county_is_planned_exactly_as_plan_alone(datasets, planned, tmp_path):
    out, result, _ = planned
    alone = tmp_path / "alone"
    run_plan(load_dataset(datasets / "t2")).write(alone)
    assert plan_bytes(out / "t2") == plan_bytes(alone)
    assert [o.status for o in result.outcomes] == ["planned", "planned", "planned", "bad_data"]


def test_a_county_with_bad_data_gets_its_problems_and_no_plan(planned):
    out, result, _ = planned
    assert sorted(p.name for p in (out / BAD).iterdir()) == [MARKER, "problems.csv"]
    with (out / BAD / "problems.csv").open(encoding="utf-8", newline="") as f:
        problems = list(csv.DictReader(f))
    assert problems[0]["file"] == "businesses.csv" and problems[0]["row"] == "2"
    assert problems[0]["value"] == "X" and problems[0]["fix"]
    row = {r["county"]: r for r in summary_rows(out)}[BAD]
    assert row["status"] == "bad_data" and row["visits"] == ""
    assert "businesses.csv 第2行" in row["problems"] and f"{BAD}/problems.csv" in row["problems"]
    assert "Traceback" not in row["problems"]


def test_summary_has_one_row_per_county_with_the_plans_figures(planned):
    out, result, _ = planned
    rows = summary_rows(out)
    assert list(rows[0]) == [key for key, _ in COLUMNS]
    assert [r["county"] for r in rows] == ["t1", "t2", "t3", BAD]
    visits = list(csv.DictReader((out / "t1" / "visits.csv").open(encoding="utf-8")))
    t1 = rows[0]
    assert int(t1["visits"]) == len(visits) and t1["status"] == "planned" and t1["attempts"] == "1"
    joint = sum(";" in v["dept_ids"] for v in visits) / len(visits)
    assert float(t1["joint_share"]) == pytest.approx(joint, abs=1e-4)
    assert t1["businesses"] == "80" and t1["solver_status"] in ("OPTIMAL", "FEASIBLE")
    record = json.loads((out / "t1" / "record.json").read_text(encoding="utf-8"))
    assert t1["zone_ratio_max"] == str(record["metrics"].get("zone_ratio_max", ""))
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "summary.csv", "summary.xlsx", "t1", "t2", "t3", BAD]


def test_summary_workbook_totals_the_planned_counties(planned):
    out, _, _ = planned
    sheets = load_workbook(out / "summary.xlsx")
    values = list(sheets["汇总"].iter_rows(min_row=2, values_only=True))
    assert values[0][0] == "县（市、区）" and values[-1][0] == "合计"
    planned_rows = [r for r in values[1:-1] if r[1] == "已排程"]
    assert len(planned_rows) == 3 and values[-1][4] == sum(r[4] for r in planned_rows)
    assert any(r[0] == BAD for r in sheets["数据问题"].iter_rows(values_only=True))


def test_largest_county_goes_first(datasets, planned, tmp_path):
    _, _, finished = planned
    counties = find_counties(datasets).counties
    assert [name for name, _, _ in finished] == [c.name for c in counties]
    assert [(done, total) for _, done, total in finished] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    write_dataset(tmp_path / "a-small", "tiny", 1)
    write_dataset(tmp_path / "b-large", "tiny", 1, businesses=400)
    (tmp_path / "readme.txt").write_text("不是数据集", encoding="utf-8")
    found = find_counties(tmp_path)
    counties, skipped = found.counties, found.skipped
    assert [c.name for c in counties] == ["b-large", "a-small"] and skipped == ["readme.txt"]


def test_verify_many_passes_then_names_the_county_whose_plan_was_edited(datasets, planned, tmp_path, capsys):
    out, _, _ = planned
    assert main(["verify-many", str(out), "--data", str(datasets)]) == 1  # one county has no plan to verify
    text = capsys.readouterr().out
    assert "复核通过 3/4" in text and f"{BAD}：数据有误，没有方案可复核" in text and "未全部复核通过：1 个" in text
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    path = copy / "t3" / "assignments.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # one inspector fewer on the last visit
    assert main(["verify-many", str(copy), "--data", str(datasets)]) == 1
    text = capsys.readouterr().out
    assert "t3：复核发现" in text and "t1：复核发现" not in text


def test_cli_reports_the_bad_county_and_exits_non_zero(datasets, tmp_path, capsys):
    assert main(["plan-many", str(datasets), "--out", str(tmp_path / "p"), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "已排程 3/4 个县（市、区）" in out
    assert f"数据有误，未排程：{BAD}（1 处问题" in out and "summary.csv" in out


def test_engine_ray_without_ray_says_how_to_install(datasets, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    assert main(["plan-many", str(datasets), "--out", str(tmp_path / "p"), "--engine", "ray"]) == 1
    err = capsys.readouterr().err
    assert RAY_MISSING in err and "pip install '.[cluster]'" in err and "Traceback" not in err
    assert not (tmp_path / "p").exists()


def test_plans_inside_the_datasets_folder_are_refused(datasets, capsys):
    assert main(["plan-many", str(datasets), "--out", str(datasets / "plans")]) == 1
    assert "在数据集文件夹" in capsys.readouterr().err and not (datasets / "plans").exists()


def test_a_folder_without_datasets_is_refused(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UserError, match="没有数据集"):
        plan_many(tmp_path / "in", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_workbooks_and_zips_are_counties_too(tmp_path):
    write_zip(tmp_path / "a县.zip")
    (tmp_path / "b县").mkdir()
    write_workbook(tmp_path / "b县" / "数据.xlsx")
    (tmp_path / "c空").mkdir()
    found = find_counties(tmp_path)
    counties, skipped = found.counties, found.skipped
    assert {c.name: c.source.name for c in counties} == {"a县": "a县.zip", "b县": "数据.xlsx"}
    assert skipped == ["c空"]


def test_the_engine_is_chosen_by_the_work_and_the_machine():
    big = [20.0, 18.0, 15.0, 14.0]  # MB of files: counties of a minute or so each
    small = [0.3, 0.2, 0.2]
    assert choose_engine("auto", big, cores=2, ray_installed=True).engine == "ray"
    assert choose_engine("auto", big, cores=8, ray_installed=True).engine == "ray"
    for sizes, cores, installed, why in ((small, 2, True, "工作量小"), (big, 1, True, "同时只能排一个县"),
                                        (big, 2, False, "未安装 Ray"), (big[:1], 2, True, "只有一个县")):
        choice = choose_engine("auto", sizes, cores=cores, ray_installed=installed)
        assert choice.engine == "serial" and why in choice.reason, (sizes, cores, installed)
    assert choose_engine("auto", small, cores=2, address="auto", ray_installed=True).engine == "ray"  # a cluster
    asked = choose_engine("ray", small, cores=1, ray_installed=True)
    assert asked.engine == "ray" and f"预留 {TASK_CPUS} 个 CPU" in asked.reason  # as asked, and what it reserves
    assert choose_engine("serial", big, cores=8, ray_installed=True).engine == "serial"


def test_each_ray_task_reserves_what_a_first_plans_solve_uses():
    assert TASK_CPUS == solve_cpus(replan=False) == 1 < solve_cpus(replan=True)


def test_plan_many_says_which_engine_and_why(datasets, tmp_path, capsys):
    assert main(["plan-many", str(datasets), "--out", str(tmp_path / "p")]) == 1  # one county has bad data
    err = capsys.readouterr().err
    assert "引擎：serial（" in err  # three tiny counties: Ray would not save time, or is not installed


def test_a_link_to_a_county_is_planned_once_and_said(tmp_path, capsys):
    datasets = tiny_counties(tmp_path / "in", seeds=(1, 2))
    (datasets / "t1-副本").symlink_to(datasets / "t1", target_is_directory=True)  # a second name for t1
    write_zip(datasets / "z县.zip")
    (datasets / "z县-链接.zip").symlink_to(datasets / "z县.zip")
    assert main(["plan-many", str(datasets), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "已排程 3/3 个县（市、区）" in out
    assert "同一数据集：t1-副本 与 t1 指向同一个数据集（链接或同一文件），只按 t1 排程一次" in out
    assert "同一数据集：z县-链接 与 z县 指向同一个数据集" in out
    rows = {r["county"]: r for r in summary_rows(tmp_path / "out")}
    assert sorted(rows) == ["t1", "t2", "z县"] and rows["t1"]["same_entries"] == "t1-副本"
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == ["t1", "t2", "z县"]
    assert main(["verify-many", str(tmp_path / "out"), "--data", str(datasets)]) == 0
    assert "复核通过 3/3" in capsys.readouterr().out
