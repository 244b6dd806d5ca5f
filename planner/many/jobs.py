"""One county's job: plan it (or verify its plan) from paths, in whatever process the engine chose.

A job takes paths and returns a small outcome, never a dataset or a plan: a Ray worker loads the county itself
and writes its plan folder, so nothing large crosses between processes or machines. A county whose data are bad
gets its problems listed (problems.csv) and no plan; any other fault stays inside its county.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path

from models.loading import load_dataset
from models.problems import DatasetError, Problem, UserError
from planner.check.self_check import write_verified
from planner.check.verify import verify_plan
from planner.output import atomic_folder, repair_folder, write_csv
from planner.plan.api import run_plan
from planner.plan.pipeline import PlanRun
from planner.plan.record import RECORD_FILE

PLANNED, BAD_DATA, FAILED = "planned", "bad_data", "failed"
PASSED, NO_PLAN = "passed", "no_plan"
PROBLEMS_FILE = "problems.csv"
PROBLEM_COLUMNS = ["file", "row", "column", "value", "message", "fix"]


@dataclass(frozen=True)
class CountyJob:
    name: str
    source: str  # the dataset: a path every worker can read
    out: str  # the county's plan folder
    attempts: str  # a folder where each start of this job leaves a mark, so a re-run is seen
    time_limit_s: float | None = None


@dataclass(frozen=True)
class CountyOutcome:
    name: str
    status: str  # PLANNED | BAD_DATA | FAILED
    seconds: float  # load, plan and write, measured in the worker
    attempt: int = 1  # 2 or more: an earlier attempt's worker died and the engine re-ran the county
    figures: dict = field(default_factory=dict)  # a planned county's summary figures (summary.county_row)
    problems: tuple[str, ...] = ()
    cpu_s: float = 0.0  # the worker's CPU time for it: below `seconds` when others share the cores


def plan_county(job: CountyJob) -> CountyOutcome:
    """Validate, draw and plan one county into `job.out`, exactly as `plan` would alone."""
    attempt = mark_attempt(Path(job.attempts), job.name)
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        run = run_plan(load_dataset(job.source), time_limit_s=job.time_limit_s)
        write_verified(run, job.out)
    except DatasetError as error:
        return _bad_data(job, error.problems, started, attempt)
    except UserError as error:
        return _bad_data(job, [Problem(Path(job.source).name, None, None, "", str(error), "")], started, attempt)
    except Exception as error:  # a fault in one county must not stop the others: reported, never a traceback
        return CountyOutcome(job.name, FAILED, _since(started), attempt, problems=(_fault(error),))
    return CountyOutcome(job.name, PLANNED, _since(started), attempt, county_figures(run),
                         cpu_s=round(time.process_time() - cpu_started, 2))


def county_figures(run: PlanRun) -> dict:
    record, visits = run.record, run.plan.visits
    metrics, solver = record.metrics, record.solver
    assert solver is not None
    return {"businesses": len(run.dataset.businesses), "drawn": record.draw.door_knocks.get("visits_merged"),
            "visits": metrics["visits"], "unscheduled": metrics["unscheduled"],
            "joint_share": round(sum(len(v.dept_ids) >= 2 for v in visits) / len(visits), 4) if visits else None,
            "loans": metrics["cross_zone_loans"], "zone_ratio_max": metrics.get("zone_ratio_max"),
            "solver_status": solver.status, "quality": solver.quality, "gap": solver.gap, "work": solver.work,
            "reproducible": solver.reproducible, "seed": record.seed, "period": record.period.text,
            "seed_generated": not run.dataset.settings.seed}


def _bad_data(job: CountyJob, problems: list[Problem], started: float, attempt: int) -> CountyOutcome:
    with atomic_folder(job.out, kind="plan") as tmp:
        write_csv(tmp / PROBLEMS_FILE, PROBLEM_COLUMNS,
                  ([p.file, "" if p.row is None else p.row, p.column or "", p.value, p.message, p.fix]
                   for p in problems))
    return CountyOutcome(job.name, BAD_DATA, _since(started), attempt, problems=tuple(str(p) for p in problems))


def mark_attempt(folder: Path, name: str) -> int:
    """Leave `<name>.<n>` for the n-th start of this county's job; the marks are the run's own scratch."""
    for n in itertools.count(1):
        try:
            (folder / f"{name}.{n}").touch(exist_ok=False)
            return n
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class VerifyJob:
    name: str
    source: str  # the dataset the plan was made from
    plan: str  # the county's plan folder


@dataclass(frozen=True)
class VerifyOutcome:
    name: str
    status: str  # PASSED | FAILED | NO_PLAN (the county's data were bad: problems.csv, no plan)
    seconds: float
    findings: tuple[str, ...] = ()


def verify_county(job: VerifyJob) -> VerifyOutcome:
    """`verify` on one county: re-derive the draw from the recorded seed and re-check every rule."""
    started = time.perf_counter()
    folder = Path(job.plan)
    repair_folder(folder)  # a replacement a killed run left half done (planner.output)
    if not (folder / RECORD_FILE).is_file():
        if (folder / PROBLEMS_FILE).is_file():
            return VerifyOutcome(job.name, NO_PLAN, _since(started))
        return VerifyOutcome(job.name, FAILED, _since(started), (f"找不到方案文件夹 {folder}（缺少 {RECORD_FILE}）",))
    try:
        findings = verify_plan(folder, load_dataset(job.source)).findings
    except DatasetError as error:
        findings = [str(p) for p in error.problems]
    except UserError as error:
        findings = [str(error)]
    except Exception as error:  # one county's fault is reported with it; the others are still checked
        findings = [_fault(error)]
    return VerifyOutcome(job.name, FAILED if findings else PASSED, _since(started), tuple(findings))


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)


def _fault(error: Exception) -> str:
    return f"程序内部错误（{type(error).__name__}：{error}），其他县（市、区）不受影响；请把本行报告给维护者"
