"""`status PLAN --today DATE [--json] [--data DATASET]`: the quarter's progress for the county, each department
and 片区 — visits done and overdue, 联合检查率 against its target, 结果公示 on time, door knocks saved, re-checks."""
from __future__ import annotations

import json
import sys

from models.dataset import Dataset
from models.loading import load_dataset
from models.problems import UserError
from planner.cli.args import today_arg
from planner.output import display_width
from planner.plan.changes import dataset_as_planned
from planner.plan.record import read_record
from planner.quarter.rechecks import RecheckFlag
from planner.quarter.status import Figures, Status, folder_status, outside_period
from planner.quarter.year_status import YearStatus, year_status
from planner.store.ratings import MIN_GROUP, county_ratings

COLUMNS = ["计划", "完成", "逾期未查", "完成率", "联合检查率", "结果", "按时公示", "公示逾期", "少敲门", "复查完成/计划"]


def add_arguments(p) -> None:
    p.add_argument("plan_dir", nargs="+", help="方案文件夹（--year 时可给多个，或存放全年方案的文件夹）")
    p.add_argument("--year", help="全年：按年份汇总各季度方案（每家企业各执法主体的检查次数与年度上限、频次预警、"
                                  "全年联合检查率、计划完成率、公示率和执法统计表）")
    p.add_argument("--today", help="今天的日期 YYYY-MM-DD（默认系统日期）")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象（键见 docs/quarter.md）")
    p.add_argument("--data", help="数据集（可选）：部门与片区名称、事项所属部门、calendar.csv 中的节假日")
    p.add_argument("--db", help="应用的数据库（企业评价从这里读取；默认环境变量 PLANNER_DB_URL，否则 数据文件夹/planner.db）")


def run(args) -> int:
    if args.year is not None:
        return run_year(args)
    if len(args.plan_dir) != 1:
        raise UserError("status 一次只看一个方案文件夹；汇总全年请加 --year 年份")
    args.plan_dir = args.plan_dir[0]
    today = today_arg(args.today)
    dataset = planned_dataset(args.data, args.plan_dir)
    status = folder_status(args.plan_dir, today, dataset)
    period = read_record(args.plan_dir).period
    note = outside_period(period, today)
    if note:
        print(note, file=sys.stderr)
    ratings = county_ratings(args.db, period.text)
    if args.json:
        print(json.dumps(status.to_json() | ratings, ensure_ascii=False, indent=2))
        return 0
    print(f"进度：{args.plan_dir}，截至 {today.isoformat()}")
    for line in status_lines(status, dataset) + [ratings_line(ratings)]:
        print(line)
    return 0


def ratings_line(ratings: dict) -> str:
    """企业评价 of the quarter, county-wide (never per officer: docs/store.md)."""
    if ratings["ratings"] is None:
        return "企业评价：没有找到应用的数据库（--db），未计入。"
    share = ratings["ratings_satisfied_share"]
    shown = f"满意 {share:.0%}" if share is not None else f"不足 {MIN_GROUP} 条，不显示满意率"
    return f"企业评价：{ratings['ratings']} 条，{shown}。"


def planned_dataset(data: str | None, plan_dir: str) -> Dataset | None:
    """--data with the plan's recorded what-if changes applied, as the plan was made; None without --data."""
    return dataset_as_planned(load_dataset(data), read_record(plan_dir).changes) if data else None


def status_lines(status: Status, dataset: Dataset | None) -> list[str]:
    def name(index: str, key: str) -> str:
        record = getattr(dataset, index).get(key) if dataset else None
        return record.name if record else key

    rows = [["全县", *cells(status.county)], ["按部门"]]
    rows += [[f"  {name('department', d)}", *cells(f)] for d, f in status.by_dept.items()]
    rows += [["按片区"]] + [[f"  {name('zone', z)}", *cells(f)] for z, f in status.by_zone.items()]
    lines = aligned([["", *COLUMNS], *rows])
    county = status.county
    if county.joint_rate is not None:
        verdict = "已达到" if county.joint_rate >= county.joint_rate_target else "未达到"
        lines.append(f"联合检查率目标 {county.joint_rate_target:.0%}：全县 {county.joint_rate:.1%}，{verdict}。")
    calendar = "含数据集 calendar.csv" if dataset else "未计入数据集的 calendar.csv，加 --data 可计入"
    lines.append(f"结果公示期限：检查日期后 {status.publish_within_days} 个工作日（法定节假日与调休，{calendar}）。")
    if status.deadlines_estimated:
        lines.append(f"注意：{status.deadlines_estimated} 条结果的公示期限跨入法定节假日日历未收录的年份，该年按周一至周五估算，"
                     f"可能与实际相差；在数据集 calendar.csv 中写明该年的节假日与调休上班日（并加 --data）即可算准。")
    return lines + flag_lines(status.rechecks_unresolved, dataset)


