"""A department's workbook as the export writes it, and filled in as the department does (tests/quarter)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from planner.export import export_plan
from tests.export.test_export import tiny_dataset, write_plan

TODAY = date(2026, 11, 10)
NOW = datetime(2026, 11, 10, 9, 30)
D1_BOOK = "D1_市场监管局.xlsx"
SHEET = "结果登记"


@pytest.fixture(scope="module")
def received(tmp_path_factory) -> Path:
    """市场监管局's workbook as the export wrote it (its rows: V1/I1, V2/I4, V3/I1)."""
    root = tmp_path_factory.mktemp("received")
    export_plan(write_plan(root / "plan"), tiny_dataset(), root / "out", ["xlsx"], today=TODAY)
    return root / "out" / "部门" / D1_BOOK


def fill(received: Path, out: Path, rows: dict[int, dict]) -> Path:
    """The workbook filled in as a department does it: cells under their headers, dates as real dates."""
    book = openpyxl.load_workbook(received)
    ws = book[SHEET]
    column = {cell.value: cell.column for cell in ws[2]}
    for row, values in rows.items():
        for header, value in values.items():
            ws.cell(row, column[header], value)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


FILLED = {
    3: {"检查日期": date(2026, 10, 9), "检查结果": "未发现问题", "后续处置": "无需处置"},
    5: {"检查日期": date(2026, 11, 4), "检查结果": "发现问题已责令改正", "后续处置": "责令改正",
        "整改期限": date(2026, 12, 4), "实际检查人员": "P2;P1", "备注（问题描述，写入整改通知单）": "冷藏温度记录缺失"},
}


def filled(received: Path, tmp_path: Path, changes: dict[int, dict] | None = None) -> Path:
    rows = {n: dict(values) for n, values in FILLED.items()}
    for n, values in (changes or {}).items():
        rows.setdefault(n, {}).update(values)
    return fill(received, tmp_path / "back" / D1_BOOK, rows)


