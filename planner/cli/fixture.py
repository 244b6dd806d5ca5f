"""`fixture --scale S --seed N --out DIR`: a deterministic generated dataset (tools/fixture); with
`--scale province --counties N`, one dataset folder per county for `plan-many`."""
from __future__ import annotations

from models.problems import UserError
from planner.cli.args import count_arg
from planner.output import check_output
from tools.fixture import SCALE_LABELS, SCALES, summary_line, write_dataset, write_province


def add_arguments(p) -> None:
    p.add_argument("--scale", choices=(*SCALES, "province"), default="county")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--businesses", type=int, help="检查对象数量（覆盖默认规模）")
    p.add_argument("--counties", type=int, help="县（市、区）数量（仅 --scale province）")
    p.add_argument("--out", required=True, help="输出文件夹")


MAX_COUNTIES = 200  # a province has at most about 200 counties (市辖区, 县, 县级市)
MAX_BUSINESSES = 2_000_000


def run(args) -> int:
    count_arg(args.counties, "--counties", 1, MAX_COUNTIES)
    count_arg(args.businesses, "--businesses", 1, MAX_BUSINESSES)
    check_output(args.out, kind="dataset")
    if args.scale != "province":
        if args.counties is not None:
            raise UserError("--counties 只用于 --scale province")
        tables = write_dataset(args.out, args.scale, args.seed, args.businesses)
        print(summary_line(tables, args.scale, args.seed, args.out))
        return 0
    if args.businesses is not None:
        raise UserError("--scale province 的各县规模由种子决定，不能用 --businesses 指定")
    counties = write_province(args.out, args.counties or 6, args.seed)
    sizes = [len(tables["businesses"]) for tables in counties.values()]
    print(f"已生成{SCALE_LABELS['province']}数据集（种子 {args.seed}）→ {args.out}：{len(counties)} 个县（市、区），"
          f"检查对象每县 {min(sizes):,}–{max(sizes):,}，共 {sum(sizes):,}")
    for name, tables in counties.items():
        print(f"  {name}：检查对象 {len(tables['businesses']):,}、执法人员 {len(tables['inspectors']):,}")
    return 0
