"""Lists as governments publish them (fixtures/published/): the three real-format tables load — headers, ratios,
frequencies, counts, departments by name, joining departments — or, as published without the coordinator's
three columns, are refused saying what was found and what is missing; validate says what it read, and a plan
sends the joining departments' officers."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from models.loading import load_dataset
from models.loading.tables import parse_table
from models.loading.text import read_csv_table
from models.schema import TABLE
from planner.check.rules import check_plan
from planner.cli import main
from planner.plan.api import run_plan

PUBLISHED = Path("fixtures/published")
AS_PUBLISHED = sorted((PUBLISHED / "as_published").glob("*.csv"))


def test_changzhi_joint_plan_reads_as_published():
    ds = load_dataset(PUBLISHED / "changzhi_2024")
    tobacco = ds.item["CZ01"]
    assert tobacco.name == "对物流、寄递企业运输烟草制品情况的双随机抽查" and tobacco.dept_id == "YC"
    assert tobacco.co_dept_ids == ("YZ", "GA")  # 市邮政管理局、市公安局: by the end of their full names
    assert tobacco.ratios == dict.fromkeys("ABCD", 0.03) and tobacco.per_year == dict.fromkeys("ABCD", 2)
    assert ds.item["CZ02"].dept_id == "YB" and ds.item["CZ02"].co_dept_ids == ("SPJ",)  # by 简称
    assert ds.item["CZ02"].ratios["D"] == 0.2 and ds.item["CZ03"].ratios["A"] == 0.3  # ≥20%, 不低于30%
    assert ds.item["CZ04"].ratios["B"] == 0.1 and ds.item["CZ04"].sample_counts == {}  # 10%(2户): the ratio decides
    assert ds.item["CZ05"].sample_counts == dict.fromkeys("ABCD", 3)  # 3户 alone: the sample size
    assert ds.item["CZ05"].co_dept_ids == ("WJ", "SJ") and ds.item["CZ01"].scope == "本辖区物流、寄递企业"
    notes = " ".join(n.message for n in ds.notes)
    assert "「抽查比例及频次」一列用于 A、B、C、D 类" in notes and "「抽查检查模式」" in notes
    assert not ds.warnings


def test_yiyuan_health_list_reads_full_width_ratios_and_short_names():
    ds = load_dataset(PUBLISHED / "yiyuan_2023")
    assert ds.item["YY02"].dept_id == "WJ" and ds.item["YY02"].co_dept_ids == ("JT",)  # 县卫健局 / 县教体局: 简称
    assert ds.item["YY02"].ratios["C"] == 0.1 and ds.item["YY02"].per_year["C"] == 2  # ≥10%;2次/年
    assert ds.item["YY03"].ratios["A"] == 0.05 and ds.item["YY03"].co_dept_ids == ()  # ５％, 参检单位 无
    assert ds.item["YY05"].ratios["A"] == 0.25  # ０．２５
    assert ds.item["YY04"].dept_id == "WJ" and ds.item["YY04"].method == "现场检查、书面检查"  # 卫生健康局
    assert ds.item["YY01"].basis == "《公共场所卫生管理条例》"


def test_yibin_commerce_plan_reads_counts_without_a_ratio():
    ds = load_dataset(PUBLISHED / "yibin_2023")
    assert ds.item["YB01"].dept_id == "SW" and ds.item["YB01"].co_dept_ids == ("SJ", "SWJ")
    assert ds.item["YB01"].ratios["A"] == 0.2 and ds.item["YB01"].sample_counts == {}  # 抽查户数 3 beside 20%
    assert ds.item["YB03"].sample_counts == dict.fromkeys("ABCD", 1)  # 抽查户数 1, no ratio
    assert ds.item["YB04"].co_dept_ids == ("SJ", "HB")  # 宜宾市生态环境局: the full name


@pytest.mark.parametrize("path", AS_PUBLISHED, ids=lambda p: p.stem)
def test_a_list_as_published_is_refused_saying_what_it_found_and_what_is_missing(path):
    raw, problems = read_csv_table(path.name, path.read_bytes())
    assert raw is not None and not problems
    table = parse_table(TABLE["items"], raw)
    summary, *missing = table.problems
    assert summary.row == 1 and "第 1 行是表头" in summary.message and "找不到列名" not in summary.message
    assert "「抽查事项」→ name（事项名称）" in summary.message
    assert "item_id（事项编号）" in summary.fix and "category_ids（适用行业）" in summary.fix
    assert "minutes（现场检查时长）" in summary.fix
    assert {p.column for p in missing} == {"item_id", "category_ids", "minutes"}


def test_an_unknown_header_row_names_the_closest_known_names(tmp_path):
    text = "序号,抽样事项,责任部门单位,抽样比例\n1,食品安全,市场监管局,5%\n"
    raw, _ = read_csv_table("items.csv", text.encode())
    table = parse_table(TABLE["items"], raw)
    message = " ".join(p.message for p in table.problems)
    assert "「抽样比例」最接近「抽查比例」" in message and "「抽样事项」最接近" in message


def test_validate_says_what_it_read(capsys):
    assert main(["validate", str(PUBLISHED / "changzhi_2024")]) == 0
    out = capsys.readouterr().out
    assert "按抽查事项" in out and "长治市邮政管理局、长治市公安局" in out and "3%;2次/年" in out
    assert "按行业（牵头部门带队检查）" in out and "配合事项数" in out and "对象框→抽取" in out
    assert "读取说明" in out and "按设计不读的列" in out


def test_a_plan_of_a_published_list_sends_the_joining_departments():
    ds = load_dataset(PUBLISHED / "changzhi_2024")
    run = run_plan(ds, time_limit_s=10)
    assert check_plan(run.dataset, run.plan, run.draw) == []
    tobacco = [v for v in run.plan.visits if "CZ01" in v.item_ids]
    assert tobacco
    for visit in tobacco:
        departments = {ds.inspector[p].dept_id for p in visit.inspector_ids}
        assert {"YC", "YZ", "GA"} <= departments and {"YC", "YZ", "GA"} <= set(visit.dept_ids)


def test_the_list_in_a_workbook_with_line_breaks_in_cells_reads_the_same(tmp_path):
    """Published workbooks break long headers and department lists over lines (Alt+Enter)."""
    folder = PUBLISHED / "changzhi_2024"
    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                sheet.append(row)
    items = book["items"]
    for cell in items[1]:
        if cell.value == "抽查比例及频次":
            cell.value = "抽查比例\n及频次"
    for row in items.iter_rows(min_row=2):
        for cell in row:
            if cell.value == "市邮政管理局、市公安局":
                cell.value = "市邮政管理局、\n市公安局"
    (tmp_path / "county").mkdir()
    book.save(tmp_path / "county" / "长治.xlsx")
    shutil.copy(folder / "settings.toml", tmp_path / "county")
    from_workbook, from_csv = load_dataset(tmp_path / "county"), load_dataset(folder)
    assert from_workbook.items == from_csv.items


def test_a_department_name_that_fits_several_or_none_is_refused_naming_them(tmp_path):
    from models.problems import DatasetError
    from tests.builders import set_cell, write_dataset

    def edit(tables):
        tables["departments"].append(["D4", "衢州市市场监督管理局"])
        set_cell(tables, "items", 2, "dept_id", "监督管理局")  # the end of two full names
        set_cell(tables, "categories", 2, "lead_dept_id", "综合执法大队")  # no department's name
    with pytest.raises(DatasetError) as info:
        load_dataset(write_dataset(tmp_path / "county", edit=edit))
    ambiguous, unknown = sorted(info.value.problems, key=lambda p: p.file, reverse=True)
    assert ambiguous.file == "items.csv" and "D1（市场监督管理局）" in ambiguous.message and "D4" in ambiguous.message
    assert unknown.file == "categories.csv" and "最接近的是「综合行政执法局」" in unknown.fix and "简称" in unknown.fix
