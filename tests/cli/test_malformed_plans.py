"""Plan folders as people leave them (re-saved by Excel, edited, renamed columns): verify and plan --previous
answer with a message naming file, row and column, never a traceback."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from planner.cli import main


@pytest.fixture
def plan_dir(tiny_plan_dir, tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(tiny_plan_dir, folder)
    return folder


def rewrite(path, change) -> None:
    """`change(header, rows)` on a CSV of the folder, written back as a spreadsheet would."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    change(header, body)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *body])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def excel_dates(header, rows) -> None:
    column = header.index("date")
    for row in rows:
        row[column] = row[column].replace("-", "/")


def minutes_as_text(header, rows) -> None:
    rows[0][header.index("minutes")] = "四十五"


def renamed_column(header, rows) -> None:
    header[header.index("minutes")] = "时长"


MALFORMED = {
    "minutes": (lambda f: rewrite(f / "visits.csv", minutes_as_text),
                "visits.csv 第2行 列「minutes」：不是整数（值：'四十五'）。请恢复程序生成的原文件"),
    "renamed": (lambda f: rewrite(f / "visits.csv", renamed_column),
                "visits.csv 缺少列：minutes（列名可能被改动）；请恢复程序生成的原文件"),
    "record-list": (lambda f: (f / "record.json").write_text("[]"),
                    "record.json 的内容应为一个 JSON 对象（{…}），实际是 list；请重新生成方案"),
    "record-broken": (lambda f: (f / "record.json").write_text('{"seed": "1",'),
                      "record.json 不是有效的 JSON 文件"),
    "not-utf8": (lambda f: (f / "visits.csv").write_bytes("visit_id,日期\n".encode("gbk")),
                 "visits.csv 无法读取：不是 UTF-8 编码（可能被 Excel 以其他编码另存）"),
}


def run(command: str, plan_dir, tmp_path) -> list[str]:
    if command == "verify":
        return ["verify", str(plan_dir), "--data", "fixtures/tiny"]
    return ["plan", "fixtures/tiny", "--previous", str(plan_dir), "--out", str(tmp_path / "again"), "--quiet",
            "--time-limit", "5"]


@pytest.mark.parametrize("command", ["verify", "plan"])
@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_plan_file_is_a_message(case, command, plan_dir, tmp_path, capsys):
    damage, message = MALFORMED[case]
    damage(plan_dir)
    assert main(run(command, plan_dir, tmp_path)) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "again").exists()


def test_a_renamed_column_of_the_draw_is_a_message(plan_dir, capsys):
    rewrite(plan_dir / "draw.csv", lambda header, rows: header.__setitem__(header.index("rank"), "序号"))
    assert main(["verify", str(plan_dir), "--data", "fixtures/tiny"]) == 1
    assert "draw.csv 缺少列：rank（列名可能被改动）" in capsys.readouterr().err


def test_dates_as_excel_writes_them_are_read(plan_dir, tmp_path, capsys):
    """2026/10/09 after Excel re-saved the files: read as dates; verify says the files changed, nothing more."""
    for name in ("visits.csv", "assignments.csv"):
        rewrite(plan_dir / name, excel_dates)
    assert main(run("verify", plan_dir, tmp_path)) == 1
    out = capsys.readouterr().out
    assert "复核发现 1 处问题" in out and "assignments.csv、visits.csv 被改动（用 Excel 打开后另存也会改变文件）" in out
    assert main(run("plan", plan_dir, tmp_path)) == 0
    assert "与上一版相比调整了" not in capsys.readouterr().out  # the same dates, read through the slashes


def test_a_period_edited_to_end_before_it_starts_is_a_message_on_export(plan_dir, tmp_path, capsys):
    record = json.loads((plan_dir / "record.json").read_text(encoding="utf-8"))
    record["period"] = "2026-12-31..2026-10-01"
    (plan_dir / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert main(["export", str(plan_dir), "--data", "fixtures/tiny", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "record.json 中的 period「2026-12-31..2026-10-01」无法识别" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
