"""结果登记: the sheet of a department workbook where the department records what it found.

One row per (visit, item of the department), with drop-down lists of exactly the official labels and date
cells, so that the department fills in the workbook it received and sends it back to `results --add`. A
`填写说明` sheet holds the lists (the drop-downs point at it) and the rules the import checks. The workbook names
its department in a custom document property, so a row of another department's item is refused on import, and
the plan (its commitment), so a workbook of a plan since re-planned is told and its moved visits refused.
"""
from __future__ import annotations

from datetime import date
from itertools import zip_longest

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from models.records import CLOSING_RESULTS, DISPOSAL_LABELS, PENDING, RECTIFY, RESULT_LABELS, Result
from planner.export.context import ExportContext
from planner.export.formatting import period_label
from planner.export.sheets import (
    DATE_FORMAT,
    add_sheet,
    append_row,
    finish_sheet,
    table_sheet,
    write_banner,
    write_header,
)
from planner.plan.folder import LIST_SEP
from planner.quarter.results import DEPT_PROPERTY, PLAN_PROPERTY, RESULT_SHEET

GUIDE_SHEET = "填写说明"
SHOWN_HEADERS = ["检查编号", "计划日期", "企业名称", "统一社会信用代码", "事项编号", "检查事项"]
ENTRY_HEADERS = ["检查日期", "检查结果", "后续处置", "整改期限", "实际检查人员", "备注（问题描述，写入整改通知单）"]
ENTRY_WIDTHS = [12, 36, 22, 12, 18, 30]  # the drop-down labels are long; empty cells give no width to fit
ENTRY_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells a department fills in
FIRST_ROW = 3  # banner, header, then rows
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of a spreadsheet's date serials
GUIDE_LINES = [
    f"在「{RESULT_SHEET}」表中每行填写一个检查事项的结果：检查日期、检查结果、后续处置、整改期限、实际检查人员、备注。",
    "检查结果和后续处置请从下拉列表中选择，须与左侧列出的规定用语完全一致。",
    "检查日期不能早于计划日期，也不能晚于交回当天；日期请按 2026-10-12 的格式填写。",
    f"后续处置为“{RECTIFY}”时必须填写整改期限；检查结果为“{PENDING}”的也可填写；其他情况不填。",
    "实际检查人员填写人员编号（已按计划预填本部门人员），多人用英文分号 ; 分隔；有人员变动的请改正。",
    f"结果为「{'」「'.join(CLOSING_RESULTS)}」的，该次检查即告结束，其他部门不再上门。",
    "备注中的问题描述会写入给企业的整改通知单，不会公示。未检查的行请留空。",
    "请勿改动检查编号和事项编号，勿删除或重命名工作表。填好后把本工作簿交回协调员导入。",
]


def add_result_sheets(workbook: Workbook, context: ExportContext, dept_id: str) -> None:
    """结果登记 as the workbook's second sheet, 填写说明 as its last, and the department's property."""
    rows = result_rows(context, dept_id)
    title = f"{context.dept_name(dept_id)} {period_label(context.period)} 检查结果登记"
    ws = table_sheet(workbook, RESULT_SHEET, title, SHOWN_HEADERS + ENTRY_HEADERS, rows)
    workbook.move_sheet(ws, offset=1 - workbook.index(ws))
    guide = guide_sheet(workbook)
    prepare_entry_cells(ws, guide, len(rows), context)
    workbook.custom_doc_props.append(StringProperty(name=DEPT_PROPERTY, value=dept_id))
    if context.record.commitment:  # the plan it comes from: a workbook of a superseded plan is told on import
        workbook.custom_doc_props.append(StringProperty(name=PLAN_PROPERTY, value=context.record.commitment))


def result_rows(context: ExportContext, dept_id: str) -> list[list]:
    """One row per (visit, item of the department), with what is recorded, else the planned officers."""
    recorded = {(r.visit_id, r.item_id): r for r in context.plan.results}
    rows = []
    for visit in context.visits_by_dept.get(dept_id, []):
        officers = LIST_SEP.join(a.inspector_id for a in context.assignments_by_visit.get(visit.visit_id, ())
                                 if a.dept_id == dept_id)
        for item_id in visit.item_ids:
            if context.item_dept_id(item_id) == dept_id:
                shown = [visit.visit_id, visit.date, context.business_name(visit.credit_code, visit.business_name),
                         visit.credit_code, item_id, context.item_name(item_id)]
                rows.append(shown + entry_cells(recorded.get((visit.visit_id, item_id)), officers))
    return rows


def entry_cells(result: Result | None, officers: str) -> list:
    if result is None:
        return [None, None, None, None, officers, None]
    return [result.checked_on, result.result, result.disposal or None, result.rectify_by,
            LIST_SEP.join(result.inspector_ids), result.note or None]


def guide_sheet(workbook: Workbook) -> Worksheet:
    """The label lists the drop-downs read (columns A and B from row 3) beside the filling rules."""
    ws = add_sheet(workbook, GUIDE_SHEET)
    write_banner(ws, "检查结果登记 填写说明")
    write_header(ws, ["检查结果（可选）", "后续处置（可选）", "说明"])
    for result, disposal, line in zip_longest(RESULT_LABELS, DISPOSAL_LABELS, GUIDE_LINES):
        append_row(ws, [result, disposal, line])
    finish_sheet(ws, title_rows=2)
    return ws


def prepare_entry_cells(ws: Worksheet, guide: Worksheet, count: int, context: ExportContext) -> None:
    """Drop-downs on the label columns, date checks and formats on the date columns, a fill on every entry cell."""
    first_entry = len(SHOWN_HEADERS) + 1
    for offset, width in enumerate(ENTRY_WIDTHS):
        ws.column_dimensions[get_column_letter(first_entry + offset)].width = width
    if count == 0:
        return
    last = FIRST_ROW + count - 1

    def column(header: str) -> str:
        letter = get_column_letter(first_entry + ENTRY_HEADERS.index(header))
        return f"{letter}{FIRST_ROW}:{letter}{last}"

    lists = {"检查结果": len(RESULT_LABELS), "后续处置": len(DISPOSAL_LABELS)}
    for n, (header, size) in enumerate(lists.items()):
        source = f"'{guide.title}'!${get_column_letter(n + 1)}${FIRST_ROW}:${get_column_letter(n + 1)}${FIRST_ROW + size - 1}"
        add_validation(ws, column(header), DataValidation(
            type="list", formula1=source, allow_blank=True, showErrorMessage=True, errorTitle=f"{header}不在列表中",
            error=f"请从下拉列表中选择规定的{header}（见「{GUIDE_SHEET}」表）"))
    start = context.period.start
    for header in ("检查日期", "整改期限"):
        add_validation(ws, column(header), DataValidation(
            type="date", operator="greaterThanOrEqual", formula1=str((start - EXCEL_EPOCH).days), allow_blank=True,
            showErrorMessage=True, errorTitle="日期无效", error=f"请填写 {start.isoformat()} 或以后的日期，格式如 2026-10-12"))
    for row in ws.iter_rows(min_row=FIRST_ROW, max_row=last, min_col=first_entry, max_col=ws.max_column):
        for cell in row:
            cell.fill = ENTRY_FILL
            if ENTRY_HEADERS[cell.column - first_entry] in ("检查日期", "整改期限"):
                cell.number_format = DATE_FORMAT


def add_validation(ws: Worksheet, cells: str, validation: DataValidation) -> None:
    validation.add(cells)
    ws.add_data_validation(validation)

