"""Shared fixtures: the tiny fixture dataset and its plan, solved once per test session."""
from __future__ import annotations

import itertools

import pytest

from models.dataset import Dataset
from models.loading import load_dataset
from planner.plan.api import run_plan
from planner.plan.pipeline import PlanRun

TINY = "fixtures/tiny"
DATABASES = itertools.count(1)  # names of the test databases on the PostgreSQL test server


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


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for the session (tests/store/postgres.py); missing, the tests fail."""
    from tests.store import postgres

    try:
        server = postgres.start()
    except postgres.PostgresMissing as error:
        pytest.fail(f"PostgreSQL 测试服务器无法启动：{error}")
    yield server
    server.stop()


@pytest.fixture()
def postgres_db(postgres_server):
    """The URL of a fresh, empty database (one county) on the test server, dropped afterwards."""
    name = f"county_{next(DATABASES)}"
    url = postgres_server.create_database(name)
    yield url.render_as_string(hide_password=False)
    postgres_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty county database on each engine: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'planner.db'}"
    return request.getfixturevalue("postgres_db")


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """argon2id with the library's defaults (64 MiB, 3 passes) costs a good part of a second per hash on two
    busy cores; tests hash with the cheapest parameters (the same code, the same argon2id format)."""
    from argon2 import PasswordHasher

    from planner.store import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "HASHER", cheap)
    monkeypatch.setattr(accounts, "DUMMY_HASH", cheap.hash("no account has this password"))
