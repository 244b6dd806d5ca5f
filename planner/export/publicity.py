"""抽查结果公示: the results not yet published, for the enterprise credit publicity system (一公开).

CSV (UTF-8 with BOM, one row per result) to import into the system, HTML to read and print; the PDF is in
quarter_pdf.py. Public: business, credit code, item, kind of check, check date, result and the implementing
body — no inspector, no note, no deadline. Overdue results come first (planner.quarter.publication).
"""
from __future__ import annotations

from pathlib import Path

from planner.export.context import ExportContext
from planner.export.formatting import export_csv_bytes, period_label, write_files
from planner.export.html_page import html_page, html_paragraph, html_table
from planner.export.notice import FOLDER
from planner.quarter.publication import KIND_WORDS

STEM = "抽查结果公示"
CSV_NAME, HTML_NAME, PDF_NAME = f"{STEM}.csv", f"{STEM}.html", f"{STEM}.pdf"
CSV_PATH = f"{FOLDER}/{CSV_NAME}"  # as the results log names the list
HEADERS = ["企业名称", "统一社会信用代码", "抽查事项", "检查类型", "检查日期", "检查结果", "实施机关"]


def publicity_title(context: ExportContext) -> str:
    return f"{period_label(context.period)} 抽查检查结果公示"


def publicity_intro(context: ExportContext) -> str:
    return (f"公示日期：{context.today.isoformat()}。以下 {len(context.publication)} 条检查结果依照“双随机、一公开”"
            f"的要求向社会公示。")


def publicity_rows(context: ExportContext) -> list[list[str]]:
    return [[context.business_name(d.visit.credit_code, d.visit.business_name), d.visit.credit_code,
             context.item_name(d.result.item_id), KIND_WORDS.get(d.visit.kind, d.visit.kind),
             d.result.checked_on.isoformat(), d.result.result, context.dept_name(context.item_dept_id(d.result.item_id))]
            for d in context.publication]


def publicity_csv(context: ExportContext) -> bytes:
    return export_csv_bytes(HEADERS, publicity_rows(context))


def write_publicity_csv(context: ExportContext, out: Path) -> list[Path]:
    if not context.publication:
        return []
    return write_files(out / FOLDER, [(CSV_NAME, publicity_csv(context))])


def write_publicity_html(context: ExportContext, out: Path) -> list[Path]:
    if not context.publication:
        return []
    body = html_paragraph(publicity_intro(context)) + html_table(["序号", *HEADERS], [
        [str(n), *row] for n, row in enumerate(publicity_rows(context), start=1)], code_columns=(2,))
    return write_files(out / FOLDER, [(HTML_NAME, html_page(publicity_title(context), body).encode("utf-8"))])
