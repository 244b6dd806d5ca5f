"""假设分析: changes to the current plan, a minimal-perturbation re-plan, what moved, scenarios side by side."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app import solving, state
from app.i18n import t
from models.records import RISK_LEVELS

CHANGES_KEY = "whatif_changes"
COMPARED = ["visits", "unscheduled", "assignments", "max_spread", "cross_zone_loans", "towns_per_inspector_day",
            "zone_load_cv", "mean_cv"]


def render() -> None:
    st.subheader(t("tab_whatif"))
    found = state.plan_or_hint()
    if found is None:
        return
    loaded, row = found
    dataset = state.plan_dataset(loaded, row)
    st.caption(t("whatif_base", id=row.id, name=row.name, changes="; ".join(row.changes) or t("none")))
    _change_builders(dataset)
    if st.session_state.pop("clear_changes", False):
        st.session_state[CHANGES_KEY] = ""
    st.text_area(t("changes"), key=CHANGES_KEY, height=110, help=t("changes_help"))
    rows = state.plans(loaded)
    count = len(rows)
    name_key = f"scenario_name_{count}"
    st.text_input(t("scenario_name"), value=t("default_scenario_name", n=count + 1), key=name_key)
    busy = solving.running() is not None
    if st.button(t("replan"), key="replan", type="primary", disabled=busy):
        new = [line.strip() for line in st.session_state.get(CHANGES_KEY, "").splitlines() if line.strip()]
        if not new:
            st.warning(t("no_changes"))
        else:
            _replan(loaded, row, new, st.session_state[name_key])
    solving.live_panel("scenario")
    if row.is_scenario:
        _difference(row)
    _compare(rows)


def _replan(loaded, row, new: list[str], name: str) -> None:
    try:
        state.with_changes(loaded.dataset, row.changes + new)  # a typo is reported here, before the solver
    except Exception as error:
        st.error(t("bad_change", error=error))
        return
    limit = float(st.session_state.get("time_limit") or loaded.dataset.settings.time_limit_s)
    st.session_state["clear_changes"] = True  # the text area exists already: cleared on the next run
    solving.start("scenario", loaded, name=name, seed=row.seed, changes=row.changes + new, time_limit_s=limit,
                  previous_id=row.id)


def _append(line: str) -> None:
    current = st.session_state.get(CHANGES_KEY, "").rstrip("\n")
    st.session_state[CHANGES_KEY] = f"{current}\n{line}".strip("\n")


def _change_builders(dataset) -> None:
    people = {p.inspector_id: f"{p.name}({p.inspector_id}) · {p.dept_id} · {dataset.zone[p.zone_id].name}"
              for p in dataset.inspectors}
    days = dataset.workdays
    absent, add, other = st.tabs([t("absent"), t("add_remove"), t("other_changes")])
    with absent:
        a, b, c = st.columns([3, 1, 1])
        who = a.selectbox(t("inspector"), list(people), format_func=people.get, key="absent_who")
        start = b.date_input(t("from"), value=days[0], min_value=days[0], max_value=days[-1], key="absent_from")
        end = c.date_input(t("to"), value=days[min(4, len(days) - 1)], min_value=days[0], max_value=days[-1],
                           key="absent_to")
        st.button(t("add_change"), key="add_absent", on_click=_append, args=(f"absent:{who}:{start}:{end}",))
    with add:
        a, b, c, d = st.columns(4)
        new_id = a.text_input(t("new_id"), key="new_id")
        new_name = b.text_input(t("new_name"), key="new_name")
        dept = c.selectbox(t("department"), [d.dept_id for d in dataset.departments], key="new_dept")
        zone = d.selectbox(t("zone"), [z.zone_id for z in dataset.zones], key="new_zone")
        st.button(t("add_inspector"), key="add_inspector", disabled=not (new_id and new_name), on_click=_append,
                  args=(f"add:{new_id}:{new_name}:{dept}:{zone}",))
        gone = st.selectbox(t("remove_inspector"), list(people), format_func=people.get, key="remove_who")
        st.button(t("add_change"), key="add_remove", on_click=_append, args=(f"remove:{gone}",))
    with other:
        a, b = st.columns(2)
        code = a.text_input(t("urgent_code"), key="urgent_code")
        a.button(t("add_urgent"), key="add_urgent", disabled=not code.strip(), on_click=_append,
                 args=(f"urgent:{code.strip()}",))
        cross = b.selectbox("cross_zone", ["forbid", "penalty", "allow"], key="cross_zone_choice",
                            index=["forbid", "penalty", "allow"].index(dataset.settings.cross_zone))
        b.button(t("add_change"), key="add_cross", on_click=_append, args=(f"set:cross_zone={cross}",))
        c, d, e = st.columns(3)
        item = c.selectbox(t("item"), [i.item_id for i in dataset.items], key="ratio_item")
        level = d.selectbox(t("risk"), list(RISK_LEVELS), key="ratio_level")
        value = e.number_input(t("ratio"), 0.0, 1.0, dataset.item[item].ratios.get(level, 0.0), 0.01,
                               key=f"ratio_value_{item}_{level}")
        st.button(t("add_change"), key="add_ratio", on_click=_append, args=(f"ratio:{item}:{level}:{value:g}",))
        f, g = st.columns(2)
        who = f.selectbox(t("inspector"), list(people), format_func=people.get, key="minutes_who")
        minutes = g.number_input(t("day_minutes"), 30, 720, dataset.inspector[who].day_minutes, 30,
                                 key=f"minutes_{who}")
        st.button(t("add_change"), key="add_minutes", on_click=_append, args=(f"day_minutes:{who}:{minutes}",))


def _difference(row) -> None:
    """What this scenario moved against the plan it was re-planned from."""
    parent = state.store().plan(row.parent_id)
    st.markdown(t("difference_heading", id=row.id, parent=row.parent_id))
    moved = row.record.get("moved", 0)
    total = row.record.get("metrics", {}).get("visits", 0)
    st.metric(t("moved"), moved, help=t("moved_help"))
    if parent is not None:
        before, after = parent.record.get("metrics", {}), row.record.get("metrics", {})
        table = pd.DataFrame({t("metric"): [t(f"m_{k}") for k in COMPARED],
                              t("before"): [before.get(k) for k in COMPARED],
                              t("after"): [after.get(k) for k in COMPARED]})
        st.dataframe(table.astype(str), hide_index=True, width="stretch", key="before_after")
    changes_csv = state.folder_of(row.id) / "changes.csv"
    if changes_csv.exists():
        moves = pd.read_csv(changes_csv, dtype=str).fillna("")
        st.dataframe(moves, hide_index=True, width="stretch", key="moves_table")
    st.caption(t("kept_share", kept=total - moved if total >= moved else 0, total=total))


def _compare(rows) -> None:
    if len(rows) < 2:
        return
    st.markdown(t("compare_heading"))
    labels = {r.id: f"#{r.id} {r.name}" for r in rows}
    chosen = st.multiselect(t("compare_pick"), list(labels), default=list(labels)[-3:], format_func=labels.get,
                            key="compare_pick")
    if not chosen:
        return
    picked = [r for r in rows if r.id in chosen]
    table = pd.DataFrame({labels[r.id]: [r.record.get("metrics", {}).get(k) for k in COMPARED]
                          + [r.record.get("moved", 0), r.record.get("solver", {}).get("status"),
                             r.record.get("solver", {}).get("wall_s"), "; ".join(r.changes)] for r in picked},
                         index=[t(f"m_{k}") for k in COMPARED] + [t("moved"), t("status"), t("seconds"), t("changes")])
    st.dataframe(table.astype(str), width="stretch", key="compare_table")
    long = pd.DataFrame([{"plan": labels[r.id], "metric": t(f"m_{k}"), "value": r.record.get("metrics", {}).get(k)}
                         for r in picked for k in ("unscheduled", "max_spread", "cross_zone_loans")])
    chart = (alt.Chart(long).mark_bar().encode(x=alt.X("plan:N", title=""), y=alt.Y("value:Q", title=""),
                                               color="plan:N", column=alt.Column("metric:N", title=""))
             .properties(width=160, height=180))
    st.altair_chart(chart, key="compare_chart")
