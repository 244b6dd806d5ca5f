"""排程 (综合查一次): run the solver in the background, time used against the limit as a bar; the balance between
片区 chosen here, beside the trade-off of the plans made so far (loans against the worst 片区 ratio)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app import charts, labels, solving, state
from app.i18n import lang, t
from app.tabs.draw_tab import draw_changes, seed_of
from planner.plan.record import PlanRecord
from planner.plan.today import plan_day
from planner.whatif.describe import describe_change


def render() -> None:
    loaded = state.dataset_or_hint()
    if loaded is None:
        return
    ds = loaded.dataset
    a, b = st.columns([1, 2])
    a.number_input(t("time_limit"), min_value=1, max_value=3600, value=int(ds.settings.time_limit_s), step=5,
                   key="time_limit", persist_state="session")
    count = len(state.plans(loaded))
    name_key = f"plan_name_{count}_{lang()}"  # a name typed in one language is not saved in the other's words
    b.text_input(t("plan_name"), value=t("default_plan_name", n=count + 1), key=name_key)
    changes = draw_changes(loaded) + _balance_change(ds)
    described = "；".join(describe_change(ds, c) for c in changes) or t("none")
    st.caption(t("plan_uses", seed=seed_of(loaded), changes=described))
    today = state.today()
    st.info(plan_day(ds.workdays, ds.settings, today, demonstration=state.today_is_demonstration()).sentence(
        labels.day_long) if lang() == "zh" else t("plan_day_en", day=labels.day_long(today)))
    if not st.session_state.get("coordinated", True):
        st.warning(t("uncoordinated_note"))
    busy = solving.running() is not None
    if st.button(t("run_plan"), key="run_plan", type="primary", disabled=busy):
        solving.start("plan", loaded, name=st.session_state[name_key], seed=seed_of(loaded), changes=changes,
                      time_limit_s=float(st.session_state["time_limit"]), today=today)
    solving.live_panel("plan")
    last = st.session_state.get("last_job")
    if last and last.get("kind") == "plan" and not busy:
        row = state.store().plan(last["plan_id"])
        solver = PlanRecord.from_json(row.record).solver if row is not None else None
        st.success(t("plan_done", name=last["name"], id=last["plan_id"], s=f"{last['elapsed_s']:.0f}",
                     quality=labels.quality(solver)))
        st.caption(t("plan_adopted") if last.get("adopted") else t("plan_not_adopted"))
        for reason in (solver.balance.values() if solver is not None else ()):
            st.warning(t("balance_missed", reason=reason))
    _tradeoff(loaded)


BALANCE_CHOICES = ("ratio:1.25", "ratio:1.5", "best", "off")


def _balance_change(ds) -> list[str]:
    """zone_balance as the coordinator picks it: a change when it differs from the dataset's setting."""
    current = str(ds.settings.zone_balance)
    choices = [current, *(c for c in BALANCE_CHOICES if c != current)]
    picked = st.radio(t("zone_balance"), choices,
                      format_func=labels.words_of(choices, lambda c: t(f"zb_{c}") if c in BALANCE_CHOICES else c),
                      horizontal=True, key="zone_balance_choice", help=t("zone_balance_help"), persist_state="session")
    return [] if picked == current else [f"set:zone_balance={picked}"]


def _tradeoff(loaded) -> None:
    """The plans made so far, one point each: what evening out the 片区 cost in loans."""
    rows = [{"plan": f"#{r.id} {balance_words(r.record.get('parameters', {}).get('zone_balance', ''))}",
             "loans": r.record.get("metrics", {}).get("cross_zone_loans"),
             "ratio": r.record.get("metrics", {}).get("zone_ratio_max")} for r in state.plans(loaded)]
    points = pd.DataFrame(rows, columns=["plan", "loans", "ratio"]).dropna()
    if len(points) < 2 or points["ratio"].nunique() < 2:
        st.caption(t("tradeoff_hint"))
        return
    st.markdown(t("tradeoff_heading"))
    st.altair_chart(charts.tradeoff_chart(points), width="stretch", key="schedule_tradeoff_chart")


def balance_words(value: str) -> str:
    """A plan's zone_balance as the radio above names it."""
    return t(f"zb_{value}") if value in BALANCE_CHOICES else (value.replace("ratio:", "≤ ") if value else "")
