"""`export PLAN --data DATASET --out DIR`: department workbooks, calendars, the public notice, 结果公示 and 整改通知单."""
from __future__ import annotations

import getpass
import sys
from collections import defaultdict
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path

from models.loading import load_dataset
from planner.cli.args import today_arg
from planner.export import PUBLICITY_PATH, export_plan, parse_formats, record_publication
from planner.output import check_output, holding_folder
from planner.plan.changes import dataset_as_planned
from planner.plan.record import read_record
from planner.quarter.status import outside_period


def add_arguments(p) -> None:
    p.add_argument("plan_dir", help="方案文件夹")
    p.add_argument("--data", required=True, help="生成方案时使用的数据集")
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--format", default="xlsx,ics,notice,pdf,visit",
                   help="xlsx,ics,notice,pdf,visit 的任意组合（visit：每次检查的检查通知书、现场检查记录和检查码）")
    p.add_argument("--today", help="今天的日期 YYYY-MM-DD（默认系统日期）：抽查结果公示的公示日期，据此判断逾期")
    p.add_argument("--by", help="导出人（公示记录写入 results_log.csv；默认当前系统用户）")


def run(args) -> int:
    formats = parse_formats(args.format)
    check_output(args.out, [args.plan_dir, args.data], kind="export")  # before any heavy work
    record = read_record(args.plan_dir)
    dataset = dataset_as_planned(load_dataset(args.data), record.changes)  # as the plan was made
    changed = sorted(name for name, digest in record.draw.inputs_sha256.items()
                     if dataset.inputs_sha256.get(name, digest) != digest)
    if changed:
        print(f"注意：数据集中的 {'、'.join(changed)} 与生成方案时不同；导出的名称、地址取自当前数据集。",
              file=sys.stderr)
    today = today_arg(args.today, record.period)
    note = outside_period(record.period, today)
    if note:
        print(note, file=sys.stderr)
    # recording the 公示 changes the plan: the plan stays held from the export to the record, so the list
    # exported is the list recorded (a results import meanwhile waits; planner.output's folder lock)
    with holding_folder(args.plan_dir) if "notice" in formats else nullcontext():
        files = export_plan(args.plan_dir, dataset, args.out, formats, protected=[args.data], today=today)
        published = record_publication(args.plan_dir, dataset, args.out, today, user=args.by or getpass.getuser(),
                                       now=datetime.now().astimezone()) if "notice" in formats else []
    print(f"已导出 {len(files)} 个文件到 {args.out}：")
    for line in file_summary(Path(args.out), files):
        print(f"  {line}")
    if published:
        late = sum(d.late(today) for d in published)
        print(f"抽查结果公示：新列入 {len(published)} 条结果（其中已超过公示期限 {late} 条，排在最前），"
              f"已在方案 {args.plan_dir} 中记录公示日期 {today.isoformat()}。请将 {Path(args.out) / PUBLICITY_PATH} 导入公示系统。")
    return 0


def file_summary(out: Path, files: list[Path]) -> list[str]:
    """One line per file at the top level, one line per folder of many files (calendars, departments)."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        groups[path.parts[0] if len(path.parts) > 1 else str(path)].append(path)
    lines = []
    for name, paths in groups.items():
        size = sum((out / p).stat().st_size for p in paths)
        if len(paths) > 3:
            lines.append(f"{name}/ {len(paths)} 个文件，共 {size / 1024:.1f} KB")
        else:
            lines += [f"{p} {(out / p).stat().st_size / 1024:.1f} KB" for p in paths]
    return lines
