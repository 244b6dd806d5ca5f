"""企业预约与评价 (coordinator): the business's say.

企业预约: a form that turns a business's request — these days, or not these days — into a prefer/avoid change,
checked like every change and added to the what-if page's pending changes (app.change_form.pending), where the
re-plan honours it when the rules allow; below, what became of the current plan's requests (appointments.csv).

企业评价: the ratings per department and quarter only (planner.store.ratings, Action.RATINGS: never per officer
or visit, and shown to no other role), and a form for a rating the office receives by phone or on paper.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app import change_form, labels, say_words, state  # noqa: F401  (say_words registers the page's words)
from app.i18n import t
from models.period import Period
from models.problems import UserError
from models.schema import BadValue
from planner.plan.appointments import read_appointments
from planner.plan.changes import apply_changes
from planner.store.access import Action, require
from planner.store.ratings import MIN_GROUP, enter_rating, rating_groups
from planner.whatif.describe import describe_change


def render() -> None:
    require(state.user(), Action.PLAN)
    st.markdown(f"##### {t('say_heading')}")
    st.caption(t("say_help"))
    found = state.plan_or_hint()
    if found is not None:
        appointment_form(*found)
        outcomes(*found)
    st.markdown(f"##### {t('ratings_heading')}")
    ratings()


def appointment_form(loaded, row, dataset) -> None:
    first = state.first_open_day(dataset)
    if first is None:
        st.info(t("say_no_open_day"))
        return
    plan = state.plan(row.id)
    visits = {v.credit_code: v for v in sorted(plan.visits, key=lambda v: v.date) if v.date >= first}
    if not visits:
        st.info(t("say_no_open_day"))
        return
    code = st.selectbox(t("say_business"), list(visits), key="say_business",
                        format_func=lambda c: f"{visits[c].business_name} · {labels.day_long(visits[c].date)}")
    kind = st.radio(t("say_kind"), ["prefer", "avoid"], key="say_kind", horizontal=True,
                    format_func=lambda k: t(f"say_{k}"))
    start = st.date_input(t("say_from"), value=first, min_value=first, max_value=dataset.settings.end,
                          key="say_from", format="YYYY-MM-DD")
    end = st.date_input(t("say_to"), value=start, min_value=first, max_value=dataset.settings.end, key="say_to",
                        format="YYYY-MM-DD")
    if st.button(t("say_add"), key="say_add"):
        add(loaded, row, f"{kind}:{code}:{start.isoformat()}:{end.isoformat()}")
    pending = [c for c in change_form.pending() if c.startswith(("prefer:", "avoid:"))]
    if pending:
        st.markdown(t("say_pending") + "\n" + "\n".join(f"- {describe_change(dataset, c)}" for c in pending))


def add(loaded, row, change: str) -> None:
    """The change checked against the plan's own changes and those pending, then added to the pending list."""
    try:
        apply_changes(loaded.dataset, [*row.changes, *change_form.pending(), change])
    except (UserError, BadValue) as error:
        st.error(labels.changes_named(str(error), loaded.dataset, [change]))
        return
    change_form.pending().append(change)
    st.success(t("say_added", change=describe_change(loaded.dataset, change)))


def outcomes(loaded, row, dataset) -> None:
    with state.plan_folder(row.id) as folder:  # a private copy, gone after the read
        rows = read_appointments(folder)
    st.markdown(f"**{t('say_outcomes')}**")
    if not rows:
        st.caption(t("say_none"))
        return
    table = pd.DataFrame([{
        t("say_business"): r["business_name"] or r["credit_code"],
        t("say_kind"): describe_change(dataset, r["change"]),
        t("say_outcome"): t("say_honoured") if r["honoured"] == "true" else t("say_refused"),
        t("say_reason"): r["reason"] or "—",
        t("say_visit_day"): labels.day_long(pd.Timestamp(r["date"]).date()) if r["date"] else "—"} for r in rows])
    st.dataframe(table, hide_index=True, width="stretch", key="say_outcomes")


def ratings() -> None:
    user = state.user()
    st.caption(t("ratings_rule", n=MIN_GROUP))
    groups = rating_groups(state.store(), user)
    loaded = state.current()
    if not groups:
        st.info(t("ratings_none"))
    else:
        table = pd.DataFrame([{
            t("ratings_period"): period_label(g.period),
            t("ratings_dept"): labels.dept(loaded.dataset, g.dept_id) if loaded else g.dept_id,
            t("ratings_count"): g.count,
            t("ratings_satisfied"): "—" if g.satisfied is None else str(g.satisfied),
            t("ratings_share"): "—" if g.satisfied_share is None else f"{g.satisfied_share:.0%}",
            t("ratings_comments"): "；".join(g.comments) or "—"} for g in groups])
        st.dataframe(table, hide_index=True, width="stretch", key="ratings_table")
    with st.expander(t("ratings_office")):
        office_form(user)


def period_label(text: str) -> str:
    try:
        return Period.parse(text).label
    except BadValue:
        return text


def office_form(user) -> None:
    code = st.text_input(t("rate_code"), key="office_credit_code")
    rating = st.text_input(t("rate_rating_code"), key="office_rating_code")
    answer = st.radio(t("rate_answer"), [True, False], key="office_answer", horizontal=True,
                      format_func=lambda yes: t("rate_yes") if yes else t("rate_no"))
    comment = st.text_area(t("rate_comment"), key="office_comment", max_chars=200)
    if st.button(t("rate_send"), key="office_send"):
        try:
            enter_rating(state.store(), user, code, rating, answer, comment, today=state.today())
        except UserError as error:
            st.error(str(error))
        else:
            st.success(t("rate_thanks"))
