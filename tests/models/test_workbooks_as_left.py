"""Workbooks as people leave them: invisible characters in ids, hidden sheets, formulas never calculated, merged
cells, Excel error values, control and direction characters in names — each named with its cause and fix."""
from __future__ import annotations

import openpyxl
import pytest

from models.loading import load_dataset
from models.problems import DatasetError
from tests.builders import build_dataset, set_cell, write_dataset, write_workbook

ZWSP = "\u200b"


def problems(path):
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    return info.value.problems


def test_an_invisible_twin_is_one_officer_and_a_duplicate(tmp_path):
    def twin(tables):
        tables["inspectors"].append(["P01" + ZWSP, "廖利民", "D1", "Z1", "true", "360"])
    found = problems(write_dataset(tmp_path / "county", edit=twin))
    assert [(p.file, p.column, p.value) for p in found] == [("inspectors.csv", "inspector_id", "P01" + ZWSP)]
    assert "重复" in found[0].message and "P01\\u200b" in str(found[0])  # the twin shown escaped


@pytest.mark.parametrize("stem, row, column, value", [
    ("zones", 2, "zone_id", "Z1" + ZWSP), ("towns", 3, "zone_id", ZWSP + "Z1"),
    ("businesses", 2, "category_id", "C1\ufeff"), ("unavailable", 2, "inspector_id", "P0\u200d1"),
    ("items", 2, "category_ids", "\u2060C1"),
])
def test_invisible_characters_in_ids_are_removed_in_every_table(tmp_path, stem, row, column, value):
    clean = build_dataset()
    ds = load_dataset(write_dataset(tmp_path / "county", edit=lambda t: set_cell(t, stem, row, column, value)))
    for name in ("zones", "towns", "businesses", "absences", "items"):
        assert getattr(ds, name) == getattr(clean, name), name
    [warning] = [w for w in ds.warnings if "看不见的字符" in w.message]
    assert warning.file == f"{stem}.csv" and "\\u" in warning.message


@pytest.mark.parametrize("value, words", [
    ("许\u202egnp.exe", "方向控制字符 \\u202e"), ("廖利\x07民", "控制字符 \\u0007"), ("#DIV/0!", "错误值 #DIV/0!"),
    ("#N/A", "错误值 #N/A"), ("名" * 101, "太长：101 个字，最多 100 个字"),
])
def test_names_with_control_direction_or_error_values_or_too_long_are_refused(tmp_path, value, words):
    found = problems(write_dataset(tmp_path / "county", edit=lambda t: set_cell(t, "inspectors", 3, "name", value)))
    assert [(p.file, p.row, p.column) for p in found] == [("inspectors.csv", 3, "name")]
    assert words in found[0].message


def test_a_line_break_in_a_workbook_name_is_refused_but_allowed_in_a_checklist(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["inspectors"]["B2"] = "廖利\n民"
    workbook["items"].cell(1, 12, "checklist")
    workbook["items"].cell(2, 12, "一、证照\n二、台账")
    workbook.save(book)
    [p] = problems(book)
    assert (p.file, p.row, p.column) == ("county.xlsx:inspectors", 2, "name") and "换行" in p.message


@pytest.mark.parametrize("state, words", [("hidden", "隐藏的"), ("veryHidden", "深度隐藏")])
def test_a_hidden_sheet_is_read_and_said_to_be_hidden(tmp_path, state, words):
    book = write_workbook(tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["unavailable"].sheet_state = state
    workbook.save(book)
    ds = load_dataset(book)
    assert ds.absences  # read
    [warning] = [w for w in ds.warnings if "隐藏" in w.message]
    assert warning.file == "county.xlsx:unavailable" and words in warning.message and "已经读取" in warning.message


def test_a_formula_without_a_saved_value_is_named_with_the_fix(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["businesses"]["A3"] = '=CONCATENATE("91330822","MA2000002")'  # openpyxl saves no value
    workbook.save(book)
    [p] = problems(book)
    assert (p.file, p.row, p.column) == ("county.xlsx:businesses", 3, "credit_code")
    assert "公式" in p.message and "没有保存计算结果" in p.message and "保存一次" in p.fix
    assert "缺少" not in p.message


def test_merged_cells_are_named_on_every_row_below_the_first(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["inspectors"]
    sheet.merge_cells("C2:C4")  # 所属部门 merged over three officers
    workbook.save(book)
    found = problems(book)
    assert [(p.row, p.column) for p in found] == [(3, "dept_id"), (4, "dept_id")]
    assert all("合并单元格" in p.message and "取消合并" in p.fix for p in found)


def test_an_excel_error_value_in_a_workbook_cell_is_refused_naming_the_cell(tmp_path):
    book = write_workbook(tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["inspectors"]["B4"].value = "#DIV/0!"
    workbook["inspectors"]["B4"].data_type = "e"  # saved as an error cell, as Excel does
    workbook.save(book)
    [p] = problems(book)
    assert (p.file, p.row, p.column, p.value) == ("county.xlsx:inspectors", 4, "name", "#DIV/0!")
    assert "错误值" in p.message and "公式" in p.fix
