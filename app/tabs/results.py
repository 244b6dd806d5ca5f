"""结果: the plan as the user may see it — the solver's quality in words, balance per department, a calendar per
inspector, a map per day, loads, the visit list and what could not be placed.

A department (or a coordinator in a department's view) gets planner.store.access's department view: every
frame and chart below is built from that narrowed plan only.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from app import charts, labels, state
from app.i18n import planner_words, t
from app.tables import show_table
from planner.plan.record import LEVEL_WORDS, STAGE_WORDS, PlanRecord


def render() -> None:
    found = state.plan_or_hint()
    if found is None:
        return
    _, row, dataset = found
    plan = state.plan(row.id)
    view = state.visible(plan, dataset)
    dept = state.scope()
    st.markdown(f"#### {state.plan_title(row)}" + (f" · {labels.dept(dataset, dept)}" if dept else ""))
    record = plan.record
    assert record is not None  # read_plan always reads it
    if dept is None:
        solver_summary(record)
    else:
        department_summary(view, dept)
    visits = _visits(state.store().where, row.id, row.version, dept, view, dataset)
    if visits.empty:
        st.info(t("no_visits"))
    else:
        assignments = _assignments(state.store().where, row.id, row.version, dept, view, dataset)
        search(dataset, visits, assignments)
        zone_table(record, dataset, dept)
        _pictures(view, dataset, visits, assignments, row)
    unscheduled(view, dataset)


@st.cache_data(show_spinner=False, max_entries=16)
def _visits(db: str, plan_id: int, version: int, dept: str | None, _view, _dataset) -> pd.DataFrame:
    """The visible plan's visits as a frame, once per (plan version, view): every rerun of the page reuses it."""
    return charts.visits_frame(_view, _dataset)


@st.cache_data(show_spinner=False, max_entries=16)
def _assignments(db: str, plan_id: int, version: int, dept: str | None, _view, _dataset) -> pd.DataFrame:
    return charts.assignments_frame(_view, _dataset)


def search(dataset, visits: pd.DataFrame, assignments: pd.DataFrame) -> None:
    """Find a business (by name or credit code) and its visit, or an officer (by name) and their visits."""
    query = (st.text_input(t("search"), key="results_search", placeholder=t("search_hint")) or "").strip()
    if not query:
        return
    upper = query.upper()
    found = visits[visits["business"].str.contains(query, regex=False) | visits["credit_code"].str.contains(upper,
                                                                                                      regex=False)]
    people = sorted({p for p, name in zip(assignments["inspector_id"], assignments["inspector"]) if query in name})
    if found.empty and not people:
        st.info(t("search_none", query=query))
        return
    if not found.empty:
        st.caption(t("search_businesses", n=len(found)))
        show_table(visit_table(found.head(50)), "search_visits")
    for who in people[:5]:
        mine = assignments[assignments["inspector_id"] == who]
        st.caption(t("search_person", name=labels.person_long(dataset, who), n=len(mine)))
        show_table(week_table(dataset, mine, visits), f"search_person_{who}")


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
    st.markdown(t("quality_line", quality=labels.quality(solver), s=f"{solver.wall_s:.0f}", limit=f"{solver.time_limit_s:.0f}"))
    if solver.levels:
        with st.expander(t("levels_heading")):
            show_table(levels_frame(record), "levels_table")


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
    show_table(pd.DataFrame(rows), "zone_table", column_config={t("fair_spread"): st.column_config.NumberColumn(format="%.1f")})
    st.caption(t("zone_caption"))


def _pictures(view, dataset, visits: pd.DataFrame, assignments: pd.DataFrame, row) -> None:
    st.markdown(t("calendar_heading"))
    st.altair_chart(charts.calendar_heatmap(visits, dataset.workdays), width="stretch", key="calendar_chart")
    inspector_calendar(dataset, assignments, visits, row)
    day_map(dataset, visits)
    st.markdown(t("load_heading"))
    dept = state.scope()
    balance = [b for b in (view.record.metrics.get("balance", []) if view.record else [])
               if dept is None or b["dept_id"] == dept]
    own = assignments if dept is None else assignments[assignments["dept_id"] == dept]
    st.altair_chart(charts.load_chart(own, balance, dataset), width="stretch", key="load_chart")
    with st.expander(t("visit_list")):
        show_table(visit_table(visits), "visit_table", t("file_visits"))


