"""Where the county jobs run: one after another in this process, or as Ray tasks — chosen by the work and the
machine (`choose_engine`) unless asked for.

With Ray, each county is one task reserving the CPUs its solves use (`TASK_CPUS`: a first plan's CP-SAT runs
on one worker; where it runs does not change its plan); tasks are submitted largest county first, so the slowest
does not start last. A task whose worker dies is re-run by Ray (RETRIES times); a county that still finds no
worker is reported as failed and the run goes on. Ray is optional (`pip install .[cluster]`).
"""
from __future__ import annotations

import heapq
import importlib.util
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from models.problems import UserError
from planner.schedule.solve import solve_cpus

ENGINES = ("auto", "serial", "ray")
RETRIES = 2  # re-runs of a county whose worker died (Ray's max_retries)
TASK_CPUS = solve_cpus(replan=False)  # what one county's plan keeps busy: plan-many makes first plans
# Measured on the 2-core reference machine (docs/many.md): a county's plan takes about this long per MB of its
# files (the registry dominates), and Ray costs its start plus each worker's first import of the planner.
SECONDS_PER_MB = 4.0
RAY_START_S = 6.0
RAY_MISSING = ("未安装 Ray，无法使用 --engine ray。请先安装：pip install '.[cluster]'（在项目目录中），"
               "或 pip install 'ray>=2.40'；也可以改用 --engine serial 逐个县排程")

Job = Any
Outcome = Any
OnDone = Callable[[Outcome, int, int], None]  # (outcome, counties done, counties in all)


@dataclass(frozen=True)
class EngineChoice:
    engine: str  # serial | ray
    reason: str  # why, in words (简体中文)


def choose_engine(asked: str, sizes_mb: Sequence[float], *, cores: int | None = None, address: str | None = None,
                  workers: int | None = None, ray_installed: bool | None = None) -> EngineChoice:
    """The engine for counties of `sizes_mb` (their files' size), largest first: as asked, or with "auto" Ray
    only where it can help — a cluster to join, or at least two tasks at once on this machine and an estimated
    run (largest first onto the free cores, plus Ray's start) shorter than one county after another."""
    cores = cores or workers or available_cores()
    at_once = cores // TASK_CPUS
    reserve = f"每个县的任务预留 {TASK_CPUS} 个 CPU（首次排程的 CP-SAT 求解单线程运行）"
    if asked == "serial":
        return EngineChoice("serial", "按要求逐县排程")
    if asked == "ray":
        return EngineChoice("ray", f"按要求使用 Ray；{reserve}")
    if address:
        return EngineChoice("ray", f"连接 Ray 集群 {address}；{reserve}")
    if not (ray_is_installed() if ray_installed is None else ray_installed):
        return EngineChoice("serial", "未安装 Ray（pip install '.[cluster]'），逐县排程")
    if at_once < 2:
        return EngineChoice("serial", f"本机可用 {cores} 个核，每个县的求解需要 {TASK_CPUS} 个，同时只能排一个县：Ray 帮不上")
    if len(sizes_mb) < 2:
        return EngineChoice("serial", "只有一个县：Ray 帮不上")
    estimate = [SECONDS_PER_MB * mb for mb in sizes_mb]
    serial_s, ray_s = sum(estimate), largest_first(estimate, at_once) + RAY_START_S
    words = f"估计逐县排程约 {serial_s:.0f} 秒，Ray（{at_once} 个任务并行，含启动约 {RAY_START_S:.0f} 秒）约 {ray_s:.0f} 秒"
    if ray_s >= serial_s:
        return EngineChoice("serial", f"{words}：工作量小，Ray 省不了时间")
    return EngineChoice("ray", f"{words}；{reserve}")


def available_cores() -> int:
    """The cores this process may run on (a container's or a scheduler's limit, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ray_is_installed() -> bool:
    return importlib.util.find_spec("ray") is not None


def largest_first(seconds: Sequence[float], cores: int) -> float:
    """When the last job ends, each job (largest first) onto the core that is free first."""
    free = [0.0] * max(cores, 1)
    for s in sorted(seconds, reverse=True):
        heapq.heappush(free, heapq.heappop(free) + s)
    return max(free)


def run_jobs(fn: Callable[[Job], Outcome], jobs: Sequence[Job], lost: Callable[[Job, str], Outcome], *,
             engine: str = "serial", address: str | None = None, workers: int | None = None,
             on_done: OnDone | None = None) -> list[Outcome]:
    """Every job's outcome, in the order they finished; `on_done` hears of each as it finishes. `engine` is
    serial or ray (choose_engine picks one for "auto")."""
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
        task = ray.remote(num_cpus=TASK_CPUS, max_retries=RETRIES)(fn)
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
