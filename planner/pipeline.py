"""`plan`: draw, schedule and write a plan folder; with a previous plan and changes, re-plan minimally."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from models.dataset import Dataset
from models.loader import load_dataset
from models.problems import UserError
from planner.draw import Draw, draw, new_seed
from planner.output import csv_bytes
from planner.plan import Plan
from planner.replan import MOVE_COLUMNS, Move, apply_changes, parse_change, plan_moves
from planner.schedule.quarter import plan_quarter
from planner.schedule.solve import Progress, ProgressFn


@dataclass
class PlanRun:
    dataset: Dataset  # as planned, with the what-if changes applied
    draw: Draw
    plan: Plan
    moves: list[Move] = field(default_factory=list)

    def files(self) -> dict[str, bytes]:
        extra = dict(self.draw.files())
        if self.moves:
            extra["changes.csv"] = _moves_csv(self.moves)
        return extra

    def write(self, folder: Path) -> None:
        self.plan.write(Path(folder), self.files())


def run_plan(dataset: Dataset, *, seed: str | None = None, previous: Plan | None = None,
             changes: list[str] = (), time_limit_s: float | None = None, progress: ProgressFn | None = None,
             stop=None) -> PlanRun:
    """The whole job. `dataset` is the base dataset and `changes` every what-if change since it (a re-plan of
    a re-plan repeats the earlier changes); a re-plan keeps the previous plan's seed, so the draw stays the same
    draw."""
    changes = list(changes)
    parsed = [parse_change(c) for c in changes]
    dataset, urgent = apply_changes(dataset, parsed)
    if previous is not None:
        seed = seed or previous.record.get("seed")
    seed = seed or dataset.settings.seed or new_seed()
    the_draw = draw(dataset, seed)
    plan = plan_quarter(dataset, the_draw, previous=previous, urgent=urgent, time_limit_s=time_limit_s,
                        progress=progress, stop=stop)
    moves = plan_moves(dataset, previous, plan) if previous is not None else []
    if changes:
        plan.record["changes"] = changes
    if previous is not None:
        plan.record["moved"] = len(moves)
    return PlanRun(dataset, the_draw, plan, moves)


def cli_plan(args) -> int:
    dataset = load_dataset(args.dataset)
    previous = _read_previous(args.previous) if args.previous else None
    if not (args.seed or dataset.settings.seed or previous):
        print("未指定随机种子，已生成公开种子（请记录并公示）。", file=sys.stderr)
    earlier = previous.record.get("changes", []) if previous else []  # --change adds to the previous plan's
    run = run_plan(dataset, seed=args.seed, previous=previous, changes=earlier + args.change,
                   time_limit_s=args.time_limit, progress=None if args.quiet else _progress_bar(
                       args.time_limit or dataset.settings.time_limit_s))
    run.write(Path(args.out))
    if not args.quiet:
        print(file=sys.stderr)
    _print_summary(run, Path(args.out))
    return 0


def _read_previous(folder: str) -> Plan:
    if not (Path(folder) / "visits.csv").exists():
        raise UserError(f"上一版方案文件夹 {folder} 中没有 visits.csv")
    return Plan.read(Path(folder))


def _progress_bar(limit_s: float):
    """One status line, rewritten in place: time used against the limit, the stage, objective and bound."""
    def show(p: Progress) -> None:
        done = min(p.elapsed_s / max(limit_s, 1e-9), 1.0)
        bar = "█" * round(done * 20) + "·" * (20 - round(done * 20))
        stage = {"teams": "检查组", "days": "日期"}[p.stage]
        print(f"\r{bar} {p.elapsed_s:5.1f}/{limit_s:.0f} 秒  求解{stage} [{p.part + 1}/{p.parts}]  "
              f"目标 {p.objective:,.0f}  下界 {p.bound:,.0f}", end="", file=sys.stderr, flush=True)
    return show


def _print_summary(run: PlanRun, out: Path) -> None:
    record, metrics = run.plan.record, run.plan.record["metrics"]
    solver = record["solver"]
    print(f"种子：{record['seed']}")
    print(f"期间：{record['period']}，工作日 {len(run.dataset.workdays)} 天")
    print(f"联合检查 {metrics['visits']} 次，未排程 {metrics['unscheduled']} 家，人员安排 {metrics['assignments']} 人次")
    print(f"负荷差（部门×片区最大）{metrics['max_spread']}，跨片区借调 {metrics['cross_zone_loans']} 人次，"
          f"每人每日乡镇数 {metrics['towns_per_inspector_day']}")
    if solver["gap"] is None:
        print(f"求解状态 {solver['status']}（部分子问题在时限内未求得解，沿用贪心初始方案），用时 {solver['wall_s']} 秒")
    else:
        print(f"求解状态 {solver['status']}，目标 {solver['objective']:,.0f}，下界 {solver['bound']:,.0f}，"
              f"差距 {solver['gap']:.2%}，用时 {solver['wall_s']} 秒")
    if run.moves:
        print(f"与上一版相比调整了 {len(run.moves)} 次检查（见 changes.csv）")
    print(f"已写入 {out}")


def _moves_csv(moves: list[Move]) -> bytes:
    return csv_bytes(MOVE_COLUMNS, ([m.credit_code, m.business_name, m.before_date or "", m.after_date or "",
                                     ";".join(m.before_team), ";".join(m.after_team), m.reason] for m in moves))
