"""`plan DATASET --out DIR`: draw and schedule; with --previous and --change, a minimal re-plan."""
from __future__ import annotations

import sys
from datetime import date

from models.loading import load_dataset
from models.problems import UserError
from models.schema import BadValue
from models.settings import SETTING_KEYS
from planner.cli.args import today_arg
from planner.cli.interrupt import run_stoppable
from planner.output import check_output
from planner.plan.api import run_plan
from planner.plan.folder import read_plan
from planner.plan.pipeline import PlanRun
from planner.plan.record import LEVEL_WORDS, STAGE_WORDS
from planner.plan.today import plan_day, plan_today
from planner.schedule.solve import Progress


def add_arguments(p) -> None:
    p.add_argument("dataset", help="数据集文件夹（CSV）、.xlsx 工作簿或 .zip 压缩包")
    p.add_argument("--out", required=True, help="输出的方案文件夹")
    p.add_argument("--seed", help="公开随机种子（缺省时取上一版方案或 settings.toml，或新生成并打印）")
    p.add_argument("--time-limit", help="求解时限（秒），覆盖 settings.toml 的 time_limit_s")
    p.add_argument("--previous", help="上一版方案文件夹：重排时尽量不动原安排")
    p.add_argument("--today", help="今天的日期 YYYY-MM-DD（缺省为系统日期；示例数据为其设置的演示日期）：首次排程从"
                                   "今天起第一个未锁定的工作日开始安排，重排时此前的检查与锁定期内的检查保持不动")
    p.add_argument("--change", action="append", default=[],
                   help="重排的变化，例如 absent:I001:2026-10-12:2026-10-16、remove:I002、"
                        "urgent:<统一社会信用代码>、set:cross_zone=forbid（可重复）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    p.add_argument("--keep-partial", action="store_true",
                   help="按 Ctrl-C 中断求解时仍写出当时的方案（record.json 记为 interrupted）")


def run(args) -> int:
    inputs = [args.dataset, args.previous]
    check_output(args.out, inputs, kind="plan")  # before any heavy work
    limit = _time_limit(args.time_limit)
    dataset = load_dataset(args.dataset)
    for warning in dataset.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    previous = read_plan(args.previous) if args.previous else None
    if not (args.seed or dataset.settings.seed or previous):
        print("未指定随机种子，已生成公开种子（请记录并公示）。", file=sys.stderr)
    earlier = previous.record.changes if previous is not None and previous.record else []
    shown_limit = limit or dataset.settings.time_limit_s
    today, demonstration = plan_today(today_arg(args.today) if args.today else None, dataset.settings, date.today())
    result, interrupted = run_stoppable(lambda stop: run_plan(
        dataset, seed=args.seed, previous=previous, changes=earlier + args.change, today=today, time_limit_s=limit,
        progress=None if args.quiet else progress_bar(shown_limit), stop=stop))
    if not args.quiet:
        print(file=sys.stderr)
    if interrupted and not args.keep_partial:
        print(f"已中断：求解被 Ctrl-C 停止，未写入任何文件（{args.out} 保持原样）。"
              "如需保存中断时的方案，请加 --keep-partial 重新运行。", file=sys.stderr)
        return 130
    result.record.interrupted = interrupted
    result.write(args.out, inputs)
    if previous is None:
        print(plan_day(result.dataset.workdays, result.dataset.settings, today, demonstration=demonstration).sentence())
    print_summary(result, args.out)
    return 130 if interrupted else 0


def _time_limit(text: str | None) -> float | None:
    """--time-limit is read by the same parser as settings.toml's time_limit_s."""
    if text is None:
        return None
    try:
        return SETTING_KEYS["time_limit_s"].parse(text)
    except BadValue as bad:
        raise UserError(f"--time-limit {text}：{bad.message}。{bad.fix}") from None


def progress_bar(limit_s: float):
    """One status line, rewritten in place: time used against the limit, the stage, objective and bound."""
    def show(p: Progress) -> None:
        done = min(p.elapsed_s / max(limit_s, 1e-9), 1.0)
        bar = "█" * round(done * 20) + "·" * (20 - round(done * 20))
        print(f"\r{bar} {p.elapsed_s:5.1f}/{limit_s:.0f} 秒  求解{STAGE_WORDS.get(p.stage, p.stage)} "
              f"[{p.part + 1}/{p.parts}] {LEVEL_WORDS.get(p.level, p.level)}  目标 {p.objective:,.0f}  下界 {p.bound:,.0f}",
              end="", file=sys.stderr, flush=True)
    return show


def print_summary(result: PlanRun, out: str) -> None:
    record = result.record
    metrics, solver = record.metrics, record.solver
    assert solver is not None
    print(f"种子：{record.seed}")
    print(f"期间：{record.period}，工作日 {len(result.dataset.workdays)} 天")
    print(f"联合检查 {metrics['visits']} 次，未排程 {metrics['unscheduled']} 家，人员安排 {metrics['assignments']} 人次")
    ratio = metrics.get("zone_ratio_max")
    print(f"片区内与按在岗天数应得份额之差最大 {metrics['max_fair_spread']} 次，"
          f"片区间人均负荷比最大 {'—' if ratio is None else ratio}，跨片区借调 {metrics['cross_zone_loans']} 人次，"
          f"每人每日乡镇数 {metrics['towns_per_inspector_day']}")
    print(f"求解结果：{solver.quality}，用时 {solver.wall_s} 秒")
    for reason in solver.balance.values():
        print(f"片区间均衡未达目标：{reason}")
    if record.interrupted:
        print("注意：求解被 Ctrl-C 中断，按 --keep-partial 写出的是中断时的方案（record.json 中 interrupted = true），"
              "未求解完成，不能按同样输入重现。")
    elif not solver.reproducible:
        print("注意：求解因时钟安全上限或手动停止而提前结束，本方案不能按同样输入逐字节重现。")
    if result.moves:
        print(f"与上一版相比调整了 {len(result.moves)} 次检查（见 changes.csv）")
    print(f"已写入 {out}")
