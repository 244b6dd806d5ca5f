"""Shared fixtures: the tiny fixture dataset and its plan, solved once per test session."""
from __future__ import annotations

import pytest

from models.dataset import Dataset
from models.loader import load_dataset
from planner.plan.pipeline import PlanRun
from planner.whatif.replan import run_plan

TINY = "fixtures/tiny"


@pytest.fixture(scope="session")
def tiny() -> Dataset:
    return load_dataset(TINY)


@pytest.fixture(scope="session")
def tiny_run(tiny) -> PlanRun:
    """The tiny fixture planned once; tests must not change it (copy what they edit)."""
    return run_plan(tiny, time_limit_s=10)


@pytest.fixture(scope="session")
def tiny_plan_dir(tiny_run, tmp_path_factory):
    """The tiny plan written to a folder once; tests that edit files copy it first."""
    folder = tmp_path_factory.mktemp("tiny") / "plan"
    tiny_run.write(folder)
    return folder
