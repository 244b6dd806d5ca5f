"""Per-department workbook: the department's visits by date, one sheet per inspector, a summary, and the
结果登记 sheet the department fills in and sends back (results_sheet).

A department sees its own visits and the joint visits it joins (with the whole joint team, since its
officers go with them), and nothing of other departments' own work.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache, partial
from pathlib import Path

from planner.export.context import ExportContext
from planner.export.formatting import period_label, safe_file_name, write_files
from planner.export.results_sheet import add_result_sheets
from planner.export.sheets import (
    add_sheet,
    append_row,
    finish_sheet,
    new_workbook,
    table_sheet,
    workbook_bytes,
    write_banner,
    write_block_title,
    write_header,
)
from planner.plan.model import Visit

FOLDER = "部门"
VISIT_HEADERS = ["日期", "片区", "乡镇", "企业名称", "统一社会信用代码", "地址", "坐标", "检查事项", "牵头部门",
                 "检查组", "时长(分钟)", "检查编号"]
SCHEDULE_SHEET = "检查安排"
SUMMARY_SHEET = "汇总"


def visit_row(context: ExportContext, visit: Visit) -> list:
    return [visit.date, context.zone_name(visit.zone_id), context.town_name(visit.town_id),
            context.business_name(visit.credit_code, visit.business_name), visit.credit_code,
            context.business_address(visit.credit_code), context.business_coordinates(visit.credit_code),
            context.items_text(visit.item_ids), context.dept_name(visit.lead_dept_id), context.team_text(visit),
            visit.minutes, visit.visit_id]


def department_file_name(context: ExportContext, dept_id: str) -> str:
    return safe_file_name(f"{dept_id}_{context.dept_name(dept_id)}") + ".xlsx"


def write_department_workbooks(context: ExportContext, out: Path) -> list[Path]:
    return write_files(out / FOLDER, ((department_file_name(context, dept_id),
                                       workbook_bytes(department_workbook(context, dept_id), context.timestamp))
                                      for dept_id in context.dept_ids_in_plan()))


def department_workbook(context: ExportContext, dept_id: str):
    dept_name = context.dept_name(dept_id)
    title = f"{dept_name} {period_label(context.period)} 检查安排"
    workbook = new_workbook(title)
    visits = context.visits_by_dept.get(dept_id, [])
    row = cache(partial(visit_row, context))  # a visit's row shows again in each of its inspectors' sheets
    per_person = inspector_visits(context, dept_id, visits)
    table_sheet(workbook, SCHEDULE_SHEET, title, VISIT_HEADERS, map(row, visits))
    summary_sheet(workbook, context, dept_id, visits, per_person)
    for inspector_id, visit_list in per_person.items():
        name = context.inspector_name(inspector_id)
        banner = f"{dept_name} {name}（{inspector_id}）{period_label(context.period)} 检查安排"
        table_sheet(workbook, f"{name} {inspector_id}", banner, VISIT_HEADERS, map(row, visit_list))
    add_result_sheets(workbook, context, dept_id)
    return workbook


def inspector_visits(context: ExportContext, dept_id: str, visits: list[Visit]) -> dict[str, list[Visit]]:
    """The department's inspectors with at least one of `visits`, each with their visits by date."""
    visit_ids = {v.visit_id for v in visits}
    out: dict[str, list[Visit]] = defaultdict(list)
    for a in context.assignments_by_dept.get(dept_id, ()):  # in inspector-id order
        if a.visit_id in visit_ids:
            out[a.inspector_id].append(context.visit[a.visit_id])
    return {inspector_id: sorted(mine, key=lambda v: (v.date, v.visit_id)) for inspector_id, mine in out.items()}


def summary_sheet(workbook, context: ExportContext, dept_id: str, visits: list[Visit],
                  per_person: dict[str, list[Visit]]) -> None:
    """Visits and minutes per inspector, per 片区 and per month, stacked in one sheet."""
    ws = add_sheet(workbook, SUMMARY_SHEET)
    write_banner(ws, f"{context.dept_name(dept_id)} {period_label(context.period)} 汇总")
    blocks = [("按人员", ["人员编号", "姓名", "所属片区", "持执法证", "检查次数", "现场时长(分钟)"],
               inspector_summary(context, dept_id, per_person)),
              ("按片区", ["片区", "检查次数", "现场时长(分钟)", "本部门人次"],
               grouped_summary(context, dept_id, visits, lambda v: v.zone_id, context.zone_name)),
              ("按月份", ["月份", "检查次数", "现场时长(分钟)", "本部门人次"],
               grouped_summary(context, dept_id, visits, lambda v: f"{v.date.year}-{v.date.month:02d}"))]
    for title, headers, rows in blocks:
        ws.append([])
        write_block_title(ws, title)
        write_header(ws, headers)
        for row in rows:
            append_row(ws, row)
    finish_sheet(ws, title_rows=1)


def inspector_summary(context: ExportContext, dept_id: str, per_person: dict[str, list[Visit]]) -> list[list]:
    """Every inspector of the department, those without a visit included (they matter for balance)."""
    people = [p.inspector_id for p in context.dataset.inspectors_by_dept.get(dept_id, [])]
    people += sorted(set(per_person) - set(people))
    rows = []
    for inspector_id in people:
        person = context.dataset.inspector.get(inspector_id)
        own = per_person.get(inspector_id, [])
        rows.append([inspector_id, context.inspector_name(inspector_id),
                     context.zone_name(person.zone_id) if person else "",
                     ("是" if person.certified else "否") if person else "",
                     len(own), sum(v.minutes for v in own)])
    rows.append(["合计", "", "", "", sum(r[4] for r in rows), sum(r[5] for r in rows)])
    return rows


def grouped_summary(context: ExportContext, dept_id: str, visits: list[Visit], key, label=str) -> list[list]:
    """Visits, on-site minutes and the department's person-visits per group (sorted by key, shown by label)."""
    count, minutes, people = Counter(), Counter(), defaultdict(int)
    for visit in visits:
        group = key(visit)
        count[group] += 1
        minutes[group] += visit.minutes
        people[group] += sum(1 for a in context.assignments_by_visit.get(visit.visit_id, ()) if a.dept_id == dept_id)
    rows = [[label(group), count[group], minutes[group], people[group]] for group in sorted(count)]
    rows.append(["合计", sum(count.values()), sum(minutes.values()), sum(people.values())])
    return rows
