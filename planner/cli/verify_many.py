"""`verify-many PLANS_DIR --data DATASETS_DIR`: `verify` for every county of a plan-many folder."""
from __future__ import annotations

import sys

from planner.cli.plan_many import add_engine_arguments, bar, check_engine_arguments, same_lines, show_engine
from planner.cli.verify import RULES_CHECKED
from planner.many import verify_many
from planner.many.jobs import FAILED, NO_PLAN, PASSED, PROBLEMS_FILE, VerifyOutcome


def add_arguments(p) -> None:
    p.add_argument("plans_dir", help="plan-many 的输出文件夹")
    p.add_argument("--data", required=True, help="生成这些方案时使用的数据集文件夹（各县一个子文件夹、.xlsx 或 .zip）")
    add_engine_arguments(p)


def run(args) -> int:
    check_engine_arguments(args)
    result = verify_many(args.plans_dir, args.data, engine=args.engine, address=args.address, workers=args.workers,
                         on_done=show_progress, on_engine=show_engine)
    outcomes: list[VerifyOutcome] = result.outcomes
    passed = [o for o in outcomes if o.status == PASSED]
    failed = [o for o in outcomes if o.status == FAILED]
    for o in failed:
        print(f"{o.name}：复核发现 {len(o.findings)} 处问题：")
        for finding in o.findings:
            print(f"  - {finding}")
    for o in outcomes:
        if o.status == NO_PLAN:
            print(f"{o.name}：数据有误，没有方案可复核（见 {args.plans_dir}/{o.name}/{PROBLEMS_FILE}）")
    print(f"复核通过 {len(passed)}/{len(outcomes)} 个县（市、区）：抽取按 record.json 的随机种子重新推导一致，"
          f"排程的全部硬规则（{RULES_CHECKED}）均满足。" if passed else f"没有县（市、区）复核通过（共 {len(outcomes)} 个）。")
    for line in same_lines(result.same):
        print(line)
    if len(passed) < len(outcomes):
        print(f"未全部复核通过：{len(outcomes) - len(passed)} 个县（市、区）没有通过复核或没有方案可复核（见上）。")
    return 0 if len(passed) == len(outcomes) else 1


def show_progress(outcome: VerifyOutcome, done: int, total: int) -> None:
    words = {PASSED: "复核通过", NO_PLAN: "数据有误，无方案", FAILED: f"复核发现 {len(outcome.findings)} 处问题"}
    print(f"{bar(done, total)} {done}/{total}  {outcome.name}：{words[outcome.status]}（{outcome.seconds:.1f} 秒）",
          file=sys.stderr, flush=True)