def cells(f: Figures) -> list[str]:
    def percent(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"
    return [str(f.visits_planned), str(f.visits_done), str(f.visits_overdue), percent(f.completion_rate),
            percent(f.joint_rate), str(f.results_due), str(f.results_published_on_time), str(f.results_overdue),
            str(f.door_knocks_saved), f"{f.rechecks_done}/{f.rechecks_planned}"]


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows as lines: the first column left-aligned, the others right-aligned, by display width (CJK double)."""
    widths = [max(display_width(r[i]) for r in rows if i < len(r)) for i in range(max(map(len, rows)))]
    def pad(i: int, text: str) -> str:
        space = " " * (widths[i] - display_width(text))
        return text + space if i == 0 else space + text
    return ["  ".join(pad(i, text) for i, text in enumerate(row)).rstrip() for row in rows]


def flag_lines(flags: list[RecheckFlag], dataset: Dataset | None) -> list[str]:
    """The re-checks that found the problem unresolved, for the coordinator to decide."""
    if not flags:
        return []
    lines = [f"复查发现问题仍未整改 {len(flags)} 项，请协调员决定移送案件线索，或再次责令改正并给出新期限"
             f"（不会自动再安排复查）："]
    for flag in flags:
        r = flag.result
        item = dataset.item[r.item_id].name if dataset and r.item_id in dataset.item else r.item_id
        dept = dataset.department[flag.dept_id].name if dataset and flag.dept_id in dataset.department else flag.dept_id
        disposal = f"，后续处置：{r.disposal}" if r.disposal else ""
        deadline = f"，新整改期限 {r.rectify_by.isoformat()}" if r.rectify_by else ""
        lines.append(f"  - {r.checked_on.isoformat()} {flag.visit.business_name}（{flag.visit.credit_code}，"
                     f"检查 {r.visit_id}）{item}（{dept or '部门不明'}）：{r.result}{disposal}{deadline}")
    return lines


def run_year(args) -> int:
    if not args.year.isdigit() or not 2000 <= int(args.year) <= 2100:
        raise UserError(f"--year {args.year}：应为 2000 到 2100 之间的年份，例如 2026")
    dataset = load_dataset(args.data) if args.data else None
    status = year_status(int(args.year), args.plan_dir, dataset)
    if args.json:
        print(json.dumps(status.to_json(), ensure_ascii=False, indent=2))
        return 0
    for line in year_lines(status, dataset):
        print(line)
    return 0


def year_lines(status: YearStatus, dataset: Dataset | None) -> list[str]:
    def percent(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"

    def dept(d: str) -> str:
        return dataset.department[d].name if dataset and d in dataset.department else d
    lines = [f"{status.year} 年：{len(status.plans)} 个季度方案（{'、'.join(status.plans) or '无'}）",
             f"计划检查 {status.visits_planned} 次，完成 {status.visits_done} 次，计划完成率 {percent(status.completion_rate)}；"
             f"联合检查率 {percent(status.joint_rate)}；结果 {status.results_due} 条，已公示 {status.results_published} 条，"
             f"公示率 {percent(status.publication_rate)}；少敲门 {status.door_knocks_separately - status.door_knocks} 次",
             "", "执法统计（检查次数，按执法主体与检查类型）："]
    types = ["双随机", "个案", "整改复查", "历史记录"]
    rows = [["执法主体", *types, "合计"]]
    rows += [[dept(d), *(str(c.get(t, 0)) for t in types), str(sum(c.values()))] for d, c in status.statistics.items()]
    lines += ["  " + line for line in aligned(rows)]
    lines += ["", f"频次预警（年度上限 {status.yearly_cap} 次/执法主体，或超过 {status.max_bodies} 个执法主体）："
                  f"{len(status.enterprises)} 家"]
    for e in status.enterprises:
        lines.append(f"  - {e.name or e.credit_code}（{e.credit_code}）："
                     + "；".join(e.warnings) + (f"；整改复查 {e.rechecks} 次（不计入上限）" if e.rechecks else ""))
    return lines
