"""Exports of a plan for the people who carry it out (see docs/exports.md)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from planner.export.calendars import FOLDER as CALENDAR_FOLDER
from planner.export.calendars import calendar_file_name, inspector_calendar, write_calendars
from planner.export.codes import write_codes_csv, write_public_chain
from planner.export.context import ExportContext
from planner.export.coordinator_workbook import write_coordinator_workbook
from planner.export.department_workbook import FOLDER as DEPARTMENT_FOLDER
from planner.export.department_workbook import department_file_name, department_workbook, write_department_workbooks
from planner.export.notice import FOLDER as NOTICE_FOLDER
from planner.export.notice import write_notice_csv, write_notice_html
from planner.export.notice_pdf import write_notice_pdf
from planner.export.publicity import CSV_NAME as PUBLICITY_CSV
from planner.export.publicity import CSV_PATH as PUBLICITY_PATH
from planner.export.publicity import publicity_csv, write_publicity_csv, write_publicity_html
from planner.export.quarter_pdf import write_publicity_pdf, write_rectification_pdf
from planner.export.rectification import write_rectification_html
from planner.export.sheets import workbook_bytes
from planner.export.verifier_page import write_verifier_page
from planner.export.visit_files import write_visit_documents
from planner.output import atomic_folder, check_output, holding_folder
from planner.plan.commitment import sha256_hex
from planner.quarter.publication import Due, mark_published

WRITERS = {
    "xlsx": (write_department_workbooks, write_coordinator_workbook),
    "ics": (write_calendars,),
    "notice": (write_notice_csv, write_notice_html, write_publicity_csv, write_publicity_html,
               write_rectification_html),
    "pdf": (write_notice_pdf, write_publicity_pdf, write_rectification_pdf),
    # per visit: 检查通知书 with its 检查码, 现场检查记录 (一表通查), the codes' list, the public chain, 检查码核验.html
    "visit": (write_codes_csv, write_public_chain, write_verifier_page, write_visit_documents),
}
FORMATS = tuple(WRITERS)  # in the order files are written


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in (text or "").split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UserError(f"--format 只能是 {','.join(FORMATS)} 的组合，收到：{text!r}")
    return [f for f in FORMATS if f in formats]  # fixed order, duplicates dropped


def export_plan(plan_dir, dataset: Dataset, out, formats=FORMATS, protected=(), today: date | None = None) -> list[Path]:
    """Write the chosen exports of the plan in `plan_dir` into `out`, replaced whole and atomically.

    Returns the files written, relative to `out`. `out` may hold neither the plan nor the `protected` folders
    (the dataset); an existing `out` is replaced only when it is an export this tool wrote (planner.output).
    `today` (default: the real date) dates the 抽查结果公示 and decides which results on it are overdue.
    """
    plan_dir = Path(plan_dir)
    inputs = [plan_dir, *protected]
    check_output(out, inputs, kind="export")
    context = ExportContext.load(plan_dir, dataset, today)
    written: list[Path] = []
    with atomic_folder(out, kind="export", inputs=inputs) as tmp:
        for fmt in formats:
            for writer in WRITERS[fmt]:
                written += [path.relative_to(tmp) for path in writer(context, tmp)]
    return written


def record_publication(plan_dir, dataset: Dataset, out, today: date, *, user: str, now: datetime) -> list[Due]:
    """After an export into `out`: record in the plan that the results on its 抽查结果公示 were published today
    (published_on, a results_log line, a commitment link). Returns the results newly recorded."""
    listed = Path(out) / NOTICE_FOLDER / PUBLICITY_CSV
    if not listed.is_file():
        return []
    with holding_folder(plan_dir):  # the plan read again under its lock: a results import meanwhile is seen
        context = ExportContext.load(Path(plan_dir), dataset, today)
        data = listed.read_bytes()
        if data != publicity_csv(context):
            raise UserError(f"{listed} 与方案 {plan_dir} 在 {today.isoformat()} 应公示的结果不一致（方案可能在导出后"
                            f"又导入了结果），未记录公示；请用同一方案和日期重新导出")
        new = [d for d in context.publication if d.result.published_on is None]
        mark_published(plan_dir, context.plan, context.publication, today, source=PUBLICITY_PATH,
                       digest=sha256_hex(data), user=user, now=now)
    return new


def department_files(plan_dir, dataset: Dataset, dept_id: str, today: date | None = None) -> dict[str, bytes]:
    """What one department receives, and nothing of other departments: its workbook (with the 结果登记 sheet) and
    the calendars of its own inspectors, by path inside an export folder (部门/…xlsx, 日历/…ics)."""
    context = ExportContext.load(Path(plan_dir), dataset, today)
    book = department_workbook(context, dept_id)
    files = {f"{DEPARTMENT_FOLDER}/{department_file_name(context, dept_id)}": workbook_bytes(book, context.timestamp)}
    for inspector_id in sorted({a.inspector_id for a in context.assignments_by_dept.get(dept_id, ())}):
        files[f"{CALENDAR_FOLDER}/{calendar_file_name(context, inspector_id)}"] = \
            inspector_calendar(context, inspector_id).to_ical()
    return files
