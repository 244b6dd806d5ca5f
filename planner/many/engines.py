"""Where the county jobs run: one after another in this process, or as Ray tasks.

With Ray, each county is one task of one CPU (its solve is single-threaded and deterministic, so where it runs
does not change its plan); tasks are submitted largest county first, so the slowest does not start last. A
task whose worker dies is re-run by Ray (RETRIES times); a county that still finds no worker is reported as
failed and the run goes on. Ray is optional (`pip install .[cluster]`).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from models.problems import UserError

ENGINES = ("serial", "ray")
RETRIES = 2  # re-runs of a county whose worker died (Ray's max_retries)
RAY_MISSING = ("未安装 Ray，无法使用 --engine ray。请先安装：pip install '.[cluster]'（在项目目录中），"
               "或 pip install 'ray>=2.40'；也可以改用 --engine serial 逐个县排程")

Job = Any
Outcome = Any
OnDone = Callable[[Outcome, int, int], None]  # (outcome, counties done, counties in all)


def run_jobs(fn: Callable[[Job], Outcome], jobs: Sequence[Job], lost: Callable[[Job, str], Outcome], *,
             engine: str = "serial", address: str | None = None, workers: int | None = None,
             on_done: OnDone | None = None) -> list[Outcome]:
    """Every job's outcome, in the order they finished; `on_done` hears of each as it finishes."""
    def report(outcome: Outcome, done: int) -> None:
        if on_done is not None:
            on_done(outcome, done, len(jobs))

    if engine == "serial":
        return _serial(fn, jobs, report)
    if engine == "ray":
        return _ray(fn, jobs, lost, report, address, workers)
    raise UserError(f"未知的引擎「{engine}」，可选 {'、'.join(ENGINES)}")


def _serial(fn, jobs, report) -> list[Outcome]:
    outcomes = []
    for job in jobs:
        outcomes.append(fn(job))
        report(outcomes[-1], len(outcomes))
    return outcomes


def _ray(fn, jobs, lost, report, address: str | None, workers: int | None) -> list[Outcome]:
    ray = import_ray()
    started_here = not ray.is_initialized()  # a caller's (or a test's) running Ray is used and left running
    if started_here:
        start_ray(ray, address, workers)
    try:
        task = ray.remote(num_cpus=1, max_retries=RETRIES)(fn)
        pending = {task.remote(job): job for job in jobs}  # submitted in the jobs' order: largest first
        outcomes = []
        while pending:
            (ready,), _ = ray.wait(list(pending), num_returns=1)
            job = pending.pop(ready)
            try:
                outcomes.append(ray.get(ready))
            except ray.exceptions.RayError as error:  # retries used up: this county fails, the others go on
                outcomes.append(lost(job, f"Ray 重跑 {RETRIES} 次后仍未完成（{type(error).__name__}）"))
            report(outcomes[-1], len(outcomes))
        return outcomes
    finally:
        if started_here:
            ray.shutdown()


def import_ray():
    try:
        import ray
    except ImportError:
        raise UserError(RAY_MISSING) from None
    return ray


def start_ray(ray, address: str | None, workers: int | None) -> None:
    """Join the cluster at `address`, or start Ray on this machine with `workers` CPUs (default: all cores).

    Ray keeps its session files and logs in its own temporary folder, never in the plans folder; workers'
    output is not echoed, so the terminal shows only our progress."""
    options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
    if address:
        options["address"] = address
    elif workers:
        options["num_cpus"] = workers
    try:
        ray.init(**options)
    except (ConnectionError, RuntimeError, ValueError) as error:
        where = f"集群 {address}" if address else "本机的 Ray"
        raise UserError(f"无法启动或连接{where}：{error}。请检查 --address（例如 ray://主机:10001 或 auto）") from None
