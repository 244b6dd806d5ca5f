"""Where a county's store and data live: the data folder (PLANNER_DATA_DIR) and the database (PLANNER_DB_URL).

The app loads datasets only from the data folder (and from uploads), never from a path a person types.
"""
from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from models.problems import UserError

DATA_DIR_ENV, DB_URL_ENV = "PLANNER_DATA_DIR", "PLANNER_DB_URL"
DEFAULT_DATA_DIR = "data"
DB_FILE = "planner.db"
DATASET_SUFFIXES = (".xlsx", ".zip")


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV, "").strip() or DEFAULT_DATA_DIR)


def database_url(text: str | None = None) -> sa.URL:
    """`text`, else PLANNER_DB_URL, else <data folder>/planner.db: a sqlite:/// URL, a plain file path, or
    postgresql://… (one database per county)."""
    text = (text if text is not None else os.environ.get(DB_URL_ENV, "")).strip()
    if not text:
        return sa.URL.create("sqlite", database=str(data_dir() / DB_FILE))
    if "://" not in text:
        return sa.URL.create("sqlite", database=text)
    try:
        url = sa.make_url(text)
    except sa.exc.ArgumentError as error:
        raise UserError(f"数据库地址无法识别：{_hidden(text)}（{error}）") from None
    if url.get_backend_name() == "sqlite":
        if not url.database:
            raise UserError("SQLite 数据库地址要写明文件，例如 sqlite:///data/planner.db")
        return url
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername.startswith("postgresql+"):
        return url
    raise UserError(f"只支持 SQLite（sqlite:///文件 或文件路径）和 PostgreSQL（postgresql://…），收到：{_hidden(text)}")


def _hidden(text: str) -> str:
    """The URL as it may be shown: without its password."""
    try:
        return sa.make_url(text).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return text.split("@")[-1]


def data_datasets(folder: Path | None = None) -> list[str]:
    """Names of the datasets in the data folder: sub-folders, .xlsx workbooks and .zip files, sorted."""
    folder = folder or data_dir()
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if not p.name.startswith(".") and _inside(p, folder)
                  and (p.is_dir() or p.suffix.lower() in DATASET_SUFFIXES))


def data_dataset_path(name: str, folder: Path | None = None) -> Path:
    """The dataset `name` in the data folder; anything else (a path, `..`, a link leading out) is refused."""
    folder = folder or data_dir()
    if name not in data_datasets(folder):
        raise UserError(f"数据文件夹 {folder} 中没有数据集「{name}」；只能加载数据文件夹中的数据集或上传文件")
    return folder.resolve() / name


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
