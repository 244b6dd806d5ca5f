"""进度: the quarter's figures (the same as `status`), done against planned week by week, per department and 片区.

Figures only — a leader (viewer) sees no business. A department (or a coordinator in its view) sees its own
figures everywhere on the page: the headline, the weeks and the 片区 table count its visits and its own items
(planner.quarter.status with dept_id). The rule that a joint visit is done only when every department has
reported is said on the page, beside 部分完成. The list of re-checks that found a problem unresolved is shown to
those who may read lists, narrowed to their department.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app import charts, labels, state
from app.i18n import t
from app.tables import show_table
from planner.quarter.rechecks import rechecks_to_plan
from planner.quarter.status import Figures, Status, folder_status
from planner.store.access import Action, may


def render() -> None:
    found = state.plan_or_hint()
    if found is None:
        return
    loaded, row, dataset = found
    today = state.today()
    dept = state.scope()
    status = _status(state.store().where, row.id, row.version, today, loaded.digest, dept, dataset)
    st.markdown(f"#### {state.plan_title(row)} · " + (labels.dept(dataset, dept) if dept else t("county")))
    st.caption(t("progress_today", day=labels.day_long(today), within=status.publish_within_days))
    if dept and dept not in status.by_dept:
        st.info(t("dept_not_in_plan"))
        return
    headline(status.county, dept is not None)
    if status.by_week:
        st.markdown(t("weekly_heading_dept" if dept else "weekly_heading"))
        st.altair_chart(charts.weekly_chart(status.by_week), width="stretch", key="weekly_chart")
    st.markdown(t("by_dept_heading"))
    show_table(figures_table(status.by_dept, lambda d: labels.dept(dataset, d), t("department")), "progress_by_dept",
               t("file_progress_dept"))
    st.markdown(t("by_zone_heading_dept" if dept else "by_zone_heading"))
    show_table(figures_table(status.by_zone, lambda z: labels.zone(dataset, z), t("zone")), "progress_by_zone",
               t("file_progress_zone"))
    rechecks(status, dataset, dept)
    if dept is None and may(state.user(), Action.PLAN):
        rechecks_waiting(row)
    if status.deadlines_estimated:
        st.caption(t("deadlines_estimated", n=status.deadlines_estimated))


@st.cache_data(show_spinner=False, max_entries=32)
def _status(db: str, plan_id: int, version: int, today: date, digest: str, dept: str | None, _dataset) -> Status:
    """A stored plan version never changes: (database, plan, version, today, department) names the figures."""
    with state.plan_folder(plan_id) as folder:
        return folder_status(folder, today, _dataset, dept_id=dept)


def headline(f: Figures, department: bool) -> None:
    """Four figures a row, so that they stay readable on a phone (Streamlit stacks the columns there)."""
    share = _share
    rows = [
        [(t("visits_planned"), f.visits_planned, None), (t("visits_done"), f.visits_done, t("visits_done_help")),
         (t("visits_partly_done"), f.visits_partly_done, t("partly_done_dept_help" if department else "partly_done_help")),
         (t("completion_rate"), share(f.completion_rate), None)],
        [(t("visits_overdue"), f.visits_overdue, t("visits_overdue_help")),
         (t("joint_rate"), share(f.joint_rate), t("joint_rate_help", target=share(f.joint_rate_target))),
         (t("door_knocks_saved"), f.door_knocks_saved, t("door_knocks_saved_help")),
         (t("rechecks"), f"{f.rechecks_done} / {f.rechecks_planned}", t("rechecks_help"))],
        [(t("results_due"), f.results_due, None), (t("results_published_on_time"), f.results_published_on_time, None),
         (t("results_overdue_unpublished"), f.results_overdue_unpublished, t("results_overdue_help"))],
    ]
    for n, row in enumerate(rows):
        for col, (label, value, why) in zip(st.columns(4), row):
            col.metric(label, value, help=why)
        if n == 0:
            st.caption(t("joint_rule_dept" if department else "joint_rule", n=f.visits_partly_done))
    if f.joint_rate is not None:
        verdict = "joint_ok" if f.joint_rate >= f.joint_rate_target else "joint_short"
        (st.success if verdict == "joint_ok" else st.warning)(
            t(verdict, rate=share(f.joint_rate), target=share(f.joint_rate_target)))


def figures_table(groups: dict[str, Figures], name, title: str) -> pd.DataFrame:
    return pd.DataFrame([{title: name(key), t("visits_planned"): f.visits_planned, t("visits_done"): f.visits_done,
                          t("visits_partly_done"): f.visits_partly_done,
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
    show_table(pd.DataFrame([{t("business"): labels.business(dataset, f.visit.credit_code, f.visit.business_name),
                              t("department"): labels.dept(dataset, f.dept_id or ""),
                              t("item_name"): labels.item(dataset, f.result.item_id),
                              t("checked_on"): labels.table_day(f.result.checked_on), t("result"): f.result.result}
                             for f in flags]), "rechecks_table")


def rechecks_waiting(row) -> None:
    """Results calling for a re-check no plan holds yet: a reason to re-plan (on 假设分析)."""
    n = len(rechecks_to_plan(state.plan(row.id)))
    if n:
        st.warning(t("rechecks_waiting", n=n))


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
