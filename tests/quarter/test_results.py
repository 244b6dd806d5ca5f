"""结果登记: a department fills in the workbook it received and the import merges exactly those rows — or, when
any row is wrong, merges nothing and names file, sheet, row and column."""
from __future__ import annotations

import csv
import io
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from models.records import DISPOSAL_LABELS, RESULT_LABELS
from planner.cli import main
from planner.plan.folder import read_plan
from planner.quarter.results import ResultsRefused, import_results
from tests.export.test_export import tiny_dataset, write_plan
from tests.quarter.workbooks import D1_BOOK, FILLED, NOW, SHEET, TODAY, fill, filled


@pytest.fixture
def plan_dir(tmp_path) -> Path:
    return write_plan(tmp_path / "plan")

def results_csv(plan_dir: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((plan_dir / "results.csv").read_text(encoding="utf-8"))))


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_the_received_workbook_offers_exactly_the_official_labels(received):
    book = openpyxl.load_workbook(received)
    assert book.sheetnames[:2] == ["检查安排", SHEET] and book.sheetnames[-1] == "填写说明"
    lists = {}
    for validation in book[SHEET].data_validations.dataValidation:
        if validation.type == "list":
            sheet, cells = validation.formula1.split("!")
            lists[str(validation.sqref)] = [c.value for (c,) in book[sheet.strip("'")][cells.replace("$", "")]]
    assert sorted(lists.values()) == sorted([list(RESULT_LABELS), list(DISPOSAL_LABELS)])
    dates = [v for v in book[SHEET].data_validations.dataValidation if v.type == "date"]
    assert len(dates) == 2  # 检查日期 and 整改期限
    ws = book[SHEET]
    assert [(ws.cell(r, 1).value, ws.cell(r, 5).value) for r in range(3, ws.max_row + 1)] == [
        ("V1", "I1"), ("V2", "I4"), ("V3", "I1")]  # D1's items only
    assert ws.cell(3, 11).value == "P1;P2"  # the planned officers, pre-filled


def test_round_trip_merges_exactly_the_filled_rows(received, plan_dir, tmp_path):
    chain_before = read_plan(plan_dir).record.commitment_chain
    report = import_results(plan_dir, [filled(received, tmp_path)], today=TODAY, user="市场监管局 王芳", now=NOW)
    assert (report.added, report.changed) == (2, 0)
    assert results_csv(plan_dir) == [
        {"visit_id": "V1", "item_id": "I1", "checked_on": "2026-10-09", "result": "未发现问题", "disposal": "无需处置",
         "rectify_by": "", "inspector_ids": "P1;P2", "note": "", "published_on": ""},
        {"visit_id": "V3", "item_id": "I1", "checked_on": "2026-11-04", "result": "发现问题已责令改正",
         "disposal": "责令改正", "rectify_by": "2026-12-04", "inspector_ids": "P2;P1", "note": "冷藏温度记录缺失",
         "published_on": ""}]
    plan = read_plan(plan_dir)
    (entry,) = plan.results_log
    assert (entry.user, entry.source, entry.added, entry.logged_at) == (
        "市场监管局 王芳", f"{D1_BOOK}:{SHEET}", 2, "2026-11-10T09:30:00")
    chain = plan.record.commitment_chain
    assert chain[:-1] == chain_before and chain[-1]["event"] == f"results {entry.source_sha256}"


def test_importing_the_same_file_twice_changes_nothing(received, plan_dir, tmp_path):
    book = filled(received, tmp_path)
    import_results(plan_dir, [book], today=TODAY, user="a", now=NOW)
    before = folder_bytes(plan_dir)
    again = import_results(plan_dir, [book], today=TODAY, user="b", now=datetime(2026, 11, 11))
    assert not again.changed_anything and folder_bytes(plan_dir) == before


def test_a_correction_replaces_the_row_and_is_logged(received, plan_dir, tmp_path):
    import_results(plan_dir, [filled(received, tmp_path)], today=TODAY, user="a", now=NOW)
    corrected = fill(received, tmp_path / "fix" / D1_BOOK, {3: {**FILLED[3], "检查结果": "未按规定公示应当公示的信息"}})
    report = import_results(plan_dir, [corrected], today=TODAY, user="a", now=NOW)
    assert (report.added, report.changed) == (0, 1)
    rows = {(r["visit_id"], r["item_id"]): r for r in results_csv(plan_dir)}
    assert rows[("V1", "I1")]["result"] == "未按规定公示应当公示的信息" and ("V3", "I1") in rows  # nothing deleted
    assert [e.changed for e in read_plan(plan_dir).results_log] == [0, 1]


REFUSED = [  # (row edits, column named, words of the message)
    ({3: {"检查编号": "V99"}}, "检查编号", "方案中没有这个检查编号"),
    ({3: {"事项编号": "I3"}}, "事项编号", "该事项不属于检查 V1"),
    ({3: {"检查结果": "合格"}}, "检查结果", "不是规定的检查结果"),
    ({3: {"后续处置": "罚款"}}, "后续处置", "不是规定的后续处置"),
    ({3: {"检查日期": date(2026, 10, 8)}}, "检查日期", "早于该次检查的计划日期 2026-10-09"),
    ({3: {"检查日期": date(2026, 11, 11)}}, "检查日期", "晚于今天（2026-11-10）"),
    ({3: {"事项编号": "I2"}}, "事项编号", "该事项由部门 D2 实施，不能由部门 D1 填报"),  # 综合执法局's item of V1
    ({3: {"后续处置": "责令改正"}}, "整改期限", "必须填写整改期限"),
    ({3: {"整改期限": date(2026, 11, 30)}}, "整改期限", "只有后续处置为责令改正、或检查结果为发现问题待后续处理时才填写"),
    ({5: {"整改期限": date(2026, 11, 1)}}, "整改期限", "整改期限早于检查日期"),
    ({3: {"实际检查人员": "张三"}}, "实际检查人员", "不在执法检查人员名录中"),
    ({4: {"备注（问题描述，写入整改通知单）": "只写了备注"}}, "检查日期", "缺少检查日期"),
]


