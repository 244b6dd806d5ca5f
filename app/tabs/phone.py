"""我的检查: the inspector's phone page (390×844) — the officer's own visits of the plan in force, today first, then
the rest of the week, then what is past without results; each with the business, address, team, items and the
checklist (一表通查), and result entry on the spot.

What the page holds comes only through planner.store.access.visible_plan (officer_view): the officer's own visits
with their team, nothing of any other visit, whatever the session or the address says. The plan is the one in
force on today (planner.store.officers.plan_for_officers), never a plan the session picked. Results go through
the one results path of the app (app.tabs.entry.save: the results import, the version check, the access rule
that an officer enters their department's items on their own visits only), so a department and the coordinator
see them at once.
"""
from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from app import labels, say_words, state  # noqa: F401  (say_words registers the page's words)
from app.i18n import t
from app.tabs import entry
from models.records import DISPOSAL_LABELS, RESULT_LABELS
from planner.export.visit_documents import NO_CHECKLIST, checklist_points
from planner.output import csv_bytes
from planner.plan.model import Visit
from planner.store.access import Action, officer_department, require, visible_plan
from planner.store.officers import plan_for_officers

SAVED_VISIT = "phone_outcome_visit"  # the visit whose card shows the last save's outcome, beside its form
# the app's title takes a quarter of a 390×844 screen at Streamlit's size; narrower screens get a smaller one
NARROW_TITLE = "<style>@media (max-width: 640px) { [data-testid='stHeading'] h1 { font-size: 1.6rem; } }</style>"


def render() -> None:
    user = state.user()
    require(user, Action.LISTS)
    st.html(NARROW_TITLE)
    today = state.today()
    row = plan_for_officers(state.store(), today)
    if row is None:
        st.info(t("phone_no_plan"))
        return
    loaded = state.open_stored_plan(row.id)
    if loaded is None:
        st.info(t("phone_no_plan"))
        return
    dataset = state.plan_dataset(loaded, row)
    person = dataset.inspector.get(user.inspector_id or "")
    if person is None:
        st.warning(t("phone_no_officer", id=user.inspector_id))
        return
    view = visible_plan(user, state.plan(row.id), dataset)
    st.markdown(f"#### {t('phone_heading', name=person.name, dept=labels.dept(dataset, person.dept_id))}")
    st.caption(t("phone_plan", name=row.name, period=dataset.settings.period.label))
    recorded = {(r.visit_id, r.item_id) for r in view.results}
    dept = officer_department(user, dataset) or ""
    sections(row, dataset, view.visits, recorded, dept, today)


def sections(row, dataset, visits: list[Visit], recorded: set, dept: str, today: date) -> None:
    """Today, the rest of this week, later ones; then the past ones still waiting for results."""
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    ordered = sorted(visits, key=lambda v: (v.date, v.visit_id))
    st.markdown(f"##### {t('phone_today', day=labels.day_long(today))}")
    todays = [v for v in ordered if v.date == today]
    for visit in todays:
        card(row, dataset, visit, recorded, dept, today)
    if not todays:
        st.caption(t("phone_none_today"))
    st.markdown(f"##### {t('phone_week')}")
    week = [v for v in ordered if monday <= v.date <= sunday and v.date != today]
    for visit in week:
        card(row, dataset, visit, recorded, dept, today)
    if not week:
        st.caption(t("phone_none_week"))
    due = [v for v in ordered if v.date < monday and missing(v, dataset, dept, recorded)]
    if due:
        st.markdown(f"##### {t('phone_due')}")
        for visit in due:
            card(row, dataset, visit, recorded, dept, today)
    later = [v for v in ordered if v.date > sunday]
    if later:
        with st.expander(t("phone_later")):
            for visit in later:
                st.markdown(f"- {labels.day_long(visit.date)} · {visit.business_name}")


def own_items(visit: Visit, dataset, dept: str) -> list[str]:
    return [i for i in visit.item_ids if i in dataset.item and dataset.item[i].dept_id == dept]


def missing(visit: Visit, dataset, dept: str, recorded: set) -> bool:
    return any((visit.visit_id, i) not in recorded for i in own_items(visit, dataset, dept))


