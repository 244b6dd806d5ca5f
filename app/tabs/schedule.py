"""排程 (综合查一次): run the solver in the background, time used against the limit as a bar."""
from __future__ import annotations

import streamlit as st

from app import solving, state
from app.i18n import t
from app.tabs.draw_tab import draw_changes, seed_of
from planner.plan.record import PlanRecord
from planner.whatif.describe import describe_change


def render() -> None:
    loaded = state.dataset_or_hint()
    if loaded is None:
        return
    ds = loaded.dataset
    a, b = st.columns([1, 2])
    a.number_input(t("time_limit"), min_value=1, max_value=3600, value=int(ds.settings.time_limit_s), step=5,
                   key="time_limit")
    count = len(state.plans(loaded))
    b.text_input(t("plan_name"), value=t("default_plan_name", n=count + 1), key=f"plan_name_{count}")
    changes = draw_changes(loaded)
    described = "；".join(describe_change(ds, c) for c in changes) or t("none")
    st.caption(t("plan_uses", seed=seed_of(loaded), changes=described))
    if not st.session_state.get("coordinated", True):
        st.warning(t("uncoordinated_note"))
    busy = solving.running() is not None
    if st.button(t("run_plan"), key="run_plan", type="primary", disabled=busy):
        solving.start("plan", loaded, name=st.session_state[f"plan_name_{count}"], seed=seed_of(loaded),
                      changes=changes, time_limit_s=float(st.session_state["time_limit"]))
    solving.live_panel("plan")
    last = st.session_state.get("last_job")
    if last and last.get("kind") == "plan" and not busy:
        row = state.store().plan(last["plan_id"])
        solver = PlanRecord.from_json(row.record).solver if row is not None else None
        quality = solver.quality if solver is not None else ""
        st.success(t("plan_done", name=last["name"], id=last["plan_id"], s=f"{last['elapsed_s']:.0f}", quality=quality))
