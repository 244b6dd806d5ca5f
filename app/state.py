"""What one browser session works on (who is logged in, dataset, current plan), backed by the store and caches."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from app.i18n import t
from models.dataset import Dataset
from models.loading import load_dataset, load_upload
from planner.draw import Draw, draw
from planner.output import read_csv_rows
from planner.plan.changes import dataset_as_planned
from planner.plan.folder import read_plan
from planner.plan.locking import first_unlocked
from planner.plan.model import Plan
from planner.plan.today import plan_today
from planner.store import accounts, adoption, sessions
from planner.store.access import Action, department_view, may, readable_plans, visible_plan
from planner.store.accounts import User
from planner.store.location import data_dataset_path, database_url
from planner.store.officers import remember_officers
from planner.store.store import PlanRow, Store

ROOT = Path(__file__).resolve().parent.parent
TODAY_ENV = "PLANNER_TODAY"  # a deployment's (or a test's) "today"; the real date when unset
FIXTURES = {"changshan": ROOT / "fixtures" / "changshan", "tiny": ROOT / "fixtures" / "tiny"}


@dataclass(frozen=True)
class Loaded:
    """The session's dataset and where it came from (so it can be reloaded after a restart)."""
    dataset: Dataset
    digest: str
    name: str
    source: str  # "fixture:<name>", "data:<name in the data folder>" or "upload:<file name>"


def _url() -> str:
    return database_url().render_as_string(hide_password=False)


def store() -> Store:
    return _store(_url())


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def user() -> User | None:
    """Who is logged in (planner.store.accounts.authenticate), as the store knows them now: an account removed
    or changed on the command line takes effect at the session's next click."""
    who = st.session_state.get("user")
    if who is None:
        return None
    now = accounts.user(store(), who.name)
    if now is None or now.disabled or not sessions.still_valid(store(), st.session_state.get("session_id"), now):
        forget_session()  # removed, disabled, logged out elsewhere or a new password: log in again
        return None
    return now


def may_load_data() -> bool:
    return may(user(), Action.LOAD_DATA)


def forget_session() -> None:
    """Log out: nothing of the session's county stays behind for whoever logs in next (the language does)."""
    for key in list(st.session_state):
        if key != "lang":
            del st.session_state[key]


def user_name() -> str:
    who = user()
    return who.name if who is not None else ""


def has_accounts() -> bool:
    return bool(accounts.users(store()))


