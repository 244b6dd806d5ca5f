"""Inspection planner app: `streamlit run app/main.py` (简体中文, with an English toggle).

Who sees what (planner.store.access): a coordinator everything of the county, and any department's view; a
department its own visits, teams and results, where it also enters its results; a leader (viewer) the 进度
figures and charts only.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run app/main.py` puts only app/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from app import labels, state  # noqa: E402
from app.i18n import t  # noqa: E402
from app.tabs import (  # noqa: E402  (business_say, phone, rate: issue #24)
    business_say,
    data,
    draw_tab,
    entry,
    export_tab,
    phone,
    progress,
    rate,
    results,
    schedule,
    whatif,
)
from models.loading.limits import MAX_FILE_MB  # noqa: E402
from planner.store.access import Action, may  # noqa: E402
from planner.store.accounts import LoginFailed, authenticate  # noqa: E402

PAGES = {  # role -> (tab title key, page), in the order of the tabs
    "coordinator": [("tab_data", data), ("tab_draw", draw_tab), ("tab_schedule", schedule), ("tab_results", results),
                    ("tab_whatif", whatif), ("tab_progress", progress), ("tab_entry", entry),
                    ("tab_export", export_tab)],
    "department": [("tab_dept_results", results), ("tab_entry", entry), ("tab_progress", progress),
                   ("tab_download", export_tab)],
    "viewer": [("tab_progress", progress)],
    "inspector": [("tab_phone", phone)],  # issue #24: the officer's own visits (phone page)
}
PAGES["coordinator"].append(("tab_business_say", business_say))  # issue #24: 企业预约与评价
# Streamlit draws its file uploader's own words in English; these rules put Chinese ones in their place.
UPLOADER_WORDS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {content: "%s";}
[data-testid="stFileUploaderDropzone"] button span:has([data-testid="stIconMaterial"])::after {content: "%s";}
</style>"""


def login() -> None:
    """Nothing of the county is shown before login: name and password against the store's accounts."""
    st.subheader(t("login_heading"))
    if not state.has_accounts():
        st.warning(t("no_accounts"))
        return
    name = st.text_input(t("user_name"), key="login_name")
    password = st.text_input(t("password"), type="password", key="login_password")
    if st.button(t("login"), key="login", type="primary"):
        try:
            st.session_state["user"] = authenticate(state.store(), name, password)
        except LoginFailed as error:
            st.error(str(error))
        else:
            st.rerun()


def logout() -> None:
    state.store().log(state.user_name(), "logout")
    state.forget_session()


def sidebar() -> None:
    with st.sidebar:
        st.radio("语言 / Language", ["zh", "en"], key="lang", horizontal=True,
                 format_func=lambda x: "简体中文" if x == "zh" else "English")
        user = state.user()
        if user is None:
            return
        st.caption(t("logged_in", name=user.name, role=user.role_name))
        st.button(t("logout"), key="logout", on_click=logout)
        if user.role == "inspector":  # issue #24: the phone page shows the plan in force, no picker
            st.caption(t("today_is", day=labels.day_long(state.today())))
        elif may(user, Action.PLAN):
            saved_datasets()
            plan_picker()
            scope_picker()
            st.date_input(t("today"), value=state.default_today(), key="today", help=t("today_help"),
                          format="YYYY-MM-DD")
        else:
            stored_plan_picker()
            st.caption(t("today_is", day=labels.day_long(state.today())))
        st.caption(t("db_path", path=state.store().where))


def saved_datasets() -> None:
    loaded = state.current()
    if loaded is not None:
        st.success(t("dataset_loaded", name=loaded.name))
        return
    saved = state.store().datasets()
    if not saved:
        return
    names = {d.digest: f"{d.name} · {d.created.astimezone():%Y-%m-%d %H:%M}" for d in saved}
    digest = st.selectbox(t("saved_datasets"), list(names), format_func=names.get, key="saved_dataset")
    if st.button(t("reopen"), key="reopen_dataset"):
        try:
            state.reopen(digest)
            st.rerun()
        except Exception as error:  # the file moved or is broken now: say so, keep the app alive
            st.error(t("reopen_failed", error=error))


def plan_picker() -> None:
    loaded = state.current()
    if loaded is None:
        return
    _pick_plan(state.plans(loaded), t("no_plans_yet"))


def stored_plan_picker() -> None:
    """Departments and leaders load no data: they open a stored plan, with the dataset it was made from."""
    picked = _pick_plan(state.store().plans(), t("no_plans_for_reader"))
    if picked is None:
        return
    loaded = state.current()
    row = state.store().plan(picked)
    if loaded is None or row is None or loaded.digest != row.dataset_digest:
        try:
            state.open_stored_plan(picked)
        except Exception as error:  # the dataset's file moved: say so to whoever can fix it
            st.error(t("reopen_failed", error=error))


def _pick_plan(rows, empty: str) -> int | None:
    if not rows:
        st.info(empty)
        return None
    names = {r.id: _plan_label(r) for r in rows}
    ids = list(names)
    chosen = state.current_plan_id()
    index = ids.index(chosen) if chosen in ids else len(ids) - 1
    st.session_state["plan_id"] = st.selectbox(t("current_plan"), ids, index=index, format_func=names.get,
                                               key=f"plan_select_{len(ids)}_{chosen}")
    return st.session_state["plan_id"]


def scope_picker() -> None:
    """A coordinator may open any department's view: what that department sees and downloads."""
    loaded = state.current()
    if loaded is None:
        return
    ds = loaded.dataset
    options = ["", *(d.dept_id for d in ds.departments)]
    if st.session_state.get("scope") not in options:
        st.session_state["scope"] = ""
    st.selectbox(t("scope"), options, key="scope", help=t("scope_help"),
                 format_func=lambda d: t("scope_dept", dept=labels.dept(ds, d)) if d else t("scope_county"))


def _plan_label(row) -> str:
    kind = t("scenario") if row.is_scenario else t("plan")
    return f"#{row.id} {kind} · {row.name}"


def main() -> None:
    st.set_page_config(page_title="综合查一次 · 排程", page_icon="🗓️", layout="wide")
    st.session_state.setdefault("lang", "zh")
    st.html(UPLOADER_WORDS % (t("drop_here", mb=MAX_FILE_MB), t("browse")))
    sidebar()
    if rate.wanted():  # issue #24: the business's rating page, reachable without an account (?page=rate)
        rate.render()
        return
    st.title(t("title"))
    user = state.user()
    if user is None:
        login()
        return
    pages = PAGES.get(user.role, [])
    if len(pages) == 1:
        pages[0][1].render()
        return
    for tab, (_, page) in zip(st.tabs([t(key) for key, _ in pages]), pages):
        with tab:
            page.render()


main()
