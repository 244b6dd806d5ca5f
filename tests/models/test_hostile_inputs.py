"""Hostile inputs (#27): only regular files are read, within the limits, and validate ends with a message — never
a kill, a hang or another file's content — under a 1 GB address-space limit (RLIMIT_AS, set in the child)."""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models.credit_code import check_character

LIMIT = 1024 * 1024 * 1024  # RLIMIT_AS: the whole address space of the child, libraries included
ROOT = Path(__file__).resolve().parents[2]


def validate_limited(dataset: Path) -> subprocess.CompletedProcess:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))
    return subprocess.run([sys.executable, "-m", "planner", "validate", str(dataset)], capture_output=True, text=True,
                          timeout=300, preexec_fn=limit, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def ended_with_a_message(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])  # a kill is negative
    assert "Traceback" not in result.stderr and "内存不足" not in result.stderr
    assert len(result.stderr.splitlines()) < 200
    return result.stderr


@pytest.fixture()
def county(tmp_path) -> Path:
    folder = tmp_path / "county"
    shutil.copytree(ROOT / "fixtures" / "tiny", folder)
    return folder


def test_a_table_linked_to_dev_zero_is_refused_without_reading_it(county):
    (county / "businesses.csv").unlink()
    os.symlink("/dev/zero", county / "businesses.csv")
    err = ended_with_a_message(validate_limited(county))
    assert "businesses.csv" in err and "不是普通文件" in err


def test_a_fifo_is_refused_without_hanging(county):
    (county / "inspectors.csv").unlink()
    os.mkfifo(county / "inspectors.csv")
    err = ended_with_a_message(validate_limited(county))
    assert "inspectors.csv" in err and "不是普通文件" in err


def test_settings_linked_to_a_file_outside_the_dataset_is_not_read_or_echoed(county):
    (county / "settings.toml").unlink()
    os.symlink("/etc/passwd", county / "settings.toml")
    err = ended_with_a_message(validate_limited(county))
    assert "settings.toml" in err and "数据集文件夹以外" in err
    assert "root:" not in err and "/bin/" not in err


def _bad_rows(path: Path, rows: int, address: str) -> None:
    """`rows` businesses whose codes all fail the check character, each with `address`."""
    header = "credit_code,name,town_id,category_id,risk_level,lat,lon,opened_on,address,exempt\n"
    with path.open("w", encoding="utf-8") as f:
        f.write(header)
        for n in range(rows):
            first17 = f"91330822MA{n:07d}"
            wrong = "0" if check_character(first17) != "0" else "1"
            f.write(f"{first17}{wrong},浙江某某餐饮有限公司{n},330822001,CY,A,28.9,118.5,2021-01-17,{address},false\n")


def test_a_95_mb_csv_of_bad_rows_reports_the_first_of_each_kind_with_counts(county):
    path = county / "businesses.csv"
    _bad_rows(path, 200_000, "定" * 3 + "x" * 400)  # 403 characters: longer than an address may be
    assert 90 * 2**20 < path.stat().st_size < 100 * 2**20
    err = ended_with_a_message(validate_limited(county))
    assert "同类问题还有 199,980 处没有逐条列出（共 200,000 处）：统一社会信用代码无效" in err
    assert "（共 200,000 处）：太长" in err


def test_a_csv_of_more_rows_than_a_table_may_hold_is_refused_at_the_limit(county):
    path = county / "businesses.csv"
    _bad_rows(path, 700_000, "天马街道")
    err = ended_with_a_message(validate_limited(county))
    assert "businesses.csv" in err and "300,000 行" in err


def test_the_dataset_itself_linked_to_dev_zero_is_refused(tmp_path):
    os.symlink("/dev/zero", tmp_path / "county.zip")
    err = ended_with_a_message(validate_limited(tmp_path / "county.zip"))
    assert "county.zip" in err and "不是普通文件" in err


def test_a_link_to_a_file_inside_the_dataset_is_read(county):
    (county / "items.csv").rename(county / "items-2026.csv.bak")
    os.symlink("items-2026.csv.bak", county / "items.csv")
    result = validate_limited(county)
    assert result.returncode == 0, result.stderr