def dataset_digest(dataset: Dataset) -> str:
    text = json.dumps(sorted(dataset.inputs_sha256.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@st.cache_resource(show_spinner=False, max_entries=8)
def load_path(path: str, stamp: float = 0.0) -> Dataset:
    """`stamp` (the newest file time) is part of the cache key: files edited on the server are read again."""
    return load_dataset(path)


@st.cache_resource(show_spinner=False, max_entries=8)
def load_bytes(content_digest: str, name: str, _data: bytes) -> Dataset:
    """An uploaded workbook or zip, read in memory (nothing of it touches the disk)."""
    return load_upload(name, _data)


def open_fixture(name: str) -> Loaded:
    return _open_path(FIXTURES[name], f"fixture:{name}")


def open_data(name: str) -> Loaded:
    """A dataset of the data folder (PLANNER_DATA_DIR), the only server files the app reads; raises
    DatasetError / UserError for the page to show (also for a name not in the data folder)."""
    return _open_path(data_dataset_path(name), f"data:{name}")


def _open_path(p: Path, source: str) -> Loaded:
    stamp = max((f.stat().st_mtime for f in p.rglob("*")), default=0.0) if p.is_dir() else p.stat().st_mtime
    dataset = load_path(str(p.resolve()), stamp)
    return _remember(dataset, p.name, source, None)


def open_upload(name: str, data: bytes) -> Loaded:
    content = hashlib.sha256(data).hexdigest()
    dataset = load_bytes(content, name, data)
    return _remember(dataset, name, f"upload:{name}", data)


def source_path(loaded: Loaded) -> str:
    """Where the dataset lies, as the command line names it (the coordinator's commands)."""
    kind, _, name = loaded.source.partition(":")
    if kind == "fixture" and name in FIXTURES:
        return str(FIXTURES[name].relative_to(ROOT))
    return str(data_dataset_path(name)) if kind == "data" else name


def reopen(digest: str) -> Loaded | None:
    """A dataset used before, from the store (the app restarted, or another plan was picked)."""
    found = store().dataset(digest)
    if found is None:
        return None
    row, blob = found
    kind, _, name = row.source.partition(":")
    if kind == "upload" and blob is not None:
        return open_upload(name, blob)
    if kind == "fixture" and name in FIXTURES:
        return open_fixture(name)
    return open_data(name)


def _remember(dataset: Dataset, name: str, source: str, blob: bytes | None) -> Loaded:
    loaded = Loaded(dataset, dataset_digest(dataset), name, source)
    store().save_dataset(loaded.digest, name, source, blob, by=user_name(),
                         departments={d.dept_id: d.name for d in dataset.departments})
    remember_officers(store(), loaded.digest, dataset)  # issue #24: inspector accounts are checked against these
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


def plan_or_hint() -> tuple[Loaded, PlanRow, Dataset] | None:
    """The session's dataset, its current plan and the dataset that plan was made from (its changes applied);
    without both, a hint to make or pick a plan."""
    loaded, plan_id = current(), current_plan_id()
    row = store().plan(plan_id) if plan_id is not None else None
    if row is not None and not readable([row]):
        row = None  # a scenario, for someone who sees only the plan in force
    if loaded is None or row is None or row.dataset_digest != loaded.digest:
        st.info(t("need_plan"))
        return None
    return loaded, row, plan_dataset(loaded, row)


def plans(loaded: Loaded) -> list[PlanRow]:
    """The county's plans and scenarios of the loaded dataset, oldest first."""
    return store().plans(loaded.digest)


def with_changes(dataset: Dataset, changes: list[str]) -> Dataset:
    """The dataset a plan was made from: the base with its draw settings and what-if changes applied."""
    return dataset_as_planned(dataset, changes) if changes else dataset


@st.cache_resource(show_spinner=False, max_entries=32)
def _plan(db: str, plan_id: int, version: int) -> Plan:
    """A stored plan version, read once (a version never changes) from a private copy removed at once."""
    with _store(db).opened_plan(plan_id, version) as folder:
        return read_plan(folder)


@st.cache_data(show_spinner=False, max_entries=32)
def _moves(db: str, plan_id: int, version: int) -> list[dict]:
    with _store(db).opened_plan(plan_id, version) as folder:
        return read_csv_rows(folder / "changes.csv")


def _version(plan_id: int) -> int:
    row = store().plan(plan_id)
    return row.version if row is not None else 1


def plan(plan_id: int) -> Plan:
    """The current version of a stored plan."""
    return _plan(_url(), plan_id, _version(plan_id))


def plan_moves(plan_id: int) -> list[dict]:
    """changes.csv of a stored re-plan's current version (what it moved, and why); [] for a plan."""
    return _moves(_url(), plan_id, _version(plan_id))


@contextmanager
def plan_folder(plan_id: int) -> Iterator[Path]:
    """The current version of a stored plan as a folder, for what reads one (exports, progress): a private
    temporary copy that is gone when the block ends, whatever happens — no confidential copy stays behind."""
    with store().opened_plan(plan_id, _version(plan_id)) as folder:
        yield folder


def current_plan_id() -> int | None:
    return st.session_state.get("plan_id")


@st.cache_resource(show_spinner=False, max_entries=16)
def _changed(digest: str, changes: tuple[str, ...], _dataset: Dataset) -> Dataset:
    return with_changes(_dataset, list(changes))


def plan_dataset(loaded: Loaded, row) -> Dataset:
    """The dataset a stored plan was made from (its changes applied), cached per plan."""
    return _changed(loaded.digest, tuple(row.changes), loaded.dataset)


@st.cache_resource(show_spinner=False, max_entries=16)
def _draw(digest: str, changes: tuple[str, ...], seed: str, _dataset: Dataset) -> Draw:
    return draw(_dataset, seed)


def plan_draw(loaded: Loaded, row) -> Draw:
    """The draw of a stored plan (both halves of 双随机: businesses and inspector shortlists), from its seed."""
    return _draw(loaded.digest, tuple(row.changes), row.seed, plan_dataset(loaded, row))


# --- today ----------------------------------------------------------------------------------------------

def default_today() -> date:
    """PLANNER_TODAY (YYYY-MM-DD) when the deployment sets it, else the loaded dataset's demonstration today
    (planner.plan.today: the fixtures), else the real date."""
    text = os.environ.get(TODAY_ENV, "").strip()
    try:
        if text:
            return date.fromisoformat(text)
    except ValueError:
        pass
    loaded = current()
    return plan_today(None, loaded.dataset.settings, date.today())[0] if loaded else date.today()


def today_is_demonstration() -> bool:
    """The session's today is the dataset's demonstration date (said beside it)."""
    loaded = current()
    return loaded is not None and loaded.dataset.settings.today == today() and not os.environ.get(TODAY_ENV)


def today() -> date:
    """The session's today: what a coordinator chose in the sidebar (to look at the quarter from another day),
    else default_today(). Re-plans keep what lies before it; results cannot be dated after it."""
    chosen = st.session_state.get("today")
    return chosen if isinstance(chosen, date) else default_today()


def first_open_day(dataset: Dataset) -> date | None:
    """The first working day a re-plan may change (planner.plan.locking.first_unlocked); None: none left."""
    return first_unlocked(dataset.workdays, today(), dataset.settings.lock_days)


# --- the plan in force (采用) ------------------------------------------------------------------------------

def in_force_ids() -> set[int]:
    """The ids of the plans in force, one per quarter (planner.store.adoption)."""
    return set(adoption.adopted_plans(store()).values())


def in_force_row(row: PlanRow) -> PlanRow | None:
    """The plan in force for the quarter of `row` (itself when it is): where results and 公示 are written."""
    found = adoption.in_force(store(), adoption.plan_period(row))
    return store().plan(found.plan_id) if found is not None else None


def plan_title(row: PlanRow) -> str:
    """'#1 方案1（采用中）', '#2 情景2（情景，未采用）': which plan a page shows, and whether it is in force."""
    mark = t("in_force_mark") if row.id in in_force_ids() else t("not_adopted_mark" if row.is_scenario else
                                                                 "plan_not_in_force_mark")
    return f"#{row.id} {row.name}{mark}"


def readable(rows: list[PlanRow]) -> list[PlanRow]:
    """The stored plans this user may open (planner.store.access): a coordinator every one, others those in force."""
    return readable_plans(user(), rows, in_force_ids())


# --- what the user may see -----------------------------------------------------------------------------

def scope() -> str | None:
    """The department whose view the pages show: a department account's own; the one a coordinator opened; None
    for the whole county."""
    who = user()
    if who is None:
        return None
    if who.role == "department":
        return who.dept_id
    return st.session_state.get("scope") or None


def visible(plan: Plan, dataset: Dataset) -> Plan:
    """The plan as the pages may draw it: through planner.store.access, narrowed to the scope's department."""
    who = user()
    if who is None:
        raise RuntimeError("no user")  # the pages are never drawn before login
    seen = visible_plan(who, plan, dataset)
    dept = scope()
    return department_view(seen, dept, dataset) if dept and who.role == "coordinator" else seen


def open_stored_plan(plan_id: int) -> Loaded | None:
    """For accounts that do not load data (departments, leaders): a stored plan and the dataset it was made from."""
    row = store().plan(plan_id)
    if row is None:
        return None
    loaded = current()
    if loaded is None or loaded.digest != row.dataset_digest:
        loaded = reopen(row.dataset_digest)
    st.session_state["plan_id"] = plan_id
    return loaded
