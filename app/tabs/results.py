"""结果: calendar by day and 片区, a timeline per inspector, loads with their spread, a map, the unscheduled."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app import charts, state
from app.i18n import t


def render() -> None:
    st.subheader(t("tab_results"))
    found = state.plan_or_hint()
    if found is None:
        return
    loaded, row = found
    plan = state.plan(row.id)
    dataset = state.plan_dataset(loaded, row)
    st.markdown(f"#### #{row.id} {row.name}")
    solver_status(plan.record.to_json())
    visits = charts.visits_frame(plan, dataset)
    if visits.empty:
        st.warning(t("no_visits"))
    else:
        _pictures(plan, dataset, visits)
    st.markdown(t("unscheduled_heading", n=len(plan.unscheduled)))
    if plan.unscheduled:
        frame = pd.DataFrame([{"credit_code": u.credit_code, t("business"): _name(dataset, u.credit_code),
                               t("items"): "、".join(u.item_ids), t("reason"): u.reason} for u in plan.unscheduled])
        st.dataframe(frame, hide_index=True, width="stretch", key="unscheduled_table")
    else:
        st.caption(t("all_scheduled"))


def solver_status(record: dict) -> None:
    solver, metrics = record.get("solver", {}), record.get("metrics", {})
    cols = st.columns(6)
    cols[0].metric(t("status"), solver.get("status", "—"))
    gap = solver.get("gap")
    cols[1].metric(t("gap"), "—" if gap is None else f"{gap:.2%}")
    cols[2].metric(t("visits"), metrics.get("visits", 0))
    cols[3].metric(t("unscheduled"), metrics.get("unscheduled", 0))
    cols[4].metric(t("max_spread"), metrics.get("max_spread", 0))
    cols[5].metric(t("cross_zone_loans"), metrics.get("cross_zone_loans", 0))
    st.caption(t("solver_line", objective=_number(solver.get("objective")), bound=_number(solver.get("bound")),
                 s=solver.get("wall_s", 0), towns=metrics.get("towns_per_inspector_day", 0),
                 cv=metrics.get("zone_load_cv", 0)))


def _number(value) -> str:
    """Solver figures are None when a part kept its greedy warm start (no CP-SAT plan in its budget)."""
    return "—" if value is None else f"{value:,.0f}"


def _pictures(plan, dataset, visits: pd.DataFrame) -> None:
    st.markdown(t("calendar_heading"))
    st.altair_chart(charts.calendar_heatmap(visits), width="stretch", key="calendar_chart")
    assignments = charts.assignments_frame(plan, dataset)
    st.markdown(t("timeline_heading"))
    depts = sorted(assignments["dept_id"].unique())
    chosen = st.multiselect(t("departments_shown"), depts, default=depts[:3] if len(depts) > 3 else depts,
                            key="timeline_depts")
    shown = assignments[assignments["dept_id"].isin(chosen)]
    if not shown.empty:
        st.altair_chart(charts.inspector_timeline(shown), width="stretch", key="timeline_chart")
    st.markdown(t("load_heading"))
    balance = plan.record.metrics.get("balance", [])
    st.altair_chart(charts.load_chart(assignments, balance, dataset), width="stretch", key="load_chart")
    with st.expander(t("balance_table")):
        st.dataframe(pd.DataFrame(balance), hide_index=True, width="stretch")
    st.markdown(t("map_heading"))
    by = st.radio(t("colour_by"), ["zone", "date"], format_func=lambda x: t(f"colour_{x}"), horizontal=True,
                  key="map_colour")
    st.altair_chart(charts.point_map(visits, by), width="stretch", key="point_map")
    with st.expander(t("interactive_map")):
        st.pydeck_chart(charts.visits_map(visits, by), key="visits_map")
        if by == "zone":
            st.markdown(" ".join(f"<span style='color:{c}'>●</span> {z}" for z, c in charts.zone_legend(visits)),
                        unsafe_allow_html=True)
        else:
            st.caption(t("date_legend", first=visits["date"].min(), last=visits["date"].max()))
    with st.expander(t("visit_list")):
        st.dataframe(visits.drop(columns=["lat", "lon"]), hide_index=True, width="stretch")


def _name(dataset, code: str) -> str:
    business = dataset.business.get(code)
    return business.name if business else ""
