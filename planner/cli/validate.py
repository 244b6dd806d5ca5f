"""`validate DATASET`: load and check a dataset, print what it holds."""
from __future__ import annotations

from models.loading import load_dataset
from planner.check.summary import summary_text, unsatisfiable


def add_arguments(p) -> None:
    p.add_argument("dataset", help="数据集文件夹（CSV）、.xlsx 工作簿或 .zip 压缩包")


def run(args) -> int:
    dataset = load_dataset(args.dataset)
    print(summary_text(dataset, args.dataset))
    print_warnings([*unsatisfiable(dataset), *dataset.warnings])
    return 0


def print_warnings(warnings) -> None:
    """Columns the loader did not read but that look like one it knows, and the like: worth a look."""
    if warnings:
        print(f"\n请留意 {len(warnings)} 处提示：")
        for warning in warnings:
            print(f"  - {warning}")
