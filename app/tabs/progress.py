"""进度: the quarter's figures (the same as `status`), done against planned week by week, per department and 片区.

Figures only — a leader (viewer) sees no business; the list of re-checks that found a problem unresolved is
shown to those who may read lists, narrowed to their department.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app import charts, labels, state
from app.i18n import t
from planner.quarter.status import Figures, Status, folder_status
from planner.store.access import Action, may


def render() -> None:
    found = state.plan_or_hint()
    if found is None:
        return
    loaded, row, dataset = found
    today = state.today()
    status = _status(state.store().where, row.id, row.version, today, loaded.digest, dataset)
    dept = state.scope()
    st.markdown(f"#### #{row.id} {row.name} · " + (labels.dept(dataset, dept) if dept else t("county")))
    st.caption(t("progress_today", day=labels.day_long(today), within=status.publish_within_days))
    figures = status.by_dept.get(dept) if dept else status.county
    if figures is None:
        st.info(t("dept_not_in_plan"))
        return
    headline(figures)
    if status.by_week:
        st.markdown(t("weekly_heading"))
        st.altair_chart(charts.weekly_chart(status.by_week), width="stretch", key="weekly_chart")
    st.markdown(t("by_dept_heading"))
    depts = {d: f for d, f in status.by_dept.items() if dept is None or d == dept}
    st.dataframe(figures_table(depts, lambda d: labels.dept(dataset, d), t("department")), hide_index=True,
                 width="stretch", key="progress_by_dept")
    st.markdown(t("by_zone_heading"))
    st.dataframe(figures_table(status.by_zone, lambda z: labels.zone(dataset, z), t("zone")), hide_index=True,
                 width="stretch", key="progress_by_zone")
    rechecks(status, dataset, dept)
    if status.deadlines_estimated:
        st.caption(t("deadlines_estimated", n=status.deadlines_estimated))


@st.cache_data(show_spinner=False, max_entries=32)
def _status(db: str, plan_id: int, version: int, today: date, digest: str, _dataset) -> Status:
    """A stored plan version never changes: (database, plan, version, today) names the figures."""
    with state.plan_folder(plan_id) as folder:
        return folder_status(folder, today, _dataset)


def headline(f: Figures) -> None:
    a, b, c, d, e = st.columns(5)
    a.metric(t("visits_planned"), f.visits_planned)
    b.metric(t("visits_done"), f.visits_done, help=t("visits_done_help"))
    c.metric(t("completion_rate"), _share(f.completion_rate))
    d.metric(t("joint_rate"), _share(f.joint_rate), help=t("joint_rate_help", target=_share(f.joint_rate_target)))
    e.metric(t("visits_overdue"), f.visits_overdue, help=t("visits_overdue_help"))
    a, b, c, d, e = st.columns(5)
    a.metric(t("results_due"), f.results_due)
    b.metric(t("results_published_on_time"), f.results_published_on_time)
    c.metric(t("results_overdue_unpublished"), f.results_overdue_unpublished, help=t("results_overdue_help"))
    d.metric(t("door_knocks_saved"), f.door_knocks_saved, help=t("door_knocks_saved_help"))
    e.metric(t("rechecks"), f"{f.rechecks_done} / {f.rechecks_planned}", help=t("rechecks_help"))
    if f.joint_rate is not None:
        verdict = "joint_ok" if f.joint_rate >= f.joint_rate_target else "joint_short"
        (st.success if verdict == "joint_ok" else st.warning)(
            t(verdict, rate=_share(f.joint_rate), target=_share(f.joint_rate_target)))


def figures_table(groups: dict[str, Figures], name, title: str) -> pd.DataFrame:
    return pd.DataFrame([{title: name(key), t("visits_planned"): f.visits_planned, t("visits_done"): f.visits_done,
                          t("completion_rate"): _share(f.completion_rate), t("joint_rate"): _share(f.joint_rate),
                          t("visits_overdue"): f.visits_overdue, t("results_due"): f.results_due,
                          t("results_overdue_unpublished"): f.results_overdue_unpublished,
                          t("rechecks"): f"{f.rechecks_done} / {f.rechecks_planned}"}
                         for key, f in groups.items()])


def rechecks(status: Status, dataset, dept: str | None) -> None:
    flags = [f for f in status.rechecks_unresolved if dept is None or f.dept_id == dept]
    if not flags:
        return
    if not may(state.user(), Action.LISTS):
        st.warning(t("rechecks_unresolved_count", n=len(flags)))
        return
    st.markdown(t("rechecks_unresolved_heading", n=len(flags)))
    st.dataframe(pd.DataFrame([{t("business"): labels.business(dataset, f.visit.credit_code, f.visit.business_name),
                                t("department"): labels.dept(dataset, f.dept_id or ""),
                                t("item_name"): labels.item(dataset, f.result.item_id),
                                t("checked_on"): labels.day_long(f.result.checked_on), t("result"): f.result.result}
                               for f in flags]), hide_index=True, width="stretch", key="rechecks_table")


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
