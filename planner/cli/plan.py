"""`plan DATASET --out DIR`: draw and schedule; with --previous and --change, a minimal re-plan."""
from __future__ import annotations

import sys
from datetime import date

from models.loading import load_dataset
from models.problems import UserError
from models.schema import BadValue
from models.settings import SETTING_KEYS
from planner.check.self_check import write_verified
from planner.check.summary import plan_shortfall
from planner.cli.args import today_arg
from planner.cli.interrupt import run_stoppable
from planner.draw.year import read_quarter_share
from planner.output import check_output, display_width
from planner.plan.api import run_plan
from planner.plan.appointments import decision_sentence
from planner.plan.folder import read_plan
from planner.plan.pipeline import PlanRun
from planner.plan.previous import REASON_WORDS, capped_by_earlier
from planner.plan.record import LEVEL_WORDS, STAGE_WORDS
from planner.plan.today import plan_day, plan_today
from planner.quarter.year import plan_folders, read_earlier_quarters
from planner.schedule.solve import Progress


def add_arguments(p) -> None:
    p.add_argument("dataset", help="数据集文件夹（CSV）、.xlsx 工作簿或 .zip 压缩包")
    p.add_argument("--out", required=True, help="输出的方案文件夹")
    p.add_argument("--seed", help="公开随机种子（缺省时取上一版方案或 settings.toml，或新生成并打印）")
    p.add_argument("--time-limit", help="求解时限（秒），覆盖 settings.toml 的 time_limit_s")
    p.add_argument("--previous", help="上一版方案文件夹：重排时尽量不动原安排")
    p.add_argument("--annual-plan", metavar="DIR",
                   help="年度抽查计划文件夹（plan-year 生成）：ratio_basis = \"year\" 时本季度抽取其中的份额")
    p.add_argument("--previous-quarter", action="append", default=[], metavar="PLAN_DIR",
                   help="本年度此前季度的方案文件夹（可重复，或给出存放全年方案的文件夹）：其检查结果计入年度上限，"
                        "未完成的检查与未完成的整改复查结转到本季度")
    p.add_argument("--today", help="今天的日期 YYYY-MM-DD（缺省为系统日期；示例数据为其设置的演示日期）：首次排程从"
                                   "今天起第一个未锁定的工作日开始安排，重排时此前的检查与锁定期内的检查保持不动")
    p.add_argument("--change", action="append", default=[],
                   help="重排的变化，例如 absent:I001:2026-10-12:2026-10-16、remove:I002、"
                        "urgent:<统一社会信用代码>、set:cross_zone=forbid、企业预约 prefer:<统一社会信用代码>:<起>:<止> "
                        "或 avoid:<统一社会信用代码>:<起>:<止>（可重复）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    p.add_argument("--keep-partial", action="store_true",
                   help="按 Ctrl-C 中断求解时仍写出当时的方案（record.json 记为 interrupted）")


def run(args) -> int:
    inputs = [args.dataset, args.previous, args.annual_plan, *args.previous_quarter]
    check_output(args.out, inputs, kind="plan")  # before any heavy work
    limit = _time_limit(args.time_limit)
    dataset = load_dataset(args.dataset)
    for warning in dataset.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    previous = read_plan(args.previous) if args.previous else None
    earlier = read_earlier_quarters(plan_folders(args.previous_quarter), dataset) if args.previous_quarter else None
    share = read_quarter_share(args.annual_plan, dataset.settings.period) if args.annual_plan else None
    if not (args.seed or dataset.settings.seed or previous):
        print("未指定随机种子，已生成公开种子（请记录并公示）。", file=sys.stderr)
    recorded = previous.record.changes if previous is not None and previous.record else []
    shown_limit = limit or dataset.settings.time_limit_s
    today, demonstration = plan_today(today_arg(args.today) if args.today else None, dataset.settings, date.today())
    result, interrupted = run_stoppable(lambda stop: run_plan(
        dataset, seed=args.seed, previous=previous, changes=recorded + args.change, today=today, time_limit_s=limit,
        quarters=earlier, share=share,
        progress=None if args.quiet else progress_bar(shown_limit), stop=stop))
    if not args.quiet:
        print(file=sys.stderr)
    if interrupted and not args.keep_partial:
        print(f"已中断：求解被 Ctrl-C 停止，未写入任何文件（{args.out} 保持原样）。"
              "如需保存中断时的方案，请加 --keep-partial 重新运行。", file=sys.stderr)
        return 130
    if interrupted:
        result.mark_interrupted()
    write_verified(result, args.out, inputs)
    if previous is None:
        print(plan_day(result.dataset.workdays, result.dataset.settings, today, demonstration=demonstration).sentence())
    print_summary(result, args.out)
    if earlier:
        print_earlier(result, dataset, earlier)
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
    """One status line, rewritten in place: time used against the limit, the stage and its part, the level being
    reduced with its own value so far and the least it can be (proven), e.g. '安排检查组（第 3/7 部分）
    正在减少：跨片区借调人次，当前 45，已证明不少于 45'."""
    widest = [0]

    def show(p: Progress) -> None:
        done = min(p.elapsed_s / max(limit_s, 1e-9), 1.0)
        bar = "█" * round(done * 20) + "·" * (20 - round(done * 20))
        line = (f"{bar} {p.elapsed_s:5.1f}/{limit_s:.0f} 秒  安排{STAGE_WORDS.get(p.stage, p.stage)}"
                f"（第 {p.part + 1}/{p.parts} 部分）正在减少：{LEVEL_WORDS.get(p.level, p.level)}，"
                f"当前 {p.value:,.0f}，已证明不少于 {p.bound:,.0f}")
        widest[0] = max(widest[0], display_width(line))  # a shorter line blanks what the longer one left
        print(f"\r{line}{' ' * (widest[0] - display_width(line))}", end="", file=sys.stderr, flush=True)
    return show


