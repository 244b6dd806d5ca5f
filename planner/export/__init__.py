"""Exports of a plan for the people who carry it out (see docs/exports.md)."""
from __future__ import annotations

from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from planner.export.calendars import write_calendars
from planner.export.context import ExportContext
from planner.export.coordinator_workbook import write_coordinator_workbook
from planner.export.department_workbook import write_department_workbooks
from planner.export.notice import write_notice_csv, write_notice_html
from planner.export.notice_pdf import write_notice_pdf
from planner.output import atomic_folder, check_output

WRITERS = {
    "xlsx": (write_department_workbooks, write_coordinator_workbook),
    "ics": (write_calendars,),
    "notice": (write_notice_csv, write_notice_html),
    "pdf": (write_notice_pdf,),
}
FORMATS = tuple(WRITERS)  # in the order files are written


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in (text or "").split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UserError(f"--format 只能是 {','.join(FORMATS)} 的组合，收到：{text!r}")
    return [f for f in FORMATS if f in formats]  # fixed order, duplicates dropped


def export_plan(plan_dir, dataset: Dataset, out, formats=FORMATS, protected=()) -> list[Path]:
    """Write the chosen exports of the plan in `plan_dir` into `out`, replaced whole and atomically.

    Returns the files written, relative to `out`. `out` may hold neither the plan nor the `protected` folders
    (the dataset); an existing `out` is replaced only when it is an export this tool wrote (planner.output).
    """
    plan_dir = Path(plan_dir)
    inputs = [plan_dir, *protected]
    check_output(out, inputs, kind="export")
    context = ExportContext.load(plan_dir, dataset)
    written: list[Path] = []
    with atomic_folder(out, kind="export", inputs=inputs) as tmp:
        for fmt in formats:
            for writer in WRITERS[fmt]:
                written += [path.relative_to(tmp) for path in writer(context, tmp)]
    return written
