"""结果: the plan as the user may see it — the solver's quality in words, balance per department, a calendar per
inspector, a map per day, loads, the visit list and what could not be placed.

A department (or a coordinator in a department's view) gets planner.store.access's department view: every
frame and chart below is built from that narrowed plan only.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app import charts, labels, state
from app.i18n import planner_words, t
from planner.plan.record import LEVEL_WORDS, STAGE_WORDS, PlanRecord


def render() -> None:
    found = state.plan_or_hint()
    if found is None:
        return
    _, row, dataset = found
    plan = state.plan(row.id)
    view = state.visible(plan, dataset)
    dept = state.scope()
    st.markdown(f"#### #{row.id} {row.name}" + (f" · {labels.dept(dataset, dept)}" if dept else ""))
    record = plan.record
    assert record is not None  # read_plan always reads it
    if dept is None:
        solver_summary(record)
    else:
        department_summary(view, dept)
    zone_table(record, dataset, dept)
    visits = charts.visits_frame(view, dataset)
    if visits.empty:
        st.info(t("no_visits"))
    else:
        _pictures(view, dataset, visits, row)
    unscheduled(view, dataset)


def solver_summary(record: PlanRecord) -> None:
    """Counts as integers and the solver's quality in words (never a status code or a 10-digit objective)."""
    solver, metrics = record.solver, record.metrics
    cols = st.columns(5)
    cols[0].metric(t("visits"), int(metrics.get("visits", 0)))
    cols[1].metric(t("unscheduled"), int(metrics.get("unscheduled", 0)))
    cols[2].metric(t("max_spread"), int(metrics.get("max_spread", 0)), help=t("max_spread_help"))
    cols[3].metric(t("cross_zone_loans"), int(metrics.get("cross_zone_loans", 0)))
    cols[4].metric(t("towns_per_day"), f"{metrics.get('towns_per_inspector_day', 0):.2f}", help=t("towns_per_day_help"))
    if solver is None:
        return
    st.markdown(t("quality_line", quality=solver.quality, s=f"{solver.wall_s:.0f}", limit=f"{solver.time_limit_s:.0f}"))
    if solver.levels:
        with st.expander(t("levels_heading")):
            st.dataframe(levels_frame(record), hide_index=True, width="stretch", key="levels_table")


def levels_frame(record: PlanRecord) -> pd.DataFrame:
    """Each objective level in words: what it counts, the value reached and whether it is proven best."""
    assert record.solver is not None
    return pd.DataFrame([{t("stage"): planner_words(STAGE_WORDS, lv.stage), t("level"): planner_words(LEVEL_WORDS, lv.name),
                          t("level_value"): int(lv.value),
                          t("level_proof"): t("proven") if lv.optimal else t("bound_is", bound=int(lv.bound))}
                         for lv in record.solver.levels])


def department_summary(view, dept_id: str) -> None:
    """A department's own counts: its visits, how many are joint, its officers, what of its own stayed out."""
    cols = st.columns(4)
    cols[0].metric(t("dept_visits"), len(view.visits))
    cols[1].metric(t("joint_visits"), sum(len(v.dept_ids) > 1 for v in view.visits))
    cols[2].metric(t("dept_officers"), len({a.inspector_id for a in view.assignments if a.dept_id == dept_id}))
    cols[3].metric(t("unscheduled"), len(view.unscheduled))


def zone_table(record: PlanRecord, dataset, dept: str | None) -> None:
    """Per department: the 片区 ratio, loans, and the spread against fair share (issue 15)."""
    zones = [z for z in record.metrics.get("zones", []) if dept is None or z["dept_id"] == dept]
    balance = [b for b in record.metrics.get("balance", []) if dept is None or b["dept_id"] == dept]
    if not zones:
        return
    rows = []
    for z in zones:
        cells = [b for b in balance if b["dept_id"] == z["dept_id"]]
        ratio = z.get("zone_ratio")
        rows.append({t("department"): labels.dept(dataset, z["dept_id"]), t("zones_count"): int(z["zones"]),
                     t("zone_ratio"): "—" if ratio is None else f"{ratio:.2f}",
                     t("cross_zone_loans"): int(z["loans"]),
                     t("max_spread"): max((int(b["spread"]) for b in cells), default=0),
                     t("fair_spread"): max((float(b["fair_spread"]) for b in cells), default=0.0)})
    st.markdown(t("zone_heading"))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="zone_table",
                 column_config={t("fair_spread"): st.column_config.NumberColumn(format="%.1f")})
    st.caption(t("zone_caption"))


