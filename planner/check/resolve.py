"""verify --resolve: plans are deterministic, so the recorded seed, changes and time limit on the same dataset
must give the plan folder's files again, byte for byte. This catches an edited plan even when nobody kept the
published commitment (docs/commitment.md)."""
from __future__ import annotations

from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from planner.plan import commitment
from planner.plan.api import run_plan
from planner.plan.folder import read_plan
from planner.plan.record import PlanRecord


def resolve_findings(folder: Path, base: Dataset, record: PlanRecord, previous_dir=None) -> list[str]:
    """Findings (简体中文) of solving the plan again from what its record says."""
    if record.solver is None:
        return []  # a draw alone: re-derived and compared row by row already
    if record.interrupted or not record.solver.reproducible:
        return ["[重算] 该方案的求解被中断或因时钟安全上限提前结束（record.json），不能逐字节重算。"]
    if len(record.commitment_chain) > 1 and previous_dir is None:
        raise UserError("该方案是重排的结果：--resolve 还需要 --previous 指定它所依据的上一版方案文件夹。")
    previous = read_plan(previous_dir) if previous_dir is not None else None
    again = run_plan(base, seed=record.seed, previous=previous, changes=record.changes,
                     time_limit_s=record.solver.time_limit_s)
    now, solved = commitment.committed(commitment.folder_files(folder)), commitment.committed(again.files)
    differ = sorted(name for name in now.keys() | solved.keys() if now.get(name) != solved.get(name))
    if not differ:
        return []
    return [f"[重算] 按 record.json 记录的随机种子、变化和求解时限重新求解，{'、'.join(differ)} 与方案文件夹中的不同："
            "方案不是本程序按这些输入生成的，或在生成后被改动。"]
