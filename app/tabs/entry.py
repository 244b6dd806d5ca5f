"""结果登记: a department enters what it found, in the page or by sending back its filled-in workbook.

Both go through the results import of the living quarter (planner.quarter.results.import_results: the same
checks, all or nothing, the same results_log line and commitment link), into a private copy of the plan's
current version, stored as the next version with Store.change_plan — two departments saving at once both land
(the second import runs again on the first one's version). A department enters its own items only.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from app import labels, state
from app.i18n import t
from app.tables import show_table
from models.problems import UserError
from models.records import DISPOSAL_LABELS, RESULT_LABELS, Result
from planner.check.summary import problems_frame
from planner.output import csv_bytes
from planner.plan.folder import read_plan
from planner.quarter.results import ResultsRefused, import_results
from planner.store.access import AccessDenied, Action, require, results_not_allowed
from planner.store.store import PlanChanged

CSV_HEADERS = ["检查编号", "事项编号", "检查日期", "检查结果", "后续处置", "整改期限", "实际检查人员", "备注"]
PAGE_FILE = "结果登记（网页录入）.csv"


def render() -> None:
    found = state.plan_or_hint()
    if found is None:
        return
    _, shown, dataset = found
    row = state.in_force_row(shown)  # results are recorded on the quarter's plan in force, never on a scenario
    if row is None or row.dataset_digest != shown.dataset_digest:
        st.warning(t("entry_no_plan_in_force", plan=state.plan_title(shown)))
        return
    if row.id != shown.id:
        st.info(t("entry_goes_to_in_force", shown=state.plan_title(shown), plan=state.plan_title(row)))
    dept = state.scope() or department_pick(dataset)
    if dept is None:
        return
    view = state.visible(state.plan(row.id), dataset)
    today = state.today()
    st.markdown(t("entry_heading", dept=labels.dept(dataset, dept), day=labels.day_long(today)))
    due = [v for v in sorted(view.visits, key=lambda v: (v.date, v.visit_id)) if v.date <= today and own_items(v, dataset, dept)]
    if not due:
        st.info(t("entry_nothing_yet"))
    else:
        recorded = {(r.visit_id, r.item_id): r for r in view.results}
        show_table(status_table(due, recorded, dataset, dept), "entry_status")
        visit_form(row, dataset, dept, today, due, recorded)
    upload(row, dataset, dept, today)


def department_pick(dataset) -> str | None:
    """A coordinator in the county view enters results for a department chosen here."""
    return st.selectbox(t("entry_dept"), [d.dept_id for d in dataset.departments], index=None, key="entry_dept",
                        placeholder=t("entry_pick_dept"), format_func=lambda d: labels.dept(dataset, d))


def own_items(visit, dataset, dept: str) -> list[str]:
    return [i for i in visit.item_ids if i in dataset.item and dataset.item[i].dept_id == dept]


def status_table(due, recorded: dict, dataset, dept: str) -> pd.DataFrame:
    """What is recorded for each (visit, item) due so far; '未登记' where nothing is."""
    rows = []
    for v in due:
        for item_id in own_items(v, dataset, dept):
            r = recorded.get((v.visit_id, item_id))
            rows.append({t("planned_day"): labels.table_day(v.date),
                         t("business"): labels.business(dataset, v.credit_code, v.business_name),
                         t("item_name"): labels.item(dataset, item_id),
                         t("result"): r.result if r else t("not_entered"),
                         t("disposal"): (r.disposal or "—") if r else "—",
                         t("checked_on"): labels.table_day(r.checked_on) if r else "—",
                         t("rectify_by"): labels.table_day(r.rectify_by) if r and r.rectify_by else "—"})
    return pd.DataFrame(rows)


def visit_form(row, dataset, dept: str, today: date, due, recorded: dict) -> None:
    """One visit at a time: the day it was done, who went, and per item of this department the result."""
    st.markdown(t("entry_form_heading"))
    waiting = [v for v in due if any((v.visit_id, i) not in recorded for i in own_items(v, dataset, dept))]
    ids = [v.visit_id for v in due]
    by_id = {v.visit_id: v for v in due}
    visit = by_id[st.selectbox(t("visit"), ids, index=ids.index(waiting[0].visit_id) if waiting else 0,
                               key=f"entry_visit_{row.id}_{row.version}",
                               format_func=labels.words_of(ids, lambda i: _visit_label(by_id[i], dataset, dept, recorded)))]
    items = own_items(visit, dataset, dept)
    first = recorded.get((visit.visit_id, items[0]))
    key = f"{row.id}_{row.version}_{visit.visit_id}"
    a, b = st.columns([1, 3])
    a.date_input(t("checked_on"), value=first.checked_on if first else visit.date, min_value=visit.date,
                 max_value=max(today, visit.date), key=f"entry_day_{key}", format="YYYY-MM-DD")
    team = [p for p in visit.inspector_ids if dataset.inspector.get(p) and dataset.inspector[p].dept_id == dept]
    people = sorted({*visit.inspector_ids, *(p.inspector_id for p in dataset.inspectors if p.dept_id == dept)})
    b.multiselect(t("went"), people, default=list(first.inspector_ids) if first else team, key=f"entry_went_{key}",
                  format_func=lambda p: labels.person(dataset, p), placeholder=t("choose"))
    for item_id in items:
        item_fields(dataset, key, item_id, recorded.get((visit.visit_id, item_id)))
    a, b = st.columns([1, 3], vertical_alignment="center")
    clicked = a.button(t("entry_save"), key="entry_save", type="primary")
    b.caption(t("entry_target", plan=state.plan_title(row), version=row.version))
    if clicked:
        rows = form_rows(visit, items, lambda name, item_id=None: f"entry_{name}_{key}" + (f"_{item_id}" if item_id else ""),
                         st.session_state.get(f"entry_went_{key}", []))
        if not rows:
            st.session_state["entry_outcome"], st.session_state["entry_outcome_where"] = \
                ("info", t("entry_no_change"), None), "form"
        else:
            names = {i + 2: labels.item(dataset, r[1]) for i, r in enumerate(rows)}
            st.session_state["entry_saved_visit"] = labels.business(dataset, visit.credit_code, visit.business_name)
            save(row, dataset, dept, today, csv_bytes(CSV_HEADERS, rows), PAGE_FILE, names)
    outcome("form")  # right under the button, at once (also after the form moved on to the next visit)


def item_fields(dataset, key: str, item_id: str, found) -> None:
    st.markdown(f"**{labels.item(dataset, item_id)}**")
    a, b, c = st.columns([2, 1, 1])
    a.selectbox(t("result"), RESULT_LABELS, index=RESULT_LABELS.index(found.result) if found else None,
                key=f"entry_result_{key}_{item_id}", placeholder=t("pick_result"))
    b.selectbox(t("disposal"), DISPOSAL_LABELS, key=f"entry_disposal_{key}_{item_id}", placeholder=t("no_disposal"),
                index=DISPOSAL_LABELS.index(found.disposal) if found and found.disposal else None)
    c.date_input(t("rectify_by_field"), value=found.rectify_by if found else None, key=f"entry_rectify_{key}_{item_id}",
                 format="YYYY-MM-DD", help=t("rectify_by_help"))
    st.text_input(t("note"), value=found.note if found else "", key=f"entry_note_{key}_{item_id}")


def form_rows(visit, items: list[str], field: Callable[..., str], went: list[str], note: str = "") -> list[list[str]]:
    """The results CSV rows of the items given a result (an item left empty is not entered yet). `field(name,
    item_id=None)` is a widget's key (each page keys its own), `went` the team, `note` a sentence every row adds."""
    s = st.session_state
    rows = []
    for item_id in items:
        result = s.get(field("result", item_id))
        if not result:
            continue
        rectify = s.get(field("rectify", item_id))
        own_note = (s.get(field("note", item_id)) or "").strip()
        rows.append([visit.visit_id, item_id, s[field("day")].isoformat(), result,
                     s.get(field("disposal", item_id)) or "", rectify.isoformat() if rectify else "",
                     ";".join(went), "；".join(filter(None, [note, own_note]))])
    return rows


