"""What one browser session works on (dataset, draw settings, current plan), backed by the store and caches."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app.i18n import t
from app.store import PlanRow, Store, db_path
from models.dataset import Dataset
from models.loader import load_dataset
from planner.plan.folder import read_plan
from planner.plan.model import Plan
from planner.whatif.changes import dataset_as_planned

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = {"changshan": ROOT / "fixtures" / "changshan", "tiny": ROOT / "fixtures" / "tiny"}


@dataclass(frozen=True)
class Loaded:
    """The session's dataset and where it came from (so it can be reloaded after a restart)."""
    dataset: Dataset
    digest: str
    name: str
    source: str  # "path:<folder or file>" or "upload:<file name>"


def store() -> Store:
    return _store(str(db_path()))


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def coordinator() -> str:
    return (st.session_state.get("coordinator") or "").strip() or "默认"


def dataset_digest(dataset: Dataset) -> str:
    text = json.dumps(sorted(dataset.inputs_sha256.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@st.cache_resource(show_spinner=False, max_entries=8)
def load_path(path: str, stamp: float = 0.0) -> Dataset:
    """`stamp` (the newest file time) is part of the cache key: files edited on the server are read again."""
    return load_dataset(path)


@st.cache_resource(show_spinner=False, max_entries=8)
def load_bytes(content_digest: str, name: str, _data: bytes) -> Dataset:
    """An uploaded workbook or zip: the loader reads paths, so the confidential bytes go to a file only their
    owner can read (0600 in a private temporary folder), removed as soon as they are read."""
    with tempfile.TemporaryDirectory(prefix="planner-upload-") as folder:
        path = Path(folder) / f"{content_digest}{Path(name).suffix.lower()}"
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            file.write(_data)
        return load_dataset(path)


def open_path(path: str) -> Loaded:
    """Raises DatasetError / UserError for the page to show."""
    p = Path(path)
    stamp = max((f.stat().st_mtime for f in p.rglob("*")), default=0.0) if p.is_dir() else p.stat().st_mtime
    dataset = load_path(str(p.resolve()), stamp)
    return _remember(dataset, p.name, f"path:{p.resolve()}", None)


def open_upload(name: str, data: bytes) -> Loaded:
    content = hashlib.sha256(data).hexdigest()
    dataset = load_bytes(content, name, data)
    return _remember(dataset, name, f"upload:{name}", data)


def reopen(digest: str) -> Loaded | None:
    """A dataset this coordinator used before, from the store (the app restarted, or another plan was picked)."""
    found = store().dataset_source(coordinator(), digest)
    if found is None:
        return None
    name, source, blob = found
    if source.startswith("upload:") and blob is not None:
        return open_upload(source[len("upload:"):], blob)
    return open_path(source[len("path:"):])


def _remember(dataset: Dataset, name: str, source: str, blob: bytes | None) -> Loaded:
    loaded = Loaded(dataset, dataset_digest(dataset), name, source)
    store().save_dataset(coordinator(), loaded.digest, name, source, blob)
    st.session_state["dataset"] = loaded
    return loaded


def current() -> Loaded | None:
    return st.session_state.get("dataset")


def dataset_or_hint() -> Loaded | None:
    """The session's dataset; without one, a hint to load it first (the tab then draws nothing else)."""
    loaded = current()
    if loaded is None:
        st.info(t("need_dataset"))
    return loaded


def plan_or_hint() -> tuple[Loaded, PlanRow] | None:
    """The session's dataset and its current plan; without both, a hint to make or pick a plan."""
    loaded, plan_id = current(), current_plan_id()
    row = store().plan(plan_id) if plan_id is not None else None
    if loaded is None or row is None or row.dataset_digest != loaded.digest:
        st.info(t("need_plan"))
        return None
    return loaded, row


def plans(loaded: Loaded) -> list[PlanRow]:
    """This coordinator's plans and scenarios of the loaded dataset, oldest first."""
    return store().plans(coordinator(), loaded.digest)


def with_changes(dataset: Dataset, changes: list[str]) -> Dataset:
    """The dataset a plan was made from: the base with its draw settings and what-if changes applied."""
    return dataset_as_planned(dataset, changes) if changes else dataset


@st.cache_resource(show_spinner=False, max_entries=32)
def _plan_folder(db: str, plan_id: int) -> Path:
    """A stored plan, unzipped once into a temporary folder (plans are never changed once stored)."""
    folder = Path(tempfile.mkdtemp(prefix=f"plan-{plan_id}-"))
    return _store(db).write_plan(plan_id, folder)


@st.cache_resource(show_spinner=False, max_entries=32)
def _plan(db: str, plan_id: int) -> Plan:
    return read_plan(_plan_folder(db, plan_id))


def plan(plan_id: int) -> Plan:
    return _plan(str(db_path()), plan_id)


def folder_of(plan_id: int) -> Path:
    return _plan_folder(str(db_path()), plan_id)


def current_plan_id() -> int | None:
    return st.session_state.get("plan_id")


@st.cache_resource(show_spinner=False, max_entries=16)
def _changed(digest: str, changes: tuple[str, ...], _dataset: Dataset) -> Dataset:
    return with_changes(_dataset, list(changes))


def plan_dataset(loaded: Loaded, row) -> Dataset:
    """The dataset a stored plan was made from (its changes applied), cached per plan."""
    return _changed(loaded.digest, tuple(row.changes), loaded.dataset)
