"""年度抽查计划 公示: the annual plan's public notice (CSV, HTML, PDF) — per item and credit class the frame, the
yearly sample and its split over the quarters, the departments joining, and the year's public seed.

Which business falls in which quarter is not printed (annual_frames.csv stays confidential until the visits);
anyone can still re-derive every quarter's share from the seed and the published frames (docs/draw.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from models.dataset import Dataset
from planner.draw.year import YEAR_METHOD, AnnualPlan, AnnualStratum
from planner.export.formatting import export_csv_bytes
from planner.export.html_page import html_page, html_paragraph, html_table
from planner.export.notice_pdf import heading, new_pdf, paragraph, table

FOLDER = "公示"
STEM = "年度抽查计划公示"
HEADERS = ["事项编号", "抽查事项", "实施部门", "配合部门", "信用风险等级", "抽查比例", "每年次数", "对象框（家）",
           "全年抽取（家次）", "第一季度", "第二季度", "第三季度", "第四季度"]


@dataclass(frozen=True)
class Stamp:
    """The one time written into the PDF: 1 January of the plan's year (same plan, same bytes)."""
    timestamp: datetime


def notice_title(plan: AnnualPlan) -> str:
    return f"{plan.year}年度双随机抽查计划"


def notice_rows(plan: AnnualPlan, dataset: Dataset) -> list[list[str]]:
    """One row per stratum with a yearly sample: names as the dataset gives them."""
    def dept(d: str) -> str:
        return dataset.department[d].name if d in dataset.department else d

    def item(s: AnnualStratum) -> str:
        return dataset.item[s.item_id].name if s.item_id in dataset.item else s.item_id
    return [[s.item_id, item(s), dept(s.dept_id), "、".join(dept(d) for d in s.co_dept_ids) or "—", s.risk_level,
             f"{round(s.ratio * 100, 6):g}%", str(s.per_year),
             str(s.frame_size), str(s.yearly_size), *(str(n) for n in s.split)]
            for s in plan.strata if s.yearly_size]


def summary_lines(plan: AnnualPlan, annual_sha256: str) -> list[str]:
    strata = [s for s in plan.strata if s.yearly_size]
    return [f"{plan.year} 年共 {len({s.item_id for s in strata})} 个抽查事项、{len(strata)} 个（事项×信用风险等级）抽取层，"
            f"全年抽取 {sum(s.yearly_size for s in strata)} 家次，按季度尽量平均分配；同一事项各季度抽取的对象互不重复"
            "（每年次数大于 1 的等级除外）。",
            f"年度公开随机种子：{plan.seed}（方法 {YEAR_METHOD}，复核方法见 docs/draw.md 年度抽查计划一节）。",
            f"年度抽查计划文件摘要（SHA-256）：{annual_sha256}。"]


def annual_notice_files(plan: AnnualPlan, dataset: Dataset, annual_sha256: str) -> dict[str, bytes]:
    """公示/年度抽查计划公示.csv, .html and .pdf."""
    rows = notice_rows(plan, dataset)
    lines = summary_lines(plan, annual_sha256)
    title = notice_title(plan)
    frames = [[s.item_id, s.risk_level, str(s.frame_size), s.sha256] for s in plan.strata if s.frame_size]
    body = "".join(html_paragraph(line) for line in lines) + html_table(HEADERS, rows)
    body += "<h2>对象框指纹</h2>\n" + html_table(["事项编号", "信用风险等级", "对象框（家）", "SHA-256"], frames, (3,))
    pdf = new_pdf(Stamp(datetime(plan.year, 1, 1, tzinfo=UTC)), title, orientation="landscape")
    for line in lines:
        paragraph(pdf, line)
    heading(pdf, "抽查事项与全年抽取")
    table(pdf, HEADERS, (1, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1), rows, size=8)
    heading(pdf, "对象框指纹（SHA-256）", size=10)
    table(pdf, ["事项编号", "信用风险等级", "对象框（家）", "SHA-256"], (1, 1, 1, 6), frames, size=7)
    return {f"{FOLDER}/{STEM}.csv": export_csv_bytes(HEADERS, rows),
            f"{FOLDER}/{STEM}.html": html_page(title, body).encode("utf-8"),
            f"{FOLDER}/{STEM}.pdf": bytes(pdf.output())}
