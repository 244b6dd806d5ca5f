"""`draw DATASET --out DIR`: the random draw alone (draw.csv, inspector_orders.csv, frames.csv, record.json)."""
from __future__ import annotations

import sys

from models.loading import load_dataset
from planner.draw import draw
from planner.draw.files import DrawRecord, draw_files
from planner.draw.knocks import knocks_of_draw
from planner.draw.prn import choose_seed
from planner.output import check_output
from planner.plan.folder import write_plan_folder
from planner.plan.record import PlanRecord


def add_arguments(p) -> None:
    p.add_argument("dataset", help="数据集文件夹（CSV）、.xlsx 工作簿或 .zip 压缩包")
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--seed", help="公开随机种子（缺省时取 settings.toml，或新生成并打印）")
    p.add_argument("--floor", action="store_true", help="同时计算任意抽取的最少上门次数（整数规划，最多约 30 秒）")


def run(args) -> int:
    check_output(args.out, [args.dataset], kind="plan")  # before any heavy work
    dataset = load_dataset(args.dataset)
    seed = choose_seed(args.seed, dataset.settings.seed)
    if seed.generated:
        print(f"未指定随机种子，已生成：{seed.value}（已写入 record.json，请公开）", file=sys.stderr)
    result = draw(dataset, seed.value)
    files = draw_files(result)
    knocks = knocks_of_draw(result, floor=args.floor)
    write_plan_folder(args.out, files, PlanRecord(DrawRecord.of(result, files, knocks)), [args.dataset])
    print(f"随机种子：{result.seed}")
    print(f"抽中 {len(result.pairs)} 项（事项×对象），合并后需上门 {knocks['visits_merged']} 家次；"
          f"各部门独立抽取分别上门约 {knocks['independent']['visits_separate_departments']:.1f} 家次，"
          f"减少 {knocks['saving_percent']:.1f}%。")
    if "floor" in knocks and knocks["floor"]["visits"] is not None:
        print(f"任意抽取至少需上门 {knocks['floor']['visits']} 家次（下限）。")
    print(f"已写入 {args.out}：draw.csv、inspector_orders.csv、frames.csv、record.json")
    return 0
