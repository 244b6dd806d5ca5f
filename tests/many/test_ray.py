"""The Ray engine (a local cluster of 2 CPUs, started once for the module): the same plans byte for byte as the
serial engine, and a county whose worker dies is re-run, or reported, while the others are planned."""
from __future__ import annotations

import csv
import logging

import pytest

from planner.cli import main
from planner.many import plan_many
from planner.output import MARKER
from tests.many import helpers
from tests.many.helpers import dies_once, t3_always_dies, tiny_counties
from tools.bench.many import plan_bytes

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module", autouse=True)
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    ray.cloudpickle.register_pickle_by_value(helpers)  # the faulty jobs travel to the workers by value
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    return tiny_counties(tmp_path_factory.mktemp("counties"))


@pytest.fixture(scope="module")
def serial(datasets, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "plans"
    plan_many(datasets, out)
    return out


def test_ray_and_serial_give_byte_identical_plans(datasets, serial, tmp_path, capsys):
    out = tmp_path / "ray"
    assert main(["plan-many", str(datasets), "--out", str(out), "--engine", "ray"]) == 0
    for county in ("t1", "t2", "t3"):
        assert plan_bytes(out / county) == plan_bytes(serial / county), county
    progress = capsys.readouterr().err
    assert progress.count("已排程，联合检查") == 3 and "3/3" in progress
    assert ray.is_initialized()  # a Ray the caller started is left running


def test_a_worker_that_dies_has_its_county_rerun(datasets, serial, tmp_path):
    out = tmp_path / "ray"
    result = plan_many(datasets, out, engine="ray", job=dies_once)
    attempts = {o.name: o.attempt for o in result.outcomes}
    assert attempts == {"t1": 1, "t2": 2, "t3": 1}
    assert all(o.status == "planned" for o in result.outcomes)
    assert plan_bytes(out / "t2") == plan_bytes(serial / "t2")
    with (out / "summary.csv").open(encoding="utf-8", newline="") as f:
        assert {r["county"]: r["attempts"] for r in csv.DictReader(f)} == {"t1": "1", "t2": "2", "t3": "1"}
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [MARKER]  # no scratch, no half-written folder


def test_a_county_whose_worker_always_dies_is_reported_and_the_rest_planned(datasets, tmp_path):
    result = plan_many(datasets, tmp_path / "ray", engine="ray", job=t3_always_dies)
    status = {o.name: o.status for o in result.outcomes}
    assert status == {"t1": "planned", "t2": "planned", "t3": "failed"}
    failed = next(o for o in result.outcomes if o.name == "t3")
    assert "Ray 重跑 2 次后仍未完成" in failed.problems[0]
    assert not (tmp_path / "ray" / "t3").exists()
