"""年度 (coordinators): the year's figures over the quarters' plans in force (planner.quarter.year_status: 频次预警,
the enforcement statistics), and for a year the packaged calendar does not cover, its festival draft to confirm
and save as calendar.csv (models.calendar.calendar_draft_csv) — issue #23."""
from __future__ import annotations

from contextlib import ExitStack

import pandas as pd
import streamlit as st

from app import labels, state
from app.i18n import t
from app.tables import show_table
from models.calendar import calendar_draft_csv, missing_festivals, packaged_years
from planner.quarter.year_status import year_status
from planner.store.adoption import adopted_plans

CHECK_TYPES = ("双随机", "个案", "整改复查", "历史记录")


def render() -> None:
    found = state.plan_or_hint()
    if found is None:
        return
    _, _, dataset = found
    year = dataset.settings.start.year
    figures(dataset, year)
    for coming in (year, year + 1):
        calendar(dataset, coming)


def figures(dataset, year: int) -> None:
    """The year over the plans in force of its quarters, read from private copies gone after the read."""
    store = state.store()
    ids = [plan_id for period, plan_id in sorted(adopted_plans(store).items()) if period.startswith(str(year))]
    st.subheader(t("year_heading", year=year))
    if not ids:
        st.caption(t("year_none"))
        return
    with ExitStack() as stack:
        folders = [stack.enter_context(store.opened_plan(plan_id)) for plan_id in ids]
        status = year_status(year, folders, dataset)
    st.caption(t("year_plans", periods="、".join(status.plans)))
    shown = {"completion_rate": _percent(status.completion_rate), "joint_rate": _percent(status.joint_rate),
             "publication_rate": _percent(status.publication_rate),
             "knocks_saved": str(status.door_knocks_separately - status.door_knocks)}
    for column, (label, value) in zip(st.columns(len(shown)), shown.items()):
        column.metric(t(f"year_{label}"), value)
    st.markdown(t("year_statistics"))
    show_table(pd.DataFrame([{t("year_body"): labels.dept(dataset, d), **{kind: c.get(kind, 0) for kind in CHECK_TYPES},
                               t("year_total"): sum(c.values())} for d, c in status.statistics.items()]), "year_statistics_table")
    st.markdown(t("year_warnings", n=len(status.enterprises), cap=status.yearly_cap, bodies=status.max_bodies))
    if status.enterprises:
        show_table(pd.DataFrame([{t("year_business"): e.name or e.credit_code, t("year_code"): e.credit_code,
                                  t("year_warning"): "；".join(e.warnings)} for e in status.enterprises]), "year_warnings_table")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def calendar(dataset, year: int) -> None:
    """A year the packaged calendar lacks: which festivals calendar.csv must still mark, and the draft."""
    if year in packaged_years():
        return
    missing = missing_festivals(year, dataset.calendar)
    st.markdown(t("year_calendar", year=year))
    if missing:
        st.warning(t("year_missing", year=year, festivals="、".join(missing)))
    else:
        st.success(t("year_marked", year=year))
    st.download_button(t("year_draft", year=year), calendar_draft_csv(year), file_name=f"calendar-{year}.csv",
                       mime="text/csv", key=f"calendar_draft_{year}")
    st.caption(t("year_draft_help"))