@pytest.mark.parametrize(("changes", "column", "words"), REFUSED, ids=[r[2] for r in REFUSED])
def test_a_bad_row_refuses_the_whole_import(received, plan_dir, tmp_path, changes, column, words):
    book = filled(received, tmp_path, changes)
    (row,) = changes
    with pytest.raises(ResultsRefused) as refused:
        import_results(plan_dir, [book], today=TODAY, user="a", now=NOW)
    problems = refused.value.problems
    assert {(p.file, p.row) for p in problems} == {(f"{D1_BOOK}:{SHEET}", row)}
    assert any(p.column.startswith(column) and words in str(p) for p in problems), problems
    assert not (plan_dir / "results.csv").exists()  # the good row was not merged either


def test_the_dataset_knows_officers_the_plan_folder_does_not(received, plan_dir, tmp_path):
    book = filled(received, tmp_path, {3: {"实际检查人员": "P1;P7"}})  # 周九 went instead: not in this plan
    with pytest.raises(ResultsRefused, match="P7 不在执法检查人员名录中"):
        import_results(plan_dir, [book], today=TODAY, user="a", now=NOW)
    assert import_results(plan_dir, [book], today=TODAY, user="a", now=NOW, dataset=tiny_dataset()).added == 2


def test_one_bad_file_refuses_the_good_one(received, plan_dir, tmp_path):
    good = filled(received, tmp_path)
    bad = fill(received, tmp_path / "bad" / D1_BOOK, {4: {"检查日期": date(2026, 10, 12), "检查结果": "没问题"}})
    before = folder_bytes(plan_dir)
    with pytest.raises(ResultsRefused, match="第4行"):
        import_results(plan_dir, [good, bad], today=TODAY, user="a", now=NOW)
    assert folder_bytes(plan_dir) == before


def test_two_rows_saying_different_things_are_refused(received, plan_dir, tmp_path):
    good = filled(received, tmp_path)
    other = fill(received, tmp_path / "other" / D1_BOOK, {3: {**FILLED[3], "检查结果": "不配合检查情节严重"}})
    with pytest.raises(ResultsRefused, match="同一检查事项，但填写的内容不同"):
        import_results(plan_dir, [good, other], today=TODAY, user="a", now=NOW)


def write_results_csv(path: Path, rows: list[list[str]], *, chinese: bool = True) -> Path:
    header = (["检查编号", "事项编号", "检查日期", "检查结果", "后续处置", "整改期限", "实际检查人员", "备注"] if chinese else
              ["visit_id", "item_id", "checked_on", "result", "disposal", "rectify_by", "inspector_ids", "note"])
    text = "".join(",".join(row) + "\n" for row in [header, *rows])
    path.write_text(text, encoding="utf-8-sig")  # with a BOM, as Excel saves it
    return path


def test_a_results_csv_is_read_like_the_workbook(plan_dir, tmp_path):
    path = write_results_csv(tmp_path / "结果.csv", [["V4", "I3", "2026/11/5", "通过登记的住所(经营场所)无法联系",
                                                       "", "", "P5;P6", ""]])
    report = import_results(plan_dir, [path], today=TODAY, user="a", now=NOW)
    assert report.added == 1
    (row,) = results_csv(plan_dir)
    assert (row["checked_on"], row["result"]) == ("2026-11-05", "通过登记的住所（经营场所）无法联系")


def test_a_department_csv_may_not_hold_another_departments_rows(plan_dir, tmp_path):
    path = write_results_csv(tmp_path / "r.csv", [["V4", "I3", "2026-11-05", "未发现问题", "", "", "P5", ""]],
                             chinese=False)
    with pytest.raises(ResultsRefused, match="r.csv 第2行 列「item_id」：该事项由部门 D3 实施，不能由部门 D1 填报"):
        import_results(plan_dir, [path], today=TODAY, user="a", now=NOW, dept_id="D1")


def test_a_file_that_is_neither_csv_nor_workbook_is_named(plan_dir, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ResultsRefused, match="notes.txt：只能导入"):
        import_results(plan_dir, [tmp_path / "notes.txt"], today=TODAY, user="a", now=NOW)


def test_cli_merges_and_then_reports_nothing_new(received, plan_dir, tmp_path, capsys):
    book = str(filled(received, tmp_path))
    args = ["results", str(plan_dir), "--add", book, "--today", TODAY.isoformat(), "--by", "王芳"]
    assert main(args) == 0
    assert "新增 2 条，修改 0 条" in capsys.readouterr().out
    assert main(args) == 0
    assert "保持不变" in capsys.readouterr().out
    shutil.copy(book, tmp_path / "late.xlsx")
    assert main(["results", str(plan_dir), "--add", str(tmp_path / "late.xlsx"), "--today", "2026-11-01"]) == 1
    err = capsys.readouterr().err
    assert "未合并任何结果" in err and f"late.xlsx:{SHEET} 第5行 列「检查日期」" in err
