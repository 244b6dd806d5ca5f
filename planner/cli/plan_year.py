"""`plan-year DATASET --year YYYY --out DIR [--seed S]`: the 年度抽查计划 by yearly ratios (ratio_basis = "year"):
per item and credit class the frame, the yearly sample and its split over the quarters, each quarter's share by
rotation on the year's permanent random numbers, and the public notice. Quarters then plan with --annual-plan."""
from __future__ import annotations

import sys

from models.loading import load_dataset
from models.problems import UserError
from planner.draw.prn import choose_seed
from planner.draw.year import RECORD_FILE, annual_files, annual_record, annual_record_bytes, build_annual_plan
from planner.export.annual_notice import annual_notice_files
from planner.output import atomic_folder, check_output


def add_arguments(p) -> None:
    p.add_argument("dataset", help="数据集文件夹（CSV）、.xlsx 工作簿或 .zip 压缩包")
    p.add_argument("--year", required=True, help="计划年份，例如 2027")
    p.add_argument("--out", required=True, help="输出的年度抽查计划文件夹")
    p.add_argument("--seed", help="年度公开随机种子（缺省时新生成并打印，请记录并公示）")


def run(args) -> int:
    year = _year(args.year)
    check_output(args.out, [args.dataset], kind="annual")
    dataset = load_dataset(args.dataset)
    seed = choose_seed(args.seed)
    if seed.generated:
        print("未指定年度随机种子，已生成公开种子（请记录并公示）。", file=sys.stderr)
    plan = build_annual_plan(dataset, year, seed.value)
    files = annual_files(plan)
    record = annual_record(plan, files)
    files |= annual_notice_files(plan, dataset, record["annual_sha256"])
    with atomic_folder(args.out, kind="annual", inputs=[args.dataset]) as tmp:
        for name, data in sorted(files.items()):
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
        (tmp / RECORD_FILE).write_bytes(annual_record_bytes(record))
    strata = [s for s in plan.strata if s.yearly_size]
    totals = [sum(s.split[q] for s in strata) for q in range(4)]
    print(f"年度种子：{plan.seed}")
    print(f"{year} 年度抽查计划：{len(strata)} 个抽取层，全年抽取 {record['yearly_pairs']} 家次（事项×对象），"
          f"各季度 {' / '.join(str(n) for n in totals)}")
    print(f"年度抽查计划摘要：{record['annual_sha256']}")
    print(f"已写入 {args.out}（公示文件在 {args.out}/公示/；annual_frames.csv 含各季度名单，检查前保密）")
    if dataset.settings.ratio_basis != "year":
        print("提示：数据集 settings.toml 的 ratio_basis 不是 \"year\"；各季度按年度计划抽取时请写 ratio_basis = \"year\"，"
              "并用 plan --annual-plan 指定本文件夹。")
    return 0


def _year(text: str) -> int:
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise UserError(f"--year {text}：应为 2000 到 2100 之间的年份，例如 2027")
    return int(text)
