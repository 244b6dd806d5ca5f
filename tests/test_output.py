"""planner.output: nothing the tool did not write is ever replaced; outputs appear whole, private, or not at all."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from models.problems import UserError
from planner.output import MARKER, atomic_folder, check_output

ROOT = Path(__file__).resolve().parents[1]


def write(target, kind="plan", files=("a.csv", "b.csv"), inputs=()):
    with atomic_folder(target, kind=kind, inputs=inputs) as tmp:
        for name in files:
            (tmp / name).write_text(name, encoding="utf-8")


def test_a_new_folder_is_written_whole_with_its_marker(tmp_path):
    write(tmp_path / "out" / "plan")
    folder = tmp_path / "out" / "plan"
    assert sorted(p.name for p in folder.iterdir()) == [MARKER, "a.csv", "b.csv"]
    assert json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"] == ["a.csv", "b.csv"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["plan"]  # no temporary folder, no lock file


def test_a_folder_this_tool_wrote_is_replaced(tmp_path):
    write(tmp_path / "plan")
    write(tmp_path / "plan", files=("c.csv",))
    assert sorted(p.name for p in (tmp_path / "plan").iterdir()) == [MARKER, "c.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_an_empty_folder_is_used(tmp_path):
    (tmp_path / "plan").mkdir()
    write(tmp_path / "plan")
    assert (tmp_path / "plan" / "a.csv").is_file()


def test_a_users_folder_is_refused_and_kept(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "会议纪要.docx").write_bytes(b"minutes")
    with pytest.raises(UserError, match="不是本程序写出的方案文件夹（其中有 会议纪要.docx"):
        write(folder)
    assert (folder / "会议纪要.docx").read_bytes() == b"minutes"


def test_a_file_added_to_a_plan_folder_is_refused_and_kept(tmp_path):
    write(tmp_path / "plan")
    (tmp_path / "plan" / "会议纪要.docx").write_bytes(b"minutes")
    with pytest.raises(UserError, match="不是本程序写出的文件（会议纪要.docx）"):
        write(tmp_path / "plan")
    assert (tmp_path / "plan" / "会议纪要.docx").read_bytes() == b"minutes"


def test_another_kind_of_folder_is_refused(tmp_path):
    write(tmp_path / "data", kind="dataset")
    with pytest.raises(UserError, match="是本程序写出的数据集文件夹，不是方案文件夹"):
        write(tmp_path / "data")


def test_an_existing_file_is_refused_and_kept(tmp_path):
    (tmp_path / "plan.xlsx").write_bytes(b"workbook")
    with pytest.raises(UserError, match="是一个已有的文件"):
        write(tmp_path / "plan.xlsx")
    assert (tmp_path / "plan.xlsx").read_bytes() == b"workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_an_output_under_a_file_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(UserError, match="notes.txt 是一个文件，不是文件夹"):
        check_output(tmp_path / "notes.txt" / "plan", kind="plan")


def test_inputs_and_the_folders_holding_them_are_refused(tmp_path):
    data = tmp_path / "county" / "data"
    write(data, kind="dataset")
    for out in (data, data.parent, tmp_path / "county" / "x" / ".."):
        with pytest.raises(UserError, match="输入"):
            check_output(out, [data], kind="dataset")
    assert check_output(tmp_path / "county" / "plan", [data], kind="plan") == (tmp_path / "county" / "plan")


def test_the_current_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError, match="当前所在的文件夹"):
        check_output(".", kind="plan")


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody may write in: immutable for root (who ignores modes), mode 0555 for anyone else."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
            # root ignores modes, and without the immutable attribute (overlayfs, tmpfs) nothing makes a folder
            # read-only to root short of mounting; every other user runs the test below through mode 0555
            pytest.skip("以 root 运行且此文件系统不支持 chattr +i：无法为 root 造出只读文件夹（非 root 用户用 0555 运行本测试）")
        yield folder
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


def test_a_read_only_place_is_refused_before_anything_is_written(read_only_folder):
    with pytest.raises(UserError, match="没有在 .*locked 中写入的权限"):
        check_output(read_only_folder / "plans" / "q4", kind="plan")


def test_folders_are_private_and_files_owner_only(tmp_path):
    with atomic_folder(tmp_path / "plan", kind="export") as tmp:
        (tmp / "sub").mkdir()
        (tmp / "sub" / "x.ics").write_text("x")
        (tmp / "a.csv").write_text("a")
    modes = {p.relative_to(tmp_path).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in [tmp_path / "plan", *(tmp_path / "plan").rglob("*")]}
    assert modes == {"plan": 0o700, "plan/sub": 0o700, f"plan/{MARKER}": 0o600, "plan/a.csv": 0o600,
                     "plan/sub/x.ics": 0o600}


def test_a_stricter_umask_is_kept(tmp_path):
    old = os.umask(0o277)  # owner may not write: files come out read-only
    try:
        write(tmp_path / "plan")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "plan" / "a.csv").stat().st_mode) == 0o400


def test_a_failed_run_leaves_the_old_folder_and_no_temporary_one(tmp_path):
    write(tmp_path / "plan")
    with pytest.raises(RuntimeError), atomic_folder(tmp_path / "plan", kind="plan") as tmp:
        (tmp / "half.csv").write_text("x")
        raise RuntimeError
    assert sorted(p.name for p in (tmp_path / "plan").iterdir()) == [MARKER, "a.csv", "b.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


KILLED_RUN = """
import os, signal, sys
from pathlib import Path
import planner.output as output
target, when = sys.argv[1], sys.argv[2]
if when == "between-renames":
    real = Path.rename
    def rename(self, other):
        result = real(self, other)
        if ".replaced-" in str(other):
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    Path.rename = rename
with output.atomic_folder(target, kind="plan") as tmp:
    for n in range(7):
        (tmp / f"f{n}.csv").write_text("new")
        if when == "writing" and n == 3:
            os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("when", ["writing", "between-renames"])
def test_a_killed_run_leaves_the_old_folder_whole_after_the_next_run(tmp_path, when):
    write(tmp_path / "plan")
    run = subprocess.run([sys.executable, "-c", KILLED_RUN, str(tmp_path / "plan"), when], cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == -9
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "plan")
    assert leftovers and all(name.startswith(".plan.") for name in leftovers)  # what SIGKILL leaves …
    write(tmp_path / "other")  # … another output's run leaves it alone …
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in ("plan", "other")) == leftovers
    with atomic_folder(tmp_path / "plan", kind="plan") as tmp:  # … the next run into the same folder repairs it
        assert sorted(p.name for p in (tmp_path / "plan").iterdir()) == [MARKER, "a.csv", "b.csv"]
        (tmp / "c.csv").write_text("c")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other", "plan"]


def test_a_run_into_the_same_folder_waits_for_the_one_writing(tmp_path):
    lock = tmp_path / ".plan.lock"
    writing, release, second_done = threading.Event(), threading.Event(), threading.Event()

    def first():
        with atomic_folder(tmp_path / "plan", kind="plan") as tmp:
            (tmp / "first.csv").write_text("1")
            writing.set()
            release.wait()

    def second():
        write(tmp_path / "plan", files=("second.csv",))
        second_done.set()

    one = threading.Thread(target=first)
    one.start()
    writing.wait()
    fd = os.open(lock, os.O_RDWR)
    with pytest.raises(BlockingIOError):  # held while the first run writes
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.close(fd)
    two = threading.Thread(target=second)
    two.start()
    assert not second_done.is_set()
    release.set()
    one.join()
    two.join()
    assert sorted(p.name for p in (tmp_path / "plan").iterdir()) == [MARKER, "second.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]