def print_summary(result: PlanRun, out: str) -> None:
    record = result.record
    metrics, solver = record.metrics, record.solver
    assert solver is not None
    print(f"种子：{record.seed}")
    print(f"期间：{record.period}，工作日 {len(result.dataset.workdays)} 天")
    print(f"联合检查 {metrics['visits']} 次，未排程 {metrics['unscheduled']} 家，人员安排 {metrics['assignments']} 人次")
    shortfall = plan_shortfall(result.dataset, len(result.plan.visits), result.plan.unscheduled)
    if shortfall:
        print(f"注意：{shortfall}")
    ratio = metrics.get("zone_ratio_max")
    print(f"片区内与按在岗天数应得份额之差最大 {metrics['max_fair_spread']} 次，"
          f"片区间人均负荷比最大 {'—' if ratio is None else ratio}，跨片区借调 {metrics['cross_zone_loans']} 人次，"
          f"每人每日乡镇数 {metrics['towns_per_inspector_day']}")
    print(f"求解结果：{solver.quality}；排程用时 {solver.wall_s:.1f} 秒（建模、求解与补排，不含读取数据、抽取和写出文件）")
    for reason in solver.balance.values():
        print(f"片区间均衡未达目标：{reason}")
    if record.interrupted:
        print("注意：求解被 Ctrl-C 中断，按 --keep-partial 写出的是中断时的方案（record.json 中 interrupted = true），"
              "未求解完成，不能按同样输入重现。")
    elif not solver.reproducible:
        print("注意：求解因时钟安全上限或手动停止而提前结束，本方案不能按同样输入逐字节重现。")
    if result.moves:
        print(f"与上一版相比调整了 {len(result.moves)} 次检查（见 changes.csv）")
    for warning in result.warnings:
        print(f"注意：{warning}")
    for decision in result.appointments:  # 企业预约: honoured, or why not (also in appointments.csv)
        print(decision_sentence(result.dataset, decision))
    print(f"已写入 {out}")


def print_earlier(result: PlanRun, dataset, earlier) -> None:
    """What the earlier quarters brought: the plans read, what was carried (and where it went), what the cap
    excluded beyond history.csv."""
    plans = "、".join(f"{p.period}（承诺值 {p.commitment[:12]}…）" for p in earlier.plans)
    print(f"此前季度：{plans}；计入年度上限的检查 {sum(c.capped for c in earlier.checks)} 次"
          f"（另有整改复查 {sum(not c.capped for c in earlier.checks)} 次不计入）")
    placed = {(v.credit_code, v.kind == "recheck"): v for v in result.plan.visits if v.carried_from}
    print(f"结转 {len(earlier.carried)} 项，已排入本季度 {len(placed)} 项：")
    for c in earlier.carried:
        visit = placed.get((c.credit_code, c.is_recheck))
        where = f"{visit.date}（{visit.visit_id}）" if visit else "未能排程（见 unscheduled.csv）"
        print(f"  - {c.credit_code} {'、'.join(c.item_ids)}：{REASON_WORDS.get(c.reason, c.reason)}（{c.period}）→ {where}")
    capped = capped_by_earlier(dataset, earlier)
    names = {d.dept_id: d.name for d in dataset.departments}
    if capped:
        print("年度上限（yearly_cap = {}）因此前季度的检查排除：{}".format(dataset.settings.yearly_cap, "；".join(
            f"{names.get(d, d)} {len(codes)} 家" for d, codes in capped.items())))
    else:
        print(f"年度上限（yearly_cap = {dataset.settings.yearly_cap}）：此前季度的检查未使任何对象达到上限")
