"""`validate DATASET`: load and check a dataset, print what it holds."""
from __future__ import annotations

from models.loader import load_dataset
from planner.check.summary import summary_text


def add_arguments(p) -> None:
    p.add_argument("dataset", help="数据集文件夹（CSV）、.xlsx 工作簿或 .zip 压缩包")


def run(args) -> int:
    dataset = load_dataset(args.dataset)
    print(summary_text(dataset, args.dataset))
    return 0
