"""假设分析: changes to the current plan as sentences, a minimal re-plan that knows today, what it cost, and the
plans and scenarios side by side."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app import change_form, charts, labels, solving, state
from app.change_form import Context
from app.i18n import lang, t
from app.tables import show_table
from models.problems import UserError
from planner.check.summary import problems_frame
from planner.plan.moves import MAKE_ROOM
from planner.plan.record import PlanRecord
from planner.quarter.rechecks import rechecks_to_plan
from planner.quarter.results import ResultsRefused
from planner.store import adoption
from planner.store.access import Action, may

BEFORE_AFTER = ["visits", "unscheduled", "max_spread", "max_fair_spread", "zone_ratio_max", "cross_zone_loans",
                "towns_per_inspector_day"]
COUNTS = {"visits", "unscheduled", "max_spread", "cross_zone_loans", "assignments", "moved"}
CHARTED = ["unscheduled", "max_spread", "cross_zone_loans", "moved"]
MANY_MOVED = 0.2  # a re-plan that moves more than this share of the visits gets a warning: many people to tell


def render() -> None:
    found = state.plan_or_hint()
    if found is None:
        return
    loaded, row, dataset = found
    adoption_bar(row, dataset)
    st.caption(t("whatif_base", plan=state.plan_title(row)))
    if row.changes:
        with st.expander(t("recorded_changes", n=len(row.changes))):
            st.markdown("\n".join(f"{i}. {labels.change(loaded.dataset, c)}" for i, c in enumerate(row.changes, 1)))
    first_day = state.first_open_day(dataset)
    today = state.today()
    if first_day is None:
        st.warning(t("no_open_day", today=labels.day_long(today), end=labels.day_long(dataset.settings.end)))
    else:
        st.info(t("open_from", today=labels.day_long(today), lock=dataset.settings.lock_days,
                  first=labels.day_long(first_day)))
        ctx = Context(loaded.dataset, tuple(row.changes), dataset, state.plan(row.id), state.plan_draw(loaded, row),
                      first_day, (row.id, row.version))
        change_form.forms(ctx)
        pending_list(ctx)
        replan_button(loaded, row, ctx)
    solving.live_panel("scenario")
    if row.is_scenario:
        cost(row, dataset)
    compare(state.plans(loaded), loaded.dataset)


def pending_list(ctx: Context) -> None:
    """The changes entered so far, as sentences; each can be taken back."""
    changes = change_form.pending()
    st.markdown(t("pending_heading", n=len(changes)))
    if not changes:
        st.caption(t("no_pending"))
        return
    for i, text in enumerate(changes):
        a, b = st.columns([10, 1])
        a.markdown(f"{i + 1}. {labels.change(ctx.dataset, text)}")
        b.button(t("drop"), key=f"drop_{i}_{len(changes)}", on_click=_drop, args=(i,))


def _drop(index: int) -> None:
    del change_form.pending()[index]


def adoption_bar(row, dataset) -> None:
    """The plan shown is not the county's plan in force: say which is, and offer to adopt this one (logged; the
    results recorded on the plan in force since are carried into it)."""
    if st.session_state.get("adopt_outcome"):
        st.success(st.session_state.pop("adopt_outcome"))
    if row.id in state.in_force_ids() or not may(state.user(), Action.ADOPT):
        return
    current = state.in_force_row(row)
    a, b = st.columns([3, 1], vertical_alignment="center")
    a.warning(t("not_in_force", plan=state.plan_title(row),
                current=state.plan_title(current) if current else t("none")))
    if b.button(t("adopt", id=row.id), key="adopt", type="primary"):
        try:
            done = adoption.adopt(state.store(), row.id, by=state.user_name())
        except ResultsRefused as refused:
            st.error(t("adopt_refused", n=len(refused.problems)))
            show_table(problems_frame(refused.problems), "adopt_problems")
        except UserError as error:
            st.error(str(error))
        else:
            st.session_state["adopt_outcome"] = t("adopted", plan=state.plan_title(row), note=done.note)
            st.rerun()


def replan_button(loaded, row, ctx: Context) -> None:
    changes = change_form.pending()
    count = len(state.plans(loaded))
    name_key = f"scenario_name_{count}_{lang()}"  # a name shown in one language is not saved in the other's
    st.text_input(t("scenario_name"), value=t("default_scenario_name", n=count + 1), key=name_key)
    busy = solving.running() is not None
    rechecks = len(rechecks_to_plan(ctx.plan))
    if changes:
        label = t("replan_n", n=len(changes))
    else:
        label = t("replan_rechecks", n=rechecks) if rechecks else t("replan")
    if not st.button(label, key="replan", type="primary", disabled=busy or not (changes or rechecks)):
        return
    try:
        change_form.check(ctx, changes)  # a mistake is reported here, before the solver runs
    except UserError as error:
        st.error(t("bad_change", error=labels.changes_named(str(error), ctx.dataset, changes)))
        return
    limit = float(st.session_state.get("time_limit") or loaded.dataset.settings.time_limit_s)
    solving.start("scenario", loaded, name=st.session_state[name_key], seed=row.seed,
                  changes=[*row.changes, *changes], time_limit_s=limit, previous_id=row.id, today=state.today())


def cost(row, dataset) -> None:
    """What this scenario cost against the plan it was re-planned from: visits moved (and how many only to make
    room), balance before and after, and a warning when the changes did nothing or moved many visits."""
    parent = state.store().plan(row.parent_id)
    moves = state.plan_moves(row.id)
    after = row.record.get("metrics", {})
    before = parent.record.get("metrics", {}) if parent is not None else {}
    st.markdown(t("cost_heading", id=row.id, parent=row.parent_id))
    new = row.changes[len(parent.changes):] if parent is not None else row.changes
    if new:
        st.caption(t("cost_changes", changes="；".join(labels.change(dataset, c) for c in new)))
    room = sum(m["reason"] == MAKE_ROOM for m in moves)
    total = int(after.get("visits", 0))
    a, b, c = st.columns(3)
    a.metric(t("moved"), len(moves), help=t("moved_help"))
    b.metric(t("moved_for_room"), room, help=t("moved_for_room_help"))
    c.metric(t("kept"), max(total - len(moves), 0))
    if not moves and all(before.get(k) == after.get(k) for k in BEFORE_AFTER):
        st.warning(t("no_effect"))
    elif total and len(moves) > MANY_MOVED * total:
        st.warning(t("many_moved", n=len(moves), share=f"{len(moves) / total:.0%}"))
    table = pd.DataFrame({t("metric"): [t(f"m_{k}") for k in BEFORE_AFTER],
                          t("before"): [figure(k, before.get(k)) for k in BEFORE_AFTER],
                          t("after"): [figure(k, after.get(k)) for k in BEFORE_AFTER]})
    show_table(table, "before_after")
    if moves:
        show_table(moves_table(moves, dataset), "moves_table", t("file_moves"))


def figure(key: str, value) -> str:
    """Counts as integers, ratios with two decimals, unknown as a dash."""
    if value is None:
        return "—"
    if key in COUNTS:
        return str(int(value))
    return f"{float(value):.2f}"


def moves_table(moves: list[dict], dataset) -> pd.DataFrame:
    def when(text: str) -> str:
        return text or "—"  # tables write dates as files do: 2026-10-08

    def who(text: str) -> str:
        return labels.team(dataset, [p for p in text.split(";") if p]) or "—"

    return pd.DataFrame([{t("business"): m["business_name"], t("before_date"): when(m["before_date"]),
                          t("after_date"): when(m["after_date"]), t("before_team"): who(m["before_team"]),
                          t("after_team"): who(m["after_team"]), t("reason"): m["reason"]} for m in moves])


def compare(rows, dataset) -> None:
    """Plans and scenarios side by side; a scenario just made joins the comparison by itself."""
    if len(rows) < 2:
        return
    st.markdown(t("compare_heading"))
    names = {r.id: f"#{r.id} {r.name}" for r in rows}  # short: the chart's bars are labelled with them
    wanted = [i for i in st.session_state.get("compare_ids", []) if i in names] or list(names)[-3:]
    chosen = st.multiselect(t("compare_pick"), list(names), default=wanted, format_func=names.get,
                            key=f"compare_pick_{len(rows)}", placeholder=t("choose"))
    st.session_state["compare_ids"] = chosen
    picked = [r for r in rows if r.id in chosen]
    if not picked:
        return
    keys = [*BEFORE_AFTER, "moved"]
    table = pd.DataFrame({names[r.id]: [*(figure(k, _value(r, k)) for k in keys), _quality(r),
                                        "；".join(labels.change(dataset, c) for c in r.changes) or t("none")]
                          for r in picked},
                         index=[*(t(f"m_{k}") for k in keys), t("quality"), t("changes")])
    st.dataframe(table, width="stretch", key="compare_table")  # the figures are its index: shown
    long = pd.DataFrame([{"plan": names[r.id], "metric": t(f"m_{k}"), "value": _value(r, k) or 0}
                         for r in picked for k in CHARTED])
    shown = long.groupby("metric")["value"].transform(lambda v: (v != 0).any())
    if len(picked) > 1 and shown.any():
        st.altair_chart(charts.compare_chart(long[shown]), width="stretch", key="compare_chart")
    tradeoff(picked, names)


def tradeoff(picked, names) -> None:
    """Loans against the worst 片区 ratio, when the plans compared differ in both (exploring zone_balance)."""
    points = pd.DataFrame([{"plan": names[r.id], "loans": _value(r, "cross_zone_loans"),
                            "ratio": _value(r, "zone_ratio_max")} for r in picked]).dropna()
    if len(points) < 2 or points["ratio"].nunique() < 2 or points["loans"].nunique() < 2:
        return  # without both moving there is no trade-off to show
    st.markdown(t("tradeoff_heading"))
    st.altair_chart(charts.tradeoff_chart(points), width="stretch", key="tradeoff_chart")


def _value(row, key: str):
    return row.record.get("moved") if key == "moved" else row.record.get("metrics", {}).get(key)


def _quality(row) -> str:
    solver = PlanRecord.from_json(row.record).solver
    return labels.quality(solver)
