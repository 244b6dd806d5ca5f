"""Starting a plan or re-plan in the background, the live progress bar, and storing what it produced."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import streamlit as st

from app import labels, state
from app.i18n import planner_words, t
from app.jobs import SolveJob
from planner.check.self_check import write_verified
from planner.plan.api import run_plan
from planner.plan.model import Plan
from planner.plan.record import LEVEL_WORDS, STAGE_WORDS
from planner.store import adoption
from planner.store.store import Store

JOB_KEY = "solve_job"


def running() -> SolveJob | None:
    return st.session_state.get(JOB_KEY)


def start(kind: str, loaded, *, name: str, seed: str | None, changes: list[str], time_limit_s: float,
          previous_id: int | None = None, today: date | None = None) -> None:
    """Plan (kind "plan") or re-plan against a stored plan (kind "scenario", knowing `today`); the result goes to
    the store."""
    store, by = state.store(), state.user_name()
    previous: Plan | None = state.plan(previous_id) if previous_id is not None else None
    dataset = loaded.dataset

    def work(progress, stop) -> dict:
        run = run_plan(dataset, seed=seed, previous=previous, changes=changes, today=today,
                       time_limit_s=time_limit_s, progress=progress, stop=stop)
        return _save(store, by, name, loaded.digest, run, changes, previous_id)

    job = SolveJob(work, kind, {"kind": kind, "name": name, "limit": time_limit_s, "previous_id": previous_id,
                                "changes": list(changes)})
    st.session_state[JOB_KEY] = job
    job.start()
    if job.done and harvest():  # synchronous (tests): store the outcome and show it everywhere
        st.rerun()


def _save(store: Store, by: str, name: str, digest: str, run, changes, parent_id) -> dict:
    """Runs in the solver thread: the plan is stored even if the browser went away meanwhile. The quarter's first
    plan becomes its plan in force (planner.store.adoption); any later one waits to be adopted."""
    with tempfile.TemporaryDirectory(prefix="planner-") as tmp:
        folder = Path(tmp) / "plan"
        write_verified(run, folder)
        plan_id = store.save_plan(name, digest, folder, seed=run.draw.seed, changes=list(changes), by=by,
                                  parent_id=parent_id)
    adopted = adoption.adopt_if_first(store, plan_id, by=by)
    return {"plan_id": plan_id, "adopted": adopted is not None}


def harvest() -> bool:
    """If the job finished, make its plan the current one. Returns True when something changed.

    A failed re-plan keeps the changes the user entered (they are cleared only once a scenario is stored)."""
    job = running()
    if job is None or not job.done:
        return False
    st.session_state.pop(JOB_KEY, None)
    if job.error is not None:
        text = f"{job.error}"
        loaded = state.current()
        if loaded is not None:
            text = labels.changes_named(text, loaded.dataset, job.meta.get("changes", []))
        st.session_state["solve_error"] = {"kind": job.meta["kind"], "text": text}
        return True
    st.session_state.pop("solve_error", None)
    plan_id = job.result["plan_id"]
    st.session_state["plan_id"] = plan_id
    st.session_state["last_job"] = {**job.meta, **job.result, "elapsed_s": round(job.elapsed_s, 1)}
    if job.meta["kind"] == "scenario":
        st.session_state["whatif_pending"] = []
    compared = [*st.session_state.get("compare_ids", []), job.meta.get("previous_id"), plan_id]
    st.session_state["compare_ids"] = list(dict.fromkeys(i for i in compared if i is not None))
    return True


def live_panel(kind: str) -> None:
    """The running job of this kind: time used against the limit as a bar, the stage and what it minimises in
    words, and a stop button; polls once a second."""
    @st.fragment(run_every=1.0)
    def panel() -> None:
        job = running()
        if job is None or job.meta.get("kind") != kind:
            return
        if harvest():
            st.rerun()
        limit = max(float(job.meta["limit"]), 1.0)
        st.progress(min(job.elapsed_s / limit, 1.0), text=t("solving", name=job.meta["name"], s=f"{job.elapsed_s:.0f}",
                                                             limit=f"{limit:.0f}"))
        st.caption(stage_words(job.points()))
        if st.button(t("stop"), key=f"stop_{kind}", disabled=job.stop.is_set()):
            job.stop.set()

    panel()
    error = st.session_state.get("solve_error")
    if error and error["kind"] == kind:
        st.error(t("solve_failed", error=error["text"]))


def stage_words(points: list[dict]) -> str:
    """'正在安排检查组（第 2/3 部分），正在减少：跨片区借调人次' — the level the solver is working on."""
    if not points:
        return t("solving_prepare")
    last = points[-1]
    return t("solving_stage", stage=planner_words(STAGE_WORDS, last["stage"]), part=last["part"] + 1,
             parts=last["parts"], level=planner_words(LEVEL_WORDS, last["level"]))
