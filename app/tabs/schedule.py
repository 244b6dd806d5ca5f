"""排程 (综合查一次): run the solver in the background with a live chart of objective and bound."""
from __future__ import annotations

import streamlit as st

from app import solving, state
from app.i18n import t
from app.tabs.draw_tab import draw_changes, seed_of


def render() -> None:
    st.subheader(t("tab_schedule"))
    loaded = state.dataset_or_hint()
    if loaded is None:
        return
    ds = loaded.dataset
    a, b = st.columns([1, 2])
    a.number_input(t("time_limit"), min_value=1.0, max_value=3600.0, value=float(ds.settings.time_limit_s),
                   step=5.0, key="time_limit")
    count = len(state.plans(loaded))
    b.text_input(t("plan_name"), value=t("default_plan_name", n=count + 1), key=f"plan_name_{count}")
    changes = draw_changes(loaded)
    st.caption(t("plan_uses", seed=seed_of(loaded), changes="; ".join(changes) or t("none")))
    if not st.session_state.get("coordinated", True):
        st.warning(t("uncoordinated_note"))
    busy = solving.running() is not None
    if st.button(t("run_plan"), key="run_plan", type="primary", disabled=busy):
        solving.start("plan", loaded, name=st.session_state[f"plan_name_{count}"], seed=seed_of(loaded),
                      changes=changes, time_limit_s=float(st.session_state["time_limit"]))
    solving.live_panel("plan")
    last = st.session_state.get("last_job")
    if last and last.get("kind") == "plan" and not busy:
        st.success(t("plan_done", name=last["name"], id=last["plan_id"], s=last["elapsed_s"]))
