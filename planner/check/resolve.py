"""verify --resolve: plans are deterministic, so the recorded seed, changes, today and time limit on the same dataset
must give the plan folder's files again, byte for byte — as they were when the plan was made (the files its last
plan or re-plan link commits to; results imported since are no part of the solve). This catches an edited plan
even when nobody kept the published commitment (docs/commitment.md)."""
from __future__ import annotations

import json
from pathlib import Path

from models.dataset import Dataset
from models.problems import UserError
from planner.check.annual import recorded_share
from planner.plan import commitment
from planner.plan.api import run_plan
from planner.plan.folder import record_bytes
from planner.plan.model import Plan
from planner.plan.previous import EarlierQuarters
from planner.plan.record import RECORD_FILE, PlanRecord


def resolve_findings(folder: Path, base: Dataset, record: PlanRecord, previous: Plan | None = None) -> list[str]:
    """Findings (简体中文) of solving the plan again from what its record says; a re-plan needs the plan it
    started from (`previous`, checked to be that plan: planner.check.versions.previous_findings)."""
    if record.solver is None:
        return []  # a draw alone: re-derived and compared row by row already
    if record.interrupted or not record.solver.reproducible:
        return ["[重算] 该方案的求解被中断或因时钟安全上限提前结束（record.json），不能逐字节重算。"]
    chain = record.commitment_chain
    solves = [k for k, link in enumerate(chain) if commitment.parse_event(str(link.get("event", ""))).solves]
    last = solves[-1] if solves else 0
    if last > 0 and previous is None:
        raise UserError("该方案是重排的结果：--resolve 还需要 --previous 指定它所依据的上一版方案文件夹。")
    today = commitment.parse_event(str(chain[last].get("event", ""))).today if chain else None
    quarters = EarlierQuarters.from_json(record.previous_quarters) if record.previous_quarters else None
    again = run_plan(base, seed=record.seed, previous=previous, changes=record.changes, today=today,
                     time_limit_s=record.solver.time_limit_s, quarters=quarters,
                     share=recorded_share(record.draw.parameters) if previous is None else None)
    made = chain[last].get("files") if chain else None
    if not isinstance(made, dict):
        made = commitment.committed(commitment.folder_files(folder))
    solved = commitment.committed(again.files)
    differ = sorted(name for name in (made.keys() | solved.keys()) - {RECORD_FILE} if made.get(name) != solved.get(name))
    differ += _record_differs(folder, record_bytes(again.record))
    if not differ:
        return []
    return [f"[重算] 按 record.json 记录的随机种子、变化、今天的日期和求解时限重新求解，{'、'.join(differ)} 与方案生成时的"
            "不同：方案不是本程序按这些输入生成的，或在生成后被改动。"]


def _record_differs(folder: Path, solved: bytes) -> list[str]:
    """record.json's fields that differ from the re-solved record's (commitment.record_body: the measured solve
    time left out)."""
    try:
        now = commitment.record_body(json.loads((folder / RECORD_FILE).read_bytes()))
        again = commitment.record_body(json.loads(solved))
    except ValueError:
        return [RECORD_FILE]
    if now == again:
        return []
    return [f"{RECORD_FILE}（{'、'.join(sorted(k for k in now.keys() | again.keys() if now.get(k) != again.get(k)))}）"]
