"""Where the store and the datasets live: PLANNER_DB_URL, PLANNER_DATA_DIR, and nothing outside the data folder."""
from __future__ import annotations

import pytest

from models.problems import UserError
from planner.store.location import data_dataset_path, data_datasets, database_url


@pytest.fixture()
def env(monkeypatch, tmp_path):
    monkeypatch.delenv("PLANNER_DB_URL", raising=False)
    monkeypatch.delenv("PLANNER_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_the_database_is_in_the_data_folder_unless_a_url_says_otherwise(env, tmp_path):
    assert database_url().database == "data/planner.db"
    env.setenv("PLANNER_DATA_DIR", str(tmp_path / "county"))
    assert database_url().database == str(tmp_path / "county" / "planner.db")
    env.setenv("PLANNER_DB_URL", "/srv/a.db")
    assert database_url().render_as_string() == "sqlite:////srv/a.db"
    env.setenv("PLANNER_DB_URL", "sqlite:///rel/a.db")
    assert database_url().database == "rel/a.db"
    env.setenv("PLANNER_DB_URL", "postgresql://planner:pw@db.city:5432/changshan")
    url = database_url()
    assert (url.drivername, url.host, url.database) == ("postgresql+psycopg", "db.city", "changshan")
    assert database_url("postgres://u@h/x").drivername == "postgresql+psycopg"


def test_other_engines_are_refused_without_showing_the_password(env):
    with pytest.raises(UserError, match="只支持 SQLite") as refused:
        database_url("mysql://root:topsecret@host/db")
    assert "topsecret" not in str(refused.value)
    with pytest.raises(UserError, match="要写明文件"):
        database_url("sqlite://")


def test_only_datasets_inside_the_data_folder_can_be_loaded(env, tmp_path):
    data = tmp_path / "data"
    (data / "changshan").mkdir(parents=True)
    (data / "county.xlsx").write_bytes(b"x")
    (data / "county.zip").write_bytes(b"x")
    (data / "planner.db").write_bytes(b"")
    (data / ".hidden").mkdir()
    outside = tmp_path / "secret"
    outside.mkdir()
    (data / "link").symlink_to(outside)
    assert data_datasets() == ["changshan", "county.xlsx", "county.zip"]
    assert data_dataset_path("changshan") == data / "changshan"
    for name in ("../secret", "/etc", "link", "planner.db", "changshan/../../secret", ".hidden"):
        with pytest.raises(UserError, match="只能加载数据文件夹中的数据集"):
            data_dataset_path(name)
    assert data_datasets(tmp_path / "missing") == []
