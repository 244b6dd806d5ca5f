"""`verify PLAN --data DATASET`: re-derive the draw from the recorded seed and re-check every rule."""
from __future__ import annotations

from models.loader import load_dataset
from planner.check.verify import verify_plan

RULES_CHECKED = "工作日、在岗、回避、每日时长、一日一镇、持证人数、片区、进一次门、随机候选名单"


def add_arguments(p) -> None:
    p.add_argument("plan_dir", help="方案文件夹")
    p.add_argument("--data", required=True, help="生成方案时使用的数据集")


def run(args) -> int:
    result = verify_plan(args.plan_dir, load_dataset(args.data))
    changes = result.record.changes
    if changes:
        print(f"按 record.json 记录的 {len(changes)} 项假设分析变化复核：{'；'.join(changes)}")
    if result.findings:
        print(f"复核发现 {len(result.findings)} 处问题：")
        for finding in result.findings:
            print(f"  - {finding}")
        return 1
    print(f"复核通过：按 record.json 的随机种子重新推导，抽取结果与 {args.plan_dir} 一致。")
    if result.has_schedule:
        print(f"排程的全部硬规则（{RULES_CHECKED}）均满足。")
    return 0
