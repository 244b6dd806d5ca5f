"""Exports of a plan for the people who carry it out (see docs/exports.md).

`python -m planner export PLAN_DIR --data DATASET --out DIR [--format xlsx,ics,notice,pdf]`
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from planner.export.calendars import FOLDER as CALENDAR_FOLDER, write_calendars
from planner.export.context import ExportContext
from planner.export.coordinator_workbook import FILE_NAME as COORDINATOR_FILE, write_coordinator_workbook
from planner.export.department_workbook import FOLDER as DEPARTMENT_FOLDER, write_department_workbooks
from planner.export.notice import FOLDER as NOTICE_FOLDER, write_notice_csv, write_notice_html
from planner.export.notice_pdf import write_notice_pdf
from planner.output import atomic_folder

WRITERS = {
    "xlsx": (write_department_workbooks, write_coordinator_workbook),
    "ics": (write_calendars,),
    "notice": (write_notice_csv, write_notice_html),
    "pdf": (write_notice_pdf,),
}
FORMATS = tuple(WRITERS)  # in the order files are written
EXPORT_ENTRIES = {DEPARTMENT_FOLDER, CALENDAR_FOLDER, NOTICE_FOLDER, COORDINATOR_FILE}


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in (text or "").split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UserError(f"--format 只能是 {','.join(FORMATS)} 的组合，收到：{text!r}")
    return [f for f in FORMATS if f in formats]  # fixed order, duplicates dropped


def export_plan(plan_dir, dataset: Dataset, out, formats=FORMATS, protected=()) -> list[Path]:
    """Write the chosen exports of the plan in `plan_dir` into `out`, replaced whole and atomically.

    Returns the files written, relative to `out`. `protected` folders (the dataset) may not be `out`.
    """
    plan_dir, out = Path(plan_dir), Path(out)
    check_out_folder(out, [plan_dir, *map(Path, protected)])
    context = ExportContext.load(plan_dir, dataset)
    written: list[Path] = []
    with atomic_folder(out) as tmp:
        for fmt in formats:
            for writer in WRITERS[fmt]:
                written += [path.relative_to(tmp) for path in writer(context, tmp)]
    return written


def check_out_folder(out: Path, protected: list[Path]) -> None:
    """The output folder is replaced whole: never let that be the inputs or someone else's files."""
    target = out.resolve()
    for folder in protected:
        folder = folder.resolve()
        if target == folder or target in folder.parents:
            raise UserError(f"输出文件夹 {out} 不能是方案或数据集所在的文件夹：导出会整体替换输出文件夹")
    if target.exists() and not target.is_dir():
        raise UserError(f"输出位置 {out} 是一个文件，请指定文件夹")
    if target.is_dir():
        strangers = sorted(p.name for p in target.iterdir() if p.name not in EXPORT_ENTRIES)
        if strangers:
            raise UserError(f"输出文件夹 {out} 中有不是导出结果的文件（{'、'.join(strangers[:5])}），"
                            f"导出会整体替换该文件夹；请指定新的或空的文件夹")


def cli_export(args) -> int:
    from models.loader import load_dataset  # the loader is heavy; only the CLI needs it

    from planner.replan import dataset_as_planned

    formats = parse_formats(args.format)
    record = _recorded(Path(args.plan_dir))
    dataset = dataset_as_planned(load_dataset(args.data), record.get("changes", []))  # what-if re-plans
    warn_if_inputs_changed(record, dataset)
    files = export_plan(args.plan_dir, dataset, args.out, formats, protected=[args.data])
    print(f"已导出 {len(files)} 个文件到 {args.out}：")
    for line in file_summary(Path(args.out), files):
        print(f"  {line}")
    return 0


def _recorded(plan_dir: Path) -> dict:
    try:
        record = json.loads((plan_dir / "record.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # export_plan reports the unreadable plan
    return record if isinstance(record, dict) else {}


def warn_if_inputs_changed(record: dict, dataset: Dataset) -> None:
    """Names and addresses come from the dataset given now; say so when it is not the one planned from."""
    recorded = record.get("inputs_sha256") or {}
    changed = sorted(name for name, digest in recorded.items()
                     if dataset.inputs_sha256.get(name, digest) != digest)
    if changed:
        print(f"注意：数据集中的 {'、'.join(changed)} 与生成方案时不同；导出的名称、地址取自当前数据集。",
              file=sys.stderr)


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
