"""`verify PLAN --data DATASET [--commitment HEX]`: check the plan's files against its commitment, re-derive the
draw from the recorded seed and re-check every rule."""
from __future__ import annotations

from models.loading import load_dataset
from planner.check.commitment import parse_commitment
from planner.check.verify import verify_plan
from planner.draw.year import read_quarter_share

RULES_CHECKED = "工作日、在岗、回避、每日时长、一日一镇、持证人数、片区、进一次门、随机候选名单"


def add_arguments(p) -> None:
    p.add_argument("plan_dir", help="方案文件夹")
    p.add_argument("--data", required=True, help="生成方案时使用的数据集")
    p.add_argument("--commitment", help="公示中印的方案承诺值（SHA-256）：核对方案在公示后只经记录的调整改变")
    p.add_argument("--resolve", action="store_true",
                   help="按记录的种子、变化、今天的日期和时限重新求解，逐字节比对方案文件（与生成方案用时相当）")
    p.add_argument("--previous", help="重排方案所依据的上一版方案文件夹：核对上一版中已过去和已锁定的检查都未改动"
                                      "（--resolve 重排方案时必需）")
    p.add_argument("--annual-plan", metavar="DIR", help="年度抽查计划文件夹：核对本季度抽取的是其中的份额")
    p.add_argument("--previous-quarter", action="append", default=[], metavar="PLAN_DIR",
                   help="方案读取的此前季度方案文件夹（可重复，或存放全年方案的文件夹）：据此重新推导年度上限与结转")


def run(args) -> int:
    published = parse_commitment(args.commitment) if args.commitment is not None else None
    dataset = load_dataset(args.data)
    annual = read_quarter_share(args.annual_plan, dataset.settings.period) if args.annual_plan else None
    result = verify_plan(args.plan_dir, dataset, published, resolve=args.resolve, previous=args.previous,
                         previous_quarters=args.previous_quarter, annual=annual)
    record = result.record
    earlier = record.previous_quarters.get("plans", [])
    if earlier:
        periods = "、".join(p.get("period", "") for p in earlier)
        print(f"本方案读取了此前季度 {periods} 的方案："
              + ("按给出的方案文件夹重新推导年度上限与结转。" if args.previous_quarter else
                 "未给出 --previous-quarter，年度上限与结转按 record.json 的记录核对。"))
    if record.changes:
        print(f"按 record.json 记录的 {len(record.changes)} 项假设分析变化复核：{'；'.join(record.changes)}")
    if record.interrupted:
        print("注意：该方案是求解被中断时按 --keep-partial 保存的，未求解完成。")
    if result.findings:
        print(f"复核发现 {len(result.findings)} 处问题：")
        for finding in result.findings:
            print(f"  - {finding}")
        return 1
    print(f"复核通过：按 record.json 的随机种子重新推导，抽取结果与 {args.plan_dir} 一致。")
    if record.commitment:
        print(f"方案文件与承诺值 {record.commitment} 一致。")
    if result.legacy:
        print("注意：该方案由旧版本生成，承诺链只覆盖方案文件，不含各次检查的检查码（Merkle 树）；"
              "重排一次（plan --previous …）后的新版本即可签发检查码。")
    elif record.commitment:
        print("承诺值是各次检查（检查码）和方案文件的 Merkle 树根，每个检查码都可对它单独核验。")
    if result.published is not None:
        where = result.published
        if where.events_since:
            print(f"公示的承诺值是承诺链第 {where.position}/{where.links} 环；公示后经记录的调整：")
            for event in where.events_since:
                print(f"  - {event}")
        else:
            print("方案就是以该承诺值公示的那一版，公示后没有任何调整。")
    if result.has_schedule:
        print(f"排程的全部硬规则（{RULES_CHECKED}）均满足；过去和已锁定的检查按安排它们的那一版方案复核，此后未被改动。")
        if args.previous:
            print(f"{args.previous} 是本方案重排所依据的上一版，其中已过去和已锁定的检查在本版中都保持原样。")
        if args.resolve:
            print("按记录的种子、变化、今天的日期和时限重新求解，得到的方案文件与方案生成时的逐字节相同。")
    return 0
