"""整改通知单 (集成改一次): one page per business with problems to fix — every department's problems and deadlines
together, and the joint re-check's date once it is planned. It shows that business only, nothing of another.
HTML here; the PDF is in quarter_pdf.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.export.context import ExportContext
from planner.export.formatting import LIST_JOIN, period_label, safe_file_name, write_files
from planner.export.html_page import html_page, html_paragraph, html_table
from planner.quarter.rechecks import Finding, open_rectifications, planned_recheck

FOLDER = "整改通知"
TITLE = "整改通知单"
HEADERS = ["序号", "实施部门", "检查事项", "检查日期", "检查结果", "问题描述", "整改期限"]


@dataclass(frozen=True, slots=True)
class Notice:
    credit_code: str
    name: str
    address: str
    findings: list[Finding]
    recheck_on: date | None

    @property
    def file_stem(self) -> str:
        return safe_file_name(f"{self.credit_code}_{self.name}")


def notices(context: ExportContext) -> list[Notice]:
    out = []
    for code, findings in open_rectifications(context.plan).items():
        last_check = max(f.result.checked_on for f in findings)
        recheck = planned_recheck(context.plan, code, last_check)
        out.append(Notice(code, context.business_name(code, findings[0].visit.business_name),
                          context.business_address(code), findings, recheck.date if recheck else None))
    return out


def notice_lines(context: ExportContext, notice: Notice) -> tuple[list[str], list[list[str]], list[str]]:
    """The text before the table, the table's rows, and the text after it."""
    days = LIST_JOIN.join(sorted({f.result.checked_on.isoformat() for f in notice.findings}))
    depts = LIST_JOIN.join(dict.fromkeys(context.dept_name(context.item_dept_id(f.result.item_id))
                                         for f in notice.findings))
    before = [f"{notice.name}（统一社会信用代码 {notice.credit_code}）："]
    if notice.address:
        before.append(f"地址：{notice.address}")
    before.append(f"{days}，{depts}对你单位进行了检查，发现下列问题。请在各项整改期限前完成整改。")
    rows = [[str(n), context.dept_name(context.item_dept_id(f.result.item_id)), context.item_name(f.result.item_id),
             f.result.checked_on.isoformat(), f.result.result, f.result.note,
             f.result.rectify_by.isoformat() if f.result.rectify_by else ""]
            for n, f in enumerate(notice.findings, start=1)]
    if notice.recheck_on:
        recheck = f"复查安排：{notice.recheck_on.isoformat()}，相关部门将一次联合复查上述全部问题（集成改一次）。"
    else:
        recheck = "复查安排：整改期限届满后，相关部门将一次联合复查上述全部问题（集成改一次），复查日期另行通知。"
    after = [recheck, f"{period_label(context.period)} · 通知日期 {context.today.isoformat()}"]
    return before, rows, after


def write_rectification_html(context: ExportContext, out: Path) -> list[Path]:
    files = []
    for notice in notices(context):
        before, rows, after = notice_lines(context, notice)
        body = "".join(map(html_paragraph, before)) + html_table(HEADERS, rows) + "".join(map(html_paragraph, after))
        files.append((f"{notice.file_stem}.html", html_page(TITLE, body).encode("utf-8")))
    return write_files(out / FOLDER, files) if files else []
