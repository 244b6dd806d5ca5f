"""`export PLAN --data DATASET --out DIR`: department workbooks, calendars, the public notice."""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from models.loader import load_dataset
from planner.export import export_plan, parse_formats
from planner.output import check_output
from planner.plan.record import read_record
from planner.whatif.changes import dataset_as_planned


def add_arguments(p) -> None:
    p.add_argument("plan_dir", help="方案文件夹")
    p.add_argument("--data", required=True, help="生成方案时使用的数据集")
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--format", default="xlsx,ics,notice,pdf", help="xlsx,ics,notice,pdf 的任意组合")


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
    files = export_plan(args.plan_dir, dataset, args.out, formats, protected=[args.data])
    print(f"已导出 {len(files)} 个文件到 {args.out}：")
    for line in file_summary(Path(args.out), files):
        print(f"  {line}")
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
