"""Starting a plan or re-plan in the background, the live progress panel, and storing what it produced."""
from __future__ import annotations

import tempfile
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from app import state
from app.i18n import t
from app.jobs import SolveJob
from planner.plan.model import Plan
from planner.store.store import Store
from planner.whatif.replan import run_plan

JOB_KEY = "solve_job"


def running() -> SolveJob | None:
    return st.session_state.get(JOB_KEY)


def start(kind: str, loaded, *, name: str, seed: str | None, changes: list[str], time_limit_s: float,
          previous_id: int | None = None) -> None:
    """Plan (kind "plan") or re-plan against a stored plan (kind "scenario"); the result goes to the store."""
    store, by = state.store(), state.user_name()
    previous: Plan | None = state.plan(previous_id) if previous_id is not None else None
    dataset = loaded.dataset

    def work(progress, stop) -> dict:
        run = run_plan(dataset, seed=seed, previous=previous, changes=changes, time_limit_s=time_limit_s,
                       progress=progress, stop=stop)
        return _save(store, by, name, loaded.digest, run, changes, previous_id)

    job = SolveJob(work, kind, {"kind": kind, "name": name})
    st.session_state[JOB_KEY] = job
    job.start()
    if job.done and harvest():  # synchronous (tests): store the outcome and show it everywhere
        st.rerun()


def _save(store: Store, by: str, name: str, digest: str, run, changes, parent_id) -> dict:
    """Runs in the solver thread: the plan is stored even if the browser went away meanwhile."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plan"
        run.write(folder)
        plan_id = store.save_plan(name, digest, folder, seed=run.draw.seed, changes=list(changes), by=by,
                                  parent_id=parent_id)
    return {"plan_id": plan_id}


def harvest() -> bool:
    """If the job finished, make its plan the current one. Returns True when something changed."""
    job = running()
    if job is None or not job.done:
        return False
    st.session_state.pop(JOB_KEY, None)
    if job.error is not None:
        st.session_state["solve_error"] = f"{job.error}"
        return True
    st.session_state.pop("solve_error", None)
    st.session_state["plan_id"] = job.result["plan_id"]
    st.session_state["last_job"] = {**job.meta, **job.result, "elapsed_s": round(job.elapsed_s, 1)}
    return True


def live_panel(kind: str) -> None:
    """Progress chart and stop button of the running job of this kind; polls once a second."""
    @st.fragment(run_every=1.0)
    def panel() -> None:
        job = running()
        if job is None or job.meta.get("kind") != kind:
            return
        if harvest():
            st.rerun()
        st.info(t("solving", name=job.meta["name"], s=job.elapsed_s))
        if st.button(t("stop"), key=f"stop_{kind}", disabled=job.stop.is_set()):
            job.stop.set()
        chart = progress_chart(job.points())
        if chart is not None:
            st.altair_chart(chart, width="stretch")

    panel()
    error = st.session_state.get("solve_error")
    if error:
        st.error(t("solve_failed", error=error))


def progress_chart(points: list[dict]):
    if not points:
        return None
    frame = pd.DataFrame(points)
    stage_names = {"teams": t("stage_teams"), "days": t("stage_days")}
    frame["stage"] = frame["stage"].map(lambda s: stage_names.get(s, s))
    long = frame.melt(id_vars=["stage", "elapsed_s", "part", "parts"], value_vars=["objective", "bound"],
                      var_name="series", value_name="value")
    long["series"] = long["series"].map({"objective": t("objective"), "bound": t("bound")})
    return (alt.Chart(long).mark_line(point=True, interpolate="step-after")
            .encode(x=alt.X("elapsed_s:Q", title=t("seconds")), y=alt.Y("value:Q", title=t("objective")),
                    color=alt.Color("series:N", title=""), strokeDash="stage:N",
                    tooltip=["stage", "series", "value", "elapsed_s", "part", "parts"])
            .properties(height=260))
