"""Worksheet building blocks for the workbooks: marked, printable tables and a byte-stable save.

openpyxl rather than xlsxwriter: it is already a project dependency (the loader reads .xlsx datasets with it),
the tests read the exports back with it, and one library for both directions keeps the install small.
"""
from __future__ import annotations

import io
import math
import zipfile
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from planner.export.formatting import CONFIDENTIAL, FORMULA_STARTS, display_width, sheet_title

DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 30  # wider text wraps, so that a landscape page prints at a readable scale
LINE_HEIGHT = 15  # points per line of 11-point text
BANNER_FONT = Font(bold=True, color="C00000", size=12)
HEADER_FONT = Font(bold=True)
BLOCK_FONT = Font(bold=True, size=11)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")  # short cells line up with the first line of wrapped neighbours
CENTER = Alignment(vertical="center")


def new_workbook(title: str) -> Workbook:
    """An empty workbook with the program as author; workbook_bytes fixes its timestamps."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    props = workbook.properties
    props.creator = props.lastModifiedBy = "inspection-planner"
    props.title = title
    return workbook


def add_sheet(workbook: Workbook, title: str) -> Worksheet:
    taken = {ws.title.lower() for ws in workbook.worksheets}
    return workbook.create_sheet(sheet_title(title, taken))


def table_sheet(workbook: Workbook, title: str, banner: str, headers: list[str], rows) -> Worksheet:
    """A sheet with the confidential banner in row 1, headers in row 2 and one row per record below."""
    ws = add_sheet(workbook, title)
    write_banner(ws, banner)
    write_header(ws, headers)
    for row in rows:
        append_row(ws, row)
    if ws.max_row > 2:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{ws.max_row}"
    finish_sheet(ws, title_rows=2)
    return ws


def write_banner(ws: Worksheet, text: str) -> None:
    append_row(ws, [f"【{CONFIDENTIAL}】{text}"])
    ws.cell(ws.max_row, 1).font = BANNER_FONT


def write_block_title(ws: Worksheet, text: str) -> None:
    append_row(ws, [text])
    ws.cell(ws.max_row, 1).font = BLOCK_FONT


def write_header(ws: Worksheet, headers: list[str]) -> None:
    append_row(ws, headers)
    for cell in ws[ws.max_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = CENTER


def append_row(ws: Worksheet, values) -> None:
    """The one way a row enters a sheet. Text is always text: a name starting with = (or +, -, @) is never run
    as a formula. Styled later in one pass (format_cells): per-row lookups rescan the sheet."""
    values = list(values)
    ws.append(values)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            ws.cell(ws.max_row, column).data_type = "s"  # openpyxl takes "=…" for a formula


def finish_sheet(ws: Worksheet, title_rows: int) -> None:
    """Freeze and repeat the title rows, fit column widths, print landscape on A4 with the marking."""
    ws.freeze_panes = ws.cell(title_rows + 1, 1)
    ws.print_title_rows = f"1:{title_rows}"
    format_cells(ws, skip_rows=1)
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.oddHeader.center.text = CONFIDENTIAL
    ws.oddHeader.center.size = 10
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def format_cells(ws: Worksheet, skip_rows: int) -> None:
    """Date formats, widths from the longest cell (CJK counts double), longer text wrapped in tall rows.

    Row heights are set here because neither Excel nor LibreOffice grows a row for wrapped text on opening.
    """
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            if cell.value is not None:
                widths[cell.column] = max(widths.get(cell.column, 0), _cell_width(cell.value))
    wrapped = {column for column, width in widths.items() if width + 2 > MAX_WIDTH}
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
    for row in ws.iter_rows(min_row=skip_rows + 1):
        lines = 1
        for cell in row:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = DATE_FORMAT
            if cell.column in wrapped and cell.value is not None:
                cell.alignment = WRAP
                lines = max(lines, math.ceil(_cell_width(cell.value) / (MAX_WIDTH - 2)))
            elif cell.alignment.vertical is None:
                cell.alignment = TOP
        if lines > 1:
            ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def _cell_width(value) -> int:
    if isinstance(value, (date, datetime)):
        return len(DATE_FORMAT)
    if isinstance(value, float):
        return len(f"{value:.4g}")
    return display_width(str(value))


def workbook_bytes(workbook: Workbook, stamp: datetime) -> bytes:
    """The .xlsx file with every timestamp `stamp`: openpyxl's save stamps 'modified' and each zip entry with the clock.

    openpyxl writes into a stored (uncompressed) zip that is then copied entry by entry with fixed times and
    compressed once.
    """
    workbook.properties.created = workbook.properties.modified = stamp.replace(tzinfo=None)
    draft, fixed_zip = io.BytesIO(), io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(draft, "w", zipfile.ZIP_STORED)).save()  # skips the clock stamp
    zip_time = (max(stamp.year, 1980),) + stamp.timetuple()[1:6]
    with zipfile.ZipFile(draft) as source, zipfile.ZipFile(fixed_zip, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=zip_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return fixed_zip.getvalue()
