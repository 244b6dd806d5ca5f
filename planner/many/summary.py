"""PLANS_DIR/summary.csv and summary.xlsx: one row per county, for the city's or the province's office."""
from __future__ import annotations

from datetime import UTC, datetime

from models.period import Period
from planner.export.formatting import fixed_timestamp
from planner.export.sheets import new_workbook, table_sheet, workbook_bytes
from planner.many.jobs import BAD_DATA, FAILED, PLANNED, PROBLEMS_FILE, CountyOutcome
from planner.output import csv_bytes

SUMMARY_CSV, SUMMARY_XLSX = "summary.csv", "summary.xlsx"
# English headers, like every CSV of the contract; the workbook shows them in 简体中文
COLUMNS = [("county", "县（市、区）"), ("status", "状态"), ("businesses", "检查对象"), ("drawn", "抽中对象"),
           ("visits", "联合检查次数"), ("unscheduled", "未排程"), ("joint_share", "多部门联合占比"),
           ("loans", "跨片区借调人次"), ("zone_ratio_max", "片区负荷比（最大）"), ("solver_status", "求解状态"),
           ("gap", "与最优差距"), ("seconds", "用时（秒）"), ("attempts", "运行次数"), ("seed", "随机种子"),
           ("problems", "问题"), ("same_entries", "同一数据集的其他条目")]
STATUS_WORDS = {PLANNED: "已排程", BAD_DATA: "数据有误，未排程", FAILED: "出错，未排程"}
SHOWN_PROBLEMS = 5  # the rest are in the county's problems.csv
TOTALLED = ("businesses", "drawn", "visits", "unscheduled", "loans")


def county_row(outcome: CountyOutcome, same: list[str] = ()) -> dict:
    """summary.csv's row: the plan's figures, or the problems (the first few, and where the rest are); `same`
    are the other entries of the datasets folder that are this county's dataset (planned once)."""
    row = {key: "" for key, _ in COLUMNS} | {k: v for k, v in outcome.figures.items() if k in dict(COLUMNS)}
    row |= {"county": outcome.name, "status": outcome.status, "seconds": outcome.seconds,
            "attempts": outcome.attempt, "same_entries": ";".join(same)}
    problems = list(outcome.problems[:SHOWN_PROBLEMS])
    if len(outcome.problems) > SHOWN_PROBLEMS:
        problems.append(f"……共 {len(outcome.problems)} 处")
    if outcome.status == BAD_DATA:
        problems.append(f"全部问题见 {outcome.name}/{PROBLEMS_FILE}")
    row["problems"] = "；".join(problems)
    return {key: "" if value is None else value for key, value in row.items()}


def summary_files(outcomes: list[CountyOutcome], same: dict[str, list[str]] | None = None) -> dict[str, bytes]:
    """summary.csv and summary.xlsx, counties by name."""
    rows = [county_row(o, (same or {}).get(o.name, ())) for o in sorted(outcomes, key=lambda o: o.name)]
    return {SUMMARY_CSV: csv_bytes([key for key, _ in COLUMNS], ([row[key] for key, _ in COLUMNS] for row in rows)),
            SUMMARY_XLSX: _workbook(outcomes, rows)}


def _workbook(outcomes: list[CountyOutcome], rows: list[dict]) -> bytes:
    workbook = new_workbook("多县联合检查方案汇总")
    shown = [[STATUS_WORDS.get(row[k], row[k]) if k == "status" else row[k] for k, _ in COLUMNS] for row in rows]
    planned = [row for row in rows if row["status"] == PLANNED]
    totals = {k: sum(row[k] for row in planned if row[k] != "") for k in TOTALLED}
    shown.append(["合计", f"已排程 {len(planned)}/{len(rows)}", *(totals.get(k, "") for k, _ in COLUMNS[2:])])
    table_sheet(workbook, "汇总", f"多县联合检查方案汇总：{len(rows)} 个县（市、区）",
                [label for _, label in COLUMNS], shown)
    problems = [[o.name, STATUS_WORDS[o.status], text] for o in sorted(outcomes, key=lambda o: o.name)
                for text in o.problems]
    if problems:
        table_sheet(workbook, "数据问题", "未能排程的县（市、区）及其全部问题", ["县（市、区）", "状态", "问题"], problems)
    return workbook_bytes(workbook, _stamp(outcomes))


def _stamp(outcomes: list[CountyOutcome]) -> datetime:
    """The workbook's one timestamp: the earliest planned period's first day (as every export), else 1980."""
    periods = [Period.parse(o.figures["period"]) for o in outcomes if o.figures.get("period")]
    return fixed_timestamp(min(periods, key=lambda p: p.start)) if periods else datetime(1980, 1, 1, tzinfo=UTC)
