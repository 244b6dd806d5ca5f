"""The coordinator's workbook: the whole plan, the draw, what could not be scheduled and why, the balance."""
from __future__ import annotations

from pathlib import Path

from planner.export.context import ExportContext
from planner.export.department_workbook import VISIT_HEADERS, visit_row
from planner.export.formatting import LIST_JOIN, period_label, write_files
from planner.export.sheets import new_workbook, table_sheet, workbook_bytes
from planner.plan.record import LEVEL_WORDS, STAGE_WORDS
from planner.whatif.describe import SETTING_WORDS, setting_name

FILE_NAME = "协调员总表.xlsx"

# Chinese headers for the balance metrics the scheduler records; other keys are shown as they are.
BALANCE_HEADERS = {
    "dept_id": "部门编号", "zone_id": "片区编号", "inspectors": "人数", "min_visits": "最少检查次数",
    "max_visits": "最多检查次数", "spread": "极差", "cv": "变异系数", "min_minutes": "最少分钟",
    "max_minutes": "最多分钟", "minutes_spread": "分钟极差",
}
BALANCE_HEADERS |= {"fair_spread": "相对公平份额的偏差（次）"}
# The plan's figures (record.json → metrics) in words; a nested figure (per 片区) goes to its own sheet.
METRIC_WORDS = {
    "visits": "检查次数", "unscheduled": "未排程的企业", "assignments": "人员安排（人次）",
    "max_spread": "同一部门同一片区人员检查次数的最大差", "max_fair_spread": "相对公平份额的最大偏差（次）",
    "cells_spread_over_1": "检查次数差超过 1 次的部门片区数", "mean_cv": "人员负荷的平均变异系数",
    "towns_per_inspector_day": "每人每日乡镇数", "inspector_days_multi_town": "一天去多个乡镇的人日数",
    "cross_zone_loans": "跨片区借调（人次）", "zone_ratio_max": "最忙÷最闲片区人均负荷（最不均的部门）",
    "zone_load_cv": "片区负荷的变异系数", "joint_share": "多部门联合检查占比",
}
# record.json → parameters beyond the settings what-ifs may change (planner.whatif.describe names those)
PARAMETER_WORDS = {"today": "排程时的今天", "first_unlocked_day": "第一个可安排的工作日",
                   "publish_within_days": "结果公示期限（工作日）", "joint_rate_target": "联合检查率目标",
                   "coordinated": "协调抽取（各部门共用随机数）", "method": "随机数算法",
                   "sample_size_rule": "抽取数量的取整"}
VALUE_WORDS = {"sample_size_rule": {"ceil": "向上取整", "floor": "向下取整", "round": "四舍五入"}}



def write_coordinator_workbook(context: ExportContext, out: Path) -> list[Path]:
    title = f"{period_label(context.period)} 综合查一次 总表"
    workbook = new_workbook(title)
    table_sheet(workbook, "概况", title, ["项目", "内容"], overview_rows(context))
    table_sheet(workbook, "检查安排", title, VISIT_HEADERS + ["涉及部门"],
                (visit_row(context, v) + [LIST_JOIN.join(context.dept_name(d) for d in v.dept_ids)]
                 for v in context.visits))
    table_sheet(workbook, "人员安排", title,
                ["日期", "检查编号", "人员编号", "姓名", "所属部门", "人员所属片区", "检查片区", "乡镇", "企业名称",
                 "统一社会信用代码"], assignment_rows(context))
    table_sheet(workbook, "抽取结果", title,
                ["事项编号", "抽查事项", "实施部门", "统一社会信用代码", "企业名称", "信用风险等级", "抽取范围(家)",
                 "抽取数量(家)", "随机序号", "安排日期", "检查编号"], draw_rows(context))
    table_sheet(workbook, "未安排", title, ["统一社会信用代码", "企业名称", "乡镇", "片区", "检查事项", "原因"],
                unscheduled_rows(context))
    headers, rows = balance_table(context)
    table_sheet(workbook, "均衡指标", title, headers, rows)
    return write_files(out, [(FILE_NAME, workbook_bytes(workbook, context.timestamp))])


