"""The quarter's printable PDFs: the 抽查结果公示 and one 整改通知单 per business, in the notice's PDF style."""
from __future__ import annotations

from pathlib import Path

from planner.export.context import ExportContext
from planner.export.formatting import write_files
from planner.export.notice import FOLDER as PUBLIC_FOLDER
from planner.export.notice_pdf import new_pdf, paragraph, table
from planner.export.publicity import HEADERS, PDF_NAME, publicity_intro, publicity_rows, publicity_title
from planner.export.rectification import FOLDER as RECTIFICATION_FOLDER
from planner.export.rectification import HEADERS as RECTIFICATION_HEADERS
from planner.export.rectification import TITLE, notice_lines, notices


def write_publicity_pdf(context: ExportContext, out: Path) -> list[Path]:
    if not context.publication:
        return []
    pdf = new_pdf(context, publicity_title(context), "landscape")
    paragraph(pdf, publicity_intro(context))
    table(pdf, ["序号", *HEADERS], (0.6, 3, 2.4, 2.4, 1.2, 1.4, 2.6, 2),
          [[str(n), *row] for n, row in enumerate(publicity_rows(context), start=1)])
    return write_files(out / PUBLIC_FOLDER, [(PDF_NAME, bytes(pdf.output()))])


def write_rectification_pdf(context: ExportContext, out: Path) -> list[Path]:
    files = []
    for notice in notices(context):
        before, rows, after = notice_lines(context, notice)
        pdf = new_pdf(context, TITLE)
        for line in before:
            paragraph(pdf, line)
        table(pdf, RECTIFICATION_HEADERS, (0.5, 1.6, 1.8, 1.4, 1.8, 2.6, 1.4), rows)
        for line in after:
            paragraph(pdf, line)
        files.append((f"{notice.file_stem}.pdf", bytes(pdf.output())))
    return write_files(out / RECTIFICATION_FOLDER, files) if files else []
