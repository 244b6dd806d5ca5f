"""`plan-many DATASETS_DIR --out PLANS_DIR [--engine serial|ray] [--address ADDR]`: every county of a folder."""
from __future__ import annotations

import sys

from models.problems import UserError
from planner.cli.plan import _time_limit
from planner.many import plan_many
from planner.many.engines import ENGINES
from planner.many.jobs import BAD_DATA, FAILED, PLANNED, PROBLEMS_FILE, CountyOutcome
from planner.many.summary import SUMMARY_CSV, SUMMARY_XLSX


def add_arguments(p) -> None:
    p.add_argument("datasets_dir", help="各县（市、区）数据集所在的文件夹：每个子文件夹（或 .xlsx、.zip）是一个县")
    p.add_argument("--out", required=True, help="输出文件夹：每县一个方案子文件夹，另有 summary.csv 与 summary.xlsx")
    add_engine_arguments(p)
    p.add_argument("--time-limit", help="每个县的求解时限（秒），覆盖各县 settings.toml 的 time_limit_s")
    p.add_argument("--quiet", action="store_true", help="不显示进度")


def add_engine_arguments(p) -> None:
    p.add_argument("--engine", choices=ENGINES, default="auto",
                   help="auto（缺省）：按工作量与本机核数选择并说明原因；serial：在本进程逐县排程；"
                        "ray：用 Ray 并行（需 pip install '.[cluster]'）")
    p.add_argument("--address", help="已有 Ray 集群的地址（如 auto 或 ray://主机:10001）；缺省时在本机启动 Ray")
    p.add_argument("--workers", type=int, help="本机 Ray 使用的 CPU 核数（缺省为全部核）")


def check_engine_arguments(args) -> None:
    if args.engine == "serial" and (args.address or args.workers):
        raise UserError("--address 与 --workers 只用于 --engine ray 或 auto")
    if args.workers is not None and args.workers < 1:
        raise UserError(f"--workers 应为正整数，而不是 {args.workers}")


def run(args) -> int:
    check_engine_arguments(args)
    result = plan_many(args.datasets_dir, args.out, engine=args.engine, address=args.address, workers=args.workers,
                       time_limit_s=_time_limit(args.time_limit), on_done=None if args.quiet else show_progress,
                       on_engine=None if args.quiet else show_engine)
    outcomes: list[CountyOutcome] = result.outcomes
    planned = [o for o in outcomes if o.status == PLANNED]
    print(f"已排程 {len(planned)}/{len(outcomes)} 个县（市、区），总用时 {result.wall_s:.1f} 秒（引擎 {result.engine.engine}）")
    for o in outcomes:
        if o.status == BAD_DATA:
            print(f"数据有误，未排程：{o.name}（{len(o.problems)} 处问题，见 {args.out}/{o.name}/{PROBLEMS_FILE}）")
        elif o.status == FAILED:
            print(f"出错，未排程：{o.name}：{o.problems[0]}")
        if o.attempt > 1:
            print(f"重跑：{o.name}（工作进程中断后由 Ray 重新运行，第 {o.attempt} 次完成）")
        if o.figures.get("seed_generated"):
            print(f"{o.name} 未指定随机种子，已生成公开种子 {o.figures['seed']}（请记录并公示）")
        if o.status == PLANNED and not o.figures["reproducible"]:
            print(f"注意：{o.name} 的求解因时钟安全上限提前结束，其方案不能按同样输入逐字节重现")
    if result.skipped:
        print(f"已跳过（不是数据集）：{'、'.join(result.skipped)}")
    for line in same_lines(result.same):
        print(line)
    print(f"汇总：{args.out}/{SUMMARY_CSV}、{args.out}/{SUMMARY_XLSX}")
    return 0 if len(planned) == len(outcomes) else 1


def show_engine(choice) -> None:
    print(f"引擎：{choice.engine}（{choice.reason}）", file=sys.stderr, flush=True)


def same_lines(same: dict[str, list[str]]) -> list[str]:
    """Entries of the datasets folder that are one dataset (a link, or two names for one file): planned once."""
    return [f"同一数据集：{'、'.join(others)} 与 {county} 指向同一个数据集（链接或同一文件），只按 {county} 排程一次，不重复计入汇总"
            for county, others in same.items()]


def show_progress(outcome: CountyOutcome, done: int, total: int) -> None:
    """One line per county as it finishes, behind a bar of the counties done."""
    print(f"{bar(done, total)} {done}/{total}  {outcome.name}：{county_words(outcome)}", file=sys.stderr, flush=True)


def bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / max(total, 1))
    return "█" * filled + "·" * (width - filled)


def county_words(o: CountyOutcome) -> str:
    again = f"（第 {o.attempt} 次运行）" if o.attempt > 1 else ""
    if o.status == PLANNED:
        f = o.figures
        return (f"已排程，联合检查 {f['visits']} 次，未排程 {f['unscheduled']} 家，{f['quality']}，"
                f"{o.seconds:.1f} 秒{again}")
    if o.status == BAD_DATA:
        return f"数据有误（{len(o.problems)} 处问题），未排程：{o.problems[0]}{again}"
    return f"出错，未排程：{o.problems[0]}{again}"
