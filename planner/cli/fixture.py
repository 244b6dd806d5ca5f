"""`fixture --scale S --seed N --out DIR`: a deterministic generated dataset (tools/fixture)."""
from __future__ import annotations

from planner.output import check_output
from tools.fixture import SCALES, summary_line, write_dataset


def add_arguments(p) -> None:
    p.add_argument("--scale", choices=SCALES, default="county")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--businesses", type=int, help="检查对象数量（覆盖默认规模）")
    p.add_argument("--out", required=True, help="输出文件夹")


def run(args) -> int:
    check_output(args.out, kind="dataset")
    tables = write_dataset(args.out, args.scale, args.seed, args.businesses)
    print(summary_line(tables, args.scale, args.seed, args.out))
    return 0