def overview_rows(context: ExportContext) -> list[list]:
    record, plan = context.record.to_json(), context.plan
    rows = [["方案期间", period_label(context.period)], ["随机种子", context.seed],
            ["程序版本", str(record.get("version", ""))]]
    solver = context.record.solver
    if solver is not None:  # the solver's quality in words: no status code, no raw objective
        rows += [["求解质量", solver.quality], ["求解用时（秒）", round(solver.wall_s, 1)]]
        rows += [[f"优化目标：{LEVEL_WORDS.get(lv.name, '其他目标')}（{STAGE_WORDS.get(lv.stage, '排程')}）",
                  f"{lv.value}" + ("（已证明最优）" if lv.optimal else f"（可能的最好值不低于 {lv.bound}）")]
                 for lv in solver.levels]
    rows += [["检查次数", len(plan.visits)], ["人员安排（人次）", len(plan.assignments)],
             ["抽取（事项×企业）", len(context.draw)], ["未安排企业", len(plan.unscheduled)]]
    rows += [[f"排程设置：{name}", words] for name, words in parameter_rows(record.get("parameters") or {})]
    rows += [[f"指标：{METRIC_WORDS[k]}", v] for k, v in (record.get("metrics") or {}).items()
             if k in METRIC_WORDS and isinstance(v, (int, float))]
    rows += [[f"指标：{context.dept_name(z['dept_id'])}最忙÷最闲片区人均负荷", z.get("zone_ratio") or "—"]
             for z in (record.get("metrics") or {}).get("zones", []) if isinstance(z, dict) and "dept_id" in z]
    rows += [[f"输入文件 {k} 的 SHA-256", v] for k, v in context.input_digests]
    return rows


def parameter_rows(parameters: dict) -> list[tuple[str, object]]:
    """The plan's settings as a coordinator reads them: names and values in words, nothing nested."""
    out = []
    for key, value in sorted(parameters.items()):
        name = PARAMETER_WORDS.get(key) or setting_name(key)
        if value in (None, ""):
            value = "无"
        elif isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, str):
            mode, _, number = value.partition(":")
            value = f"比值不超过 {number}" if key == "zone_balance" and mode == "ratio" else \
                {**SETTING_WORDS.get(key, {}), **VALUE_WORDS.get(key, {})}.get(mode, value)
        out.append((name, value if isinstance(value, (int, float, str)) else "；".join(map(str, value))))
    return out


def assignment_rows(context: ExportContext):
    ds = context.dataset
    for a in sorted(context.plan.assignments, key=lambda a: (a.date, a.visit_id, a.dept_id, a.inspector_id)):
        visit = context.visit.get(a.visit_id)
        person = ds.inspector.get(a.inspector_id)
        yield [a.date, a.visit_id, a.inspector_id, context.inspector_name(a.inspector_id), context.dept_name(a.dept_id),
               context.zone_name(person.zone_id) if person else "",
               context.zone_name(visit.zone_id) if visit else "", context.town_name(a.town_id),
               context.business_name(a.credit_code), a.credit_code]


def draw_rows(context: ExportContext):
    visit_of = {v.credit_code: v for v in context.plan.visits}
    for d in sorted(context.draw, key=lambda d: (d.item_id, d.rank, d.credit_code)):
        visit = visit_of.get(d.credit_code)
        if visit is not None and d.item_id not in visit.item_ids:
            visit = None  # the business is visited, but this item did not fit in that visit
        yield [d.item_id, context.item_label(d.item_id), context.dept_name(d.dept_id), d.credit_code,
               context.business_name(d.credit_code), d.risk_level, d.frame_size, d.sample_size, d.rank,
               visit.date if visit else "未安排", visit.visit_id if visit else ""]


def unscheduled_rows(context: ExportContext):
    ds = context.dataset
    for u in sorted(context.plan.unscheduled, key=lambda u: u.credit_code):
        business = ds.business.get(u.credit_code)
        town_id = business.town_id if business else ""
        zone_id = ds.town[town_id].zone_id if town_id in ds.town else ""
        yield [u.credit_code, context.business_name(u.credit_code), context.town_name(town_id),
               context.zone_name(zone_id), context.items_text(u.item_ids), u.reason]


def balance_table(context: ExportContext) -> tuple[list[str], list[list]]:
    """metrics['balance'] as a table: every key found becomes a column; names follow the ids."""
    rows = context.record.metrics.get("balance") or []
    rows = [r for r in rows if isinstance(r, dict)]
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    headers, getters = [], []
    for key in keys:
        headers.append(BALANCE_HEADERS.get(key, key))
        getters.append(lambda r, key=key: _cell(r.get(key)))
        if key in ("dept_id", "zone_id"):
            headers.append("部门" if key == "dept_id" else "片区")
            name = context.dept_name if key == "dept_id" else context.zone_name
            getters.append(lambda r, key=key, name=name: name(str(r.get(key, ""))))
    return headers or ["说明"], [[get(r) for get in getters] for r in rows] or [["方案中没有均衡指标"]]


def _cell(value):
    """A spreadsheet cell value: numbers and text as they are, a list or table as words (never JSON)."""
    if value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, dict):
        return "；".join(f"{k} {_cell(v)}" for k, v in sorted(value.items()))
    return "；".join(str(_cell(v)) for v in value)
