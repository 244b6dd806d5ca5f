"""Every command checks its output location before any heavy work, and never replaces what it did not write."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.output import MARKER

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path):
    """A county's own lists (the tiny fixture without the marker of a generated dataset)."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "fixtures" / "tiny", folder)
    (folder / MARKER).unlink()
    return folder


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def commands(data: Path, out: Path, plan: Path) -> dict[str, list[str]]:
    return {"draw": ["draw", str(data), "--out", str(out)],
            "plan": ["plan", str(data), "--out", str(out), "--quiet", "--time-limit", "2"],
            "export": ["export", str(plan), "--data", str(data), "--out", str(out)],
            "fixture": ["fixture", "--scale", "tiny", "--out", str(out)]}


@pytest.fixture
def plan(tmp_path, data, tiny_run):
    tiny_run.write(tmp_path / "plan")
    return tmp_path / "plan"


@pytest.mark.parametrize("command", ["draw", "plan", "export", "fixture"])
def test_the_dataset_is_never_the_output(command, data, plan, capsys):
    before = snapshot(data)
    assert main(commands(data, data, plan)[command]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (f"输出位置 {data} 就是输入 {data}" in err) or "不是本程序写出的数据集文件夹" in err  # fixture: no input
    assert snapshot(data) == before


@pytest.mark.parametrize("command", ["draw", "plan", "export", "fixture"])
def test_a_folder_of_the_users_files_is_kept(command, tmp_path, data, plan, capsys):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "会议纪要.docx").write_bytes(b"minutes")
    assert main(commands(data, notes, plan)[command]) == 1
    assert "其中有 会议纪要.docx" in capsys.readouterr().err
    assert snapshot(notes) == {Path("会议纪要.docx"): b"minutes"}


@pytest.mark.parametrize("command", ["draw", "plan", "export", "fixture"])
def test_an_existing_file_is_kept_not_renamed(command, tmp_path, data, plan, capsys):
    target = tmp_path / "方案.xlsx"
    target.write_bytes(b"workbook")
    assert main(commands(data, target, plan)[command]) == 1
    assert f"输出位置 {target} 是一个已有的文件" in capsys.readouterr().err
    assert target.read_bytes() == b"workbook" and not list(tmp_path.glob(".方案.xlsx*"))


def test_the_previous_plan_is_never_the_output(data, plan, capsys):
    before = snapshot(plan)
    assert main(["plan", str(data), "--previous", str(plan), "--out", str(plan), "--quiet"]) == 1
    assert f"输出位置 {plan} 就是输入 {plan}" in capsys.readouterr().err
    assert snapshot(plan) == before


@pytest.mark.parametrize("command", ["draw", "plan", "export"])
def test_the_output_is_checked_before_the_inputs_are_even_read(command, tmp_path, capsys):
    """A missing dataset would be reported first if the dataset were loaded (and a plan solved) first."""
    missing = tmp_path / "no-such-dataset"
    (tmp_path / "f").write_text("x")
    assert main(commands(missing, tmp_path / "f" / "out", missing)[command]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'f'} 是一个文件，不是文件夹" in err and "no-such-dataset" not in err


def test_the_current_folder_is_refused(tmp_path, data, monkeypatch, capsys):
    monkeypatch.chdir(data.parent)
    (data.parent / "empty").mkdir()
    monkeypatch.chdir(data.parent / "empty")
    assert main(["plan", str(data), "--out", ".", "--quiet"]) == 1
    assert "当前所在的文件夹" in capsys.readouterr().err


def test_the_same_plan_again_replaces_the_one_this_tool_wrote(tmp_path, data):
    out = tmp_path / "q4"
    for _ in range(2):
        assert main(["plan", str(data), "--out", str(out), "--quiet", "--time-limit", "2"]) == 0
    assert (out / "visits.csv").is_file() and (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "q4"]


def test_two_runs_into_one_folder_both_finish_one_after_the_other(tmp_path, data):
    out = tmp_path / "q4"
    args = [sys.executable, "-m", "planner", "plan", str(data), "--out", str(out), "--quiet", "--time-limit", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outcomes = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    assert outcomes == [(0, ""), (0, "")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "q4"]  # no temporary folder, no lock
    assert {"visits.csv", "assignments.csv", "record.json", MARKER} <= {p.name for p in out.iterdir()}


def test_a_name_the_system_refuses_is_a_message(tmp_path, data, capsys):
    too_long = tmp_path / ("方案" * 100)
    assert main(["plan", str(data), "--out", str(too_long), "--quiet"]) == 1
    assert f"错误：无法使用输出位置 {too_long}：文件名过长。请换一个输出位置。" in capsys.readouterr().err
    assert main(["verify", str(too_long), "--data", str(data)]) == 1  # the safety net of every command
    err = capsys.readouterr().err
    assert f"错误：无法读写 {too_long}：文件名过长" in err and "Traceback" not in err
