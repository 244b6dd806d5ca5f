"""plan-many and verify-many: every county of a datasets folder, on the engine asked for."""
from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models.problems import UserError
from planner.many.counties import find_counties
from planner.many.engines import EngineChoice, OnDone, choose_engine, run_jobs
from planner.many.jobs import FAILED, CountyJob, CountyOutcome, VerifyJob, VerifyOutcome, plan_county, verify_county
from planner.many.summary import summary_files
from planner.output import atomic_folder

KIND = "many"  # planner.output's kind of the folder: a plan folder per county and the summary
ATTEMPTS_DIR = ".attempts"  # the run's scratch inside the folder being built; gone before it is published


@dataclass
class ManyResult:
    outcomes: list  # CountyOutcome or VerifyOutcome, by county name
    skipped: list[str] = field(default_factory=list)  # entries of the datasets folder that hold no dataset
    same: dict[str, list[str]] = field(default_factory=dict)  # county -> other entries of the same dataset
    wall_s: float = 0.0
    engine: EngineChoice = EngineChoice("serial", "")


def plan_many(datasets_dir: str | Path, out: str | Path, *, engine: str = "auto", address: str | None = None,
              workers: int | None = None, time_limit_s: float | None = None,
              on_done: OnDone | None = None, on_engine: Callable[[EngineChoice], None] | None = None,
              job=plan_county) -> ManyResult:
    """Plan every county of `datasets_dir` into `out/<county>/`, with `out/summary.csv` and `summary.xlsx`.

    `out` appears whole when every county has finished (planned, or its problems listed), or not at all.
    `engine` "auto" lets choose_engine pick (`on_engine` hears which, and why, before the work starts); `job` is
    the county's job (a test passes one that dies once, to see Ray re-run it)."""
    if Path(datasets_dir).resolve() in Path(out).resolve().parents:
        raise UserError(f"输出文件夹 {out} 在数据集文件夹 {datasets_dir} 之中：下次运行会把它当作一个县。"
                        "请把输出放在数据集文件夹之外")
    found = find_counties(datasets_dir)
    choice = _engine(engine, found.counties, address, workers, on_engine)
    started = time.perf_counter()
    with atomic_folder(out, kind=KIND, inputs=[datasets_dir]) as tmp:
        attempts = tmp / ATTEMPTS_DIR
        attempts.mkdir()
        jobs = [CountyJob(c.name, str(c.source.resolve()), str(tmp / c.name), str(attempts), time_limit_s)
                for c in found.counties]
        outcomes = run_jobs(job, jobs, _lost, engine=choice.engine, address=address, workers=workers, on_done=on_done)
        _remove_scratch(tmp)
        for name, data in summary_files(outcomes, found.same).items():
            (tmp / name).write_bytes(data)
    return ManyResult(sorted(outcomes, key=lambda o: o.name), found.skipped, found.same,
                      round(time.perf_counter() - started, 2), choice)


def verify_many(plans_dir: str | Path, datasets_dir: str | Path, *, engine: str = "auto",
                address: str | None = None, workers: int | None = None,
                on_done: OnDone | None = None, on_engine: Callable[[EngineChoice], None] | None = None) -> ManyResult:
    """`verify` every county of `datasets_dir` against its plan in `plans_dir/<county>/`."""
    found = find_counties(datasets_dir)
    choice = _engine(engine, found.counties, address, workers, on_engine)
    started = time.perf_counter()
    jobs = [VerifyJob(c.name, str(c.source.resolve()), str(Path(plans_dir, c.name).resolve())) for c in found.counties]
    outcomes = run_jobs(verify_county, jobs, _lost_check, engine=choice.engine, address=address, workers=workers,
                        on_done=on_done)
    return ManyResult(sorted(outcomes, key=lambda o: o.name), found.skipped, found.same,
                      round(time.perf_counter() - started, 2), choice)


def _engine(asked: str, counties, address, workers, on_engine) -> EngineChoice:
    choice = choose_engine(asked, [c.size / 1e6 for c in counties], address=address, workers=workers)
    if on_engine is not None:
        on_engine(choice)
    return choice


def _lost(job: CountyJob, reason: str) -> CountyOutcome:
    return CountyOutcome(job.name, FAILED, 0.0, problems=(reason,))


def _lost_check(job: VerifyJob, reason: str) -> VerifyOutcome:
    return VerifyOutcome(job.name, FAILED, 0.0, (reason,))


def _remove_scratch(folder: Path) -> None:
    """The attempt marks, and what a worker that died mid-write left (atomic_folder's hidden temporaries):
    all made by this run inside the folder it is building."""
    for entry in folder.iterdir():
        if entry.name.startswith("."):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
