"""`results PLAN --add FILE…`: merge departments' results — filled-in department workbooks or results CSVs —
into the plan's results.csv; any bad row refuses the whole import."""
from __future__ import annotations

import getpass
import sys
from datetime import datetime
from pathlib import Path

from planner.cli.args import today_arg
from planner.cli.status import flag_lines, planned_dataset
from planner.plan.folder import LOG_FILE, RESULTS_FILE
from planner.plan.record import read_record
from planner.quarter.rechecks import unresolved_rechecks
from planner.quarter.results import PlanFacts, import_results
from planner.quarter.status import outside_period


def add_arguments(p) -> None:
    p.add_argument("plan_dir", help="方案文件夹")
    p.add_argument("--add", nargs="+", required=True, metavar="FILE",
                   help="填好的部门工作簿（导出的 部门/*.xlsx）或结果表（.csv，列同 results.csv）")
    p.add_argument("--dept", help="文件来自哪个部门（部门编号）：其他部门的事项将被拒绝；部门工作簿自带部门，可不填")
    p.add_argument("--today", help="今天的日期 YYYY-MM-DD（默认系统日期）：检查日期不能晚于它")
    p.add_argument("--by", help="导入人，记入 results_log.csv（默认当前系统用户）")
    p.add_argument("--data", help="数据集（可选）：补充事项所属部门与人员名录")


def run(args) -> int:
    dataset = planned_dataset(args.data, args.plan_dir)
    today = today_arg(args.today)
    note = outside_period(read_record(args.plan_dir).period, today)
    if note:
        print(note, file=sys.stderr)
    report = import_results(args.plan_dir, args.add, today=today, user=args.by or getpass.getuser(),
                            now=datetime.now().astimezone(), dept_id=args.dept, dataset=dataset)
    folder = Path(args.plan_dir)
    for line in report.notes:
        print(f"提示：{line}", file=sys.stderr)
    if not report.changed_anything:
        print(f"没有新增或改动的结果，{folder / RESULTS_FILE} 保持不变（同一文件重复导入不会重复记录）。")
    else:
        print(f"已合并到 {folder / RESULTS_FILE}：新增 {report.added} 条，修改 {report.changed} 条。")
        for entry in report.entries:
            print(f"  {entry.source}：新增 {entry.added}，修改 {entry.changed}")
        assert report.plan.record is not None
        print(f"已记入 {LOG_FILE}；方案承诺值（commitment）现为 {report.plan.record.commitment}")
    if report.team_changes:
        print(f"注意：{len(report.team_changes)} 条结果的实际检查人员与计划不同（符合持证、在岗、回避规定，已导入，"
              f"并记入 {LOG_FILE} 的 team_changes 列）：")
        for change in report.team_changes:
            print(f"  {change.words()}")
    if report.republish:
        print(f"注意：{len(report.republish)} 条已公示的结果被修改，需在公示系统中更正；下次导出的抽查结果公示会再次列出它们。")
    facts = PlanFacts.of(folder, report.plan, dataset)
    for line in flag_lines(unresolved_rechecks(report.plan, facts.dept_of), dataset):
        print(line)
    return 0