def inspector_calendar(dataset, assignments: pd.DataFrame, visits: pd.DataFrame, row) -> None:
    """One inspector: a month at a time (visits, absences, rest days, what the last re-plan moved) and a week as a
    list of days."""
    dept = state.scope()
    people = assignments if dept is None else assignments[assignments["dept_id"] == dept]
    ids = sorted(set(people["inspector_id"]), key=lambda p: (labels.dept(dataset, dataset.inspector[p].dept_id)
                                                            if p in dataset.inspector else "", p))
    if not ids:
        return
    st.markdown(t("inspector_calendar_heading"))
    a, b = st.columns([3, 2])
    who = a.selectbox(t("inspector"), ids, format_func=lambda p: labels.person_long(dataset, p),
                      key="calendar_inspector")
    months = sorted({(d.year, d.month) for d in dataset.workdays})
    month = b.selectbox(t("month"), months, key="calendar_month",
                        format_func=labels.words_of(months, lambda m: t("month_label", year=m[0], month=m[1])))
    frame = charts.month_frame(dataset, who, assignments, moved_days(row, who), month)
    st.altair_chart(charts.inspector_month(frame), width="stretch", key="month_chart")
    mine = assignments[assignments["inspector_id"] == who]
    weeks = sorted({charts.monday(d) for d in dataset.workdays if d.month == month[1]})
    if weeks:
        week = st.selectbox(t("week_pick"), weeks, key=f"calendar_week_{who}_{month}",
                            format_func=labels.words_of(weeks, lambda w: t("week_of_long", day=labels.day_long(w))))
        days = [d for d in dataset.workdays if week <= d < week + timedelta(days=7)]
        show_table(week_days(dataset, who, days, mine, visits), "week_table", t("file_week"))


def week_days(dataset, who: str, days: list[date], mine: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    """An officer's working days of a week, one row per visit (or per free or absent day)."""
    rows = []
    team = dict(zip(visits["visit_id"], visits["team"]))
    items = dict(zip(visits["visit_id"], visits["items"]))
    for day in days:
        today = mine[mine["date"] == day]
        if today.empty:
            status = t("day_visits_none") if dataset.is_present(who, day) else t("day_absent")
            rows.append({t("date"): labels.table_day(day), t("weekday"): labels.weekday(day), t("town"): "—",
                         t("business"): status, t("items"): "—", t("team"): "—"})
        for a in today.itertuples():
            rows.append({t("date"): labels.table_day(day), t("weekday"): labels.weekday(day), t("town"): a.town,
                         t("business"): a.business, t("items"): items.get(a.visit_id, ""),
                         t("team"): team.get(a.visit_id, "")})
    return pd.DataFrame(rows)


def week_table(dataset, mine: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    """Every visit of one officer, by date (the search's answer for a person)."""
    team = dict(zip(visits["visit_id"], visits["team"]))
    return pd.DataFrame([{t("date"): labels.table_day(a.date), t("weekday"): labels.weekday(a.date),
                          t("town"): a.town, t("business"): a.business, t("team"): team.get(a.visit_id, "")}
                         for a in mine.sort_values(["date", "visit_id"]).itertuples()])


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
    with st.expander(t("map_teams", n=of_day["team"].nunique())):
        show_table(pd.DataFrame({t("team"): of_day["team"], t("town"): of_day["town"],
                                 t("business"): of_day["business"], t("items"): of_day["items"]}), "map_table")


def visit_table(visits: pd.DataFrame) -> pd.DataFrame:
    kinds = {"routine": t("kind_routine"), "urgent": t("kind_urgent"), "recheck": t("kind_recheck")}
    return pd.DataFrame({t("date"): visits["date"].map(labels.table_day), t("zone"): visits["zone"],
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
    show_table(frame, "unscheduled_table", t("file_unscheduled"))