def card(row, dataset, visit: Visit, recorded: set, dept: str, today: date) -> None:
    business = dataset.business.get(visit.credit_code)
    items = own_items(visit, dataset, dept)
    with st.container(border=True):
        st.markdown(f"**{labels.day_long(visit.date)} · {visit.business_name}**")
        st.caption(t("phone_address", address=(business.address if business else "") or "—",
                     town=labels.town(dataset, visit.town_id)))
        st.markdown(f"{t('phone_team')}：" + "；".join(member(dataset, visit, p) for p in visit.inspector_ids))
        st.markdown(f"{t('phone_items')}：" + "；".join(
            f"{labels.item(dataset, i)}（{labels.dept(dataset, dataset.item[i].dept_id)}）" for i in visit.item_ids
            if i in dataset.item))
        with st.expander(t("phone_checklist")):
            for item_id in visit.item_ids:
                points = checklist_points(dataset.item.get(item_id)) or [NO_CHECKLIST]
                st.markdown(f"**{labels.item(dataset, item_id)}**\n" + "\n".join(f"1. {p}" for p in points))
        done = sum((visit.visit_id, i) in recorded for i in items)
        st.caption(t("phone_entered", done=done, n=len(items)))
        if items:
            with st.expander(t("phone_enter"), expanded=visit.date == today and done < len(items)):
                if visit.date > today:
                    st.caption(t("phone_not_yet"))
                else:
                    result_form(row, dataset, visit, items, dept, today)
        if st.session_state.get(SAVED_VISIT) == visit.visit_id:
            entry.outcome("form")  # here, not at the page's end: on a phone the officer would not see it


def member(dataset, visit: Visit, inspector_id: str) -> str:
    person = dataset.inspector.get(inspector_id)
    if person is None:
        return inspector_id
    lead = f"，{t('phone_lead')}" if person.dept_id == visit.lead_dept_id else ""
    badge = t("phone_badge", badge=person.badge_no) if person.badge_no else t("phone_no_badge")
    return f"{person.name}（{labels.dept(dataset, person.dept_id)}{lead}，{badge}）"


def result_form(row, dataset, visit: Visit, items: list[str], dept: str, today: date) -> None:
    """The visit's items of the officer's department; the team as planned unless a deviation is stated."""
    key = f"phone_{row.id}_{row.version}_{visit.visit_id}"
    st.date_input(t("phone_checked_on"), value=today, min_value=visit.date,
                  max_value=max(today, visit.date), key=f"{key}_day", format="YYYY-MM-DD")
    planned = [p for p in visit.inspector_ids if p in dataset.inspector and dataset.inspector[p].dept_id == dept]
    as_planned = st.checkbox(t("phone_as_planned"), value=True, key=f"{key}_as_planned")
    if not as_planned:
        people = sorted({*planned, *(p.inspector_id for p in dataset.inspectors if p.dept_id == dept)})
        st.multiselect(t("phone_who_went"), people, default=planned, key=f"{key}_went",
                       format_func=lambda p: labels.person(dataset, p), placeholder=t("choose"))
        st.text_input(t("phone_why"), key=f"{key}_why")
    for item_id in items:
        st.markdown(f"**{labels.item(dataset, item_id)}**")
        st.selectbox(t("result"), RESULT_LABELS, index=None, key=f"{key}_result_{item_id}", placeholder=t("pick_result"))
        st.selectbox(t("disposal"), DISPOSAL_LABELS, index=None, key=f"{key}_disposal_{item_id}",
                     placeholder=t("no_disposal"))
        st.date_input(t("rectify_by"), value=None, key=f"{key}_rectify_{item_id}", format="YYYY-MM-DD")
        st.text_input(t("note"), key=f"{key}_note_{item_id}")
    if st.button(t("phone_save"), key=f"{key}_save", type="primary"):
        save(row, dataset, visit, items, dept, today, key, planned)


def save(row, dataset, visit: Visit, items: list[str], dept: str, today: date, key: str, planned: list[str]) -> None:
    s = st.session_state
    s[SAVED_VISIT] = visit.visit_id
    went, note = planned, ""
    if not s.get(f"{key}_as_planned", True):
        why = (s.get(f"{key}_why") or "").strip()
        if not why:
            st.session_state["entry_outcome"] = ("error", t("phone_why_missing"), None)
            return
        went, note = list(s.get(f"{key}_went") or []), t("phone_deviation", why=why)
    rows = entry.form_rows(visit, items, lambda name, item_id=None: f"{key}_{name}" + (f"_{item_id}" if item_id else ""),
                           went, note)
    if not rows:
        st.session_state["entry_outcome"] = ("info", t("entry_no_change"), None)
        return
    names = {n + 2: labels.item(dataset, r[1]) for n, r in enumerate(rows)}
    entry.save(row, dataset, dept, today, csv_bytes(entry.CSV_HEADERS, rows), entry.PAGE_FILE, names)
