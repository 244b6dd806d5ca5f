"""Datasets folders of tiny counties and a county with bad data; county jobs whose worker dies (passed to
plan_many to see Ray re-run a county)."""
from __future__ import annotations

import csv
import os
from pathlib import Path

from planner.many.jobs import CountyJob, mark_attempt, plan_county
from tools.fixture import write_dataset

BAD = "t9-bad"  # sorts after the good ones; its businesses.csv has a risk class that does not exist


def tiny_counties(folder: Path, seeds=(1, 2, 3), bad: bool = False) -> Path:
    for seed in seeds:
        write_dataset(folder / f"t{seed}", "tiny", seed)
    if bad:
        write_dataset(folder / BAD, "tiny", 9)
        path = folder / BAD / "businesses.csv"
        rows = list(csv.reader(path.open(encoding="utf-8")))
        rows[1][rows[0].index("risk_level")] = "X"
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return folder


def dies_once(job: CountyJob):
    """t2's first attempt marks itself, as plan_county does, and its worker process dies."""
    if job.name == "t2" and not (Path(job.attempts) / "t2.1").exists():
        mark_attempt(Path(job.attempts), job.name)
        os._exit(1)
    return plan_county(job)


def t3_always_dies(job: CountyJob):
    if job.name == "t3":
        os._exit(1)
    return plan_county(job)