def _pictures(view, dataset, visits: pd.DataFrame, row) -> None:
    st.markdown(t("calendar_heading"))
    st.altair_chart(charts.calendar_heatmap(visits, dataset.workdays), width="stretch", key="calendar_chart")
    assignments = charts.assignments_frame(view, dataset)
    inspector_calendar(dataset, assignments, row)
    day_map(dataset, visits)
    st.markdown(t("load_heading"))
    dept = state.scope()
    balance = [b for b in (view.record.metrics.get("balance", []) if view.record else [])
               if dept is None or b["dept_id"] == dept]
    own = assignments if dept is None else assignments[assignments["dept_id"] == dept]
    st.altair_chart(charts.load_chart(own, balance, dataset), width="stretch", key="load_chart")
    with st.expander(t("visit_list")):
        st.dataframe(visit_table(visits), hide_index=True, width="stretch", key="visit_table")


def inspector_calendar(dataset, assignments: pd.DataFrame, row) -> None:
    """The month view of one inspector: visits, absences, rest days, and visits the last re-plan moved."""
    dept = state.scope()
    people = assignments if dept is None else assignments[assignments["dept_id"] == dept]
    ids = sorted(set(people["inspector_id"]), key=lambda p: (labels.dept(dataset, dataset.inspector[p].dept_id)
                                                            if p in dataset.inspector else "", p))
    if not ids:
        return
    st.markdown(t("inspector_calendar_heading"))
    who = st.selectbox(t("inspector"), ids, format_func=lambda p: labels.person_long(dataset, p),
                       key="calendar_inspector")
    frame = charts.month_frame(dataset, who, assignments, moved_days(row, who))
    st.altair_chart(charts.inspector_month(frame), key="month_chart")


def moved_days(row, inspector_id: str) -> set[date]:
    """Days on which this inspector has a visit that the re-plan (row) moved there or re-staffed."""
    if not row.is_scenario:
        return set()
    out = set()
    for move in state.plan_moves(row.id):
        if move["after_date"] and inspector_id in move["after_team"].split(";"):
            out.add(date.fromisoformat(move["after_date"]))
    return out


def day_map(dataset, visits: pd.DataFrame) -> None:
    """One day at a time: where the teams go, over the county's towns and 片区."""
    st.markdown(t("map_heading"))
    days = sorted(set(visits["date"]))
    if len(days) > 1:
        day = st.select_slider(t("map_day"), days, format_func=labels.day_long, key="map_day")
    else:
        day = days[0]
    of_day = visits[visits["date"] == day]
    st.caption(t("map_caption", day=labels.day_long(day), n=len(of_day),
                 teams=of_day["team"].nunique(), towns=of_day["town"].nunique()))
    st.altair_chart(charts.day_map(dataset, of_day), width="stretch", key="day_map")


def visit_table(visits: pd.DataFrame) -> pd.DataFrame:
    kinds = {"routine": t("kind_routine"), "urgent": t("kind_urgent"), "recheck": t("kind_recheck")}
    return pd.DataFrame({t("date"): visits["date"].map(labels.day_long), t("zone"): visits["zone"],
                         t("town"): visits["town"], t("business"): visits["business"],
                         t("credit_code"): visits["credit_code"], t("items"): visits["items"],
                         t("lead_dept"): visits["lead"], t("team"): visits["team"],
                         t("minutes"): visits["minutes"].astype(int), t("kind"): visits["kind"].map(kinds)})


def unscheduled(view, dataset) -> None:
    st.markdown(t("unscheduled_heading", n=len(view.unscheduled)))
    if not view.unscheduled:
        st.caption(t("all_scheduled"))
        return
    frame = pd.DataFrame([{t("business"): labels.business(dataset, u.credit_code),
                           t("credit_code"): u.credit_code,
                           t("items"): "、".join(labels.item(dataset, i) for i in u.item_ids),
                           t("reason"): u.reason} for u in view.unscheduled])
    st.dataframe(frame, hide_index=True, width="stretch", key="unscheduled_table")