def _visit_label(visit, dataset, dept: str, recorded: dict) -> str:
    items = own_items(visit, dataset, dept)
    done = sum((visit.visit_id, i) in recorded for i in items)
    return f"{labels.day_long(visit.date)} · {labels.business(dataset, visit.credit_code, visit.business_name)} · " \
           + t("items_entered", done=done, n=len(items))


def upload(row, dataset, dept: str, today: date) -> None:
    """The department's exported workbook, filled in (its 结果登记 sheet), or a results CSV."""
    with st.expander(t("entry_upload_heading")):
        sent = st.file_uploader(t("entry_upload"), type=["xlsx", "csv"], key=f"entry_upload_{row.id}_{row.version}")
        a, b = st.columns([1, 3], vertical_alignment="center")
        clicked = a.button(t("entry_import"), key="entry_import", disabled=sent is None)
        b.caption(t("entry_target", plan=state.plan_title(row), version=row.version))
        if clicked and sent is not None:
            st.session_state.pop("entry_saved_visit", None)
            save(row, dataset, dept, today, sent.getvalue(), Path(sent.name).name, None, where="upload")
        outcome("upload")


def save(row, dataset, dept: str, today: date, data: bytes, file_name: str, page_rows: dict | None,
         where: str = "form") -> None:
    """Import into a private copy of the plan's current version and store it as the next version — or nothing
    (Store.change_plan: a department that saved meanwhile is not overwritten; the import runs on its version)."""
    user = state.user()
    st.session_state.pop("entry_outcome", None)
    st.session_state["entry_outcome_where"] = where

    def enter(folder: Path):
        before = read_plan(folder).results
        with tempfile.TemporaryDirectory(prefix="planner-") as tmp:
            sent = Path(tmp) / file_name
            sent.write_bytes(data)
            report = import_results(folder, [sent], today=today, user=user.name, now=datetime.now().astimezone(),
                                    dept_id=dept, dataset=dataset)
        refused = results_not_allowed(user, _new_results(before, report), dataset, report.plan)
        if refused:
            raise AccessDenied(t("entry_not_yours", n=len(refused)))
        return report

    try:
        require(user, Action.RESULTS)
        change = state.store().change_plan(row.id, enter, by=user.name, note=lambda report: t(
            "entry_note", dept=labels.dept(dataset, dept), added=report.added, changed=report.changed))
    except ResultsRefused as refused:
        st.session_state["entry_outcome"] = ("error", t("entry_refused", n=len(refused.problems)),
                                             problems_table(refused.problems, page_rows))
    except (PlanChanged, UserError) as error:
        st.session_state["entry_outcome"] = ("error", str(error), None)
    else:
        report = change.outcome
        if change.version is None:
            st.session_state["entry_outcome"] = ("info", t("entry_nothing_new"), None)
            return
        message = t("entry_saved", added=report.added, changed=report.changed, plan=state.plan_title(row),
                    version=change.version)
        if st.session_state.get("entry_saved_visit"):
            message = t("entry_saved_of", business=st.session_state["entry_saved_visit"]) + message
        if report.republish:
            message += t("entry_republish", n=len(report.republish))
        if report.team_changes:
            message += t("entry_team_changes", n=len(report.team_changes))
        st.session_state["entry_outcome"] = ("success", message, None)
        st.rerun()


def _new_results(before: list[Result], report) -> list[Result]:
    """The results this import adds or changes."""
    recorded = {(r.visit_id, r.item_id): r for r in before}
    return [r for r in report.plan.results if recorded.get((r.visit_id, r.item_id)) != r]


def problems_table(problems, page_rows: dict | None) -> pd.DataFrame:
    """The import's problems; for rows entered in the page, the item instead of a file and row number."""
    frame = problems_frame(problems)
    if page_rows is not None:
        frame.insert(0, t("item_name"), [page_rows.get(p.row, "") for p in problems])
        frame = frame.drop(columns=["文件", "行"])
    return frame


def outcome(where: str) -> None:
    """What the last save did, next to the button that made it."""
    found = st.session_state.get("entry_outcome")
    if not found or st.session_state.get("entry_outcome_where", "form") != where:
        return
    kind, message, table = found
    getattr(st, kind)(message)
    if table is not None:
        show_table(table, f"entry_problems_{where}")
