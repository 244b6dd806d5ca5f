"""Inspection planner app: `streamlit run app/main.py` (简体中文, with an English toggle)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run app/main.py` puts only app/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from app import state  # noqa: E402
from app.i18n import t  # noqa: E402
from app.tabs import data, draw_tab, export_tab, results, schedule, whatif  # noqa: E402
from planner.store.access import Action, may  # noqa: E402
from planner.store.accounts import LoginFailed, authenticate  # noqa: E402


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
        if may(user, Action.PLAN):
            saved_datasets()
            plan_picker()
        st.caption(t("db_path", path=state.store().where))


def saved_datasets() -> None:
    loaded = state.current()
    if loaded is not None:
        st.success(t("dataset_loaded", name=loaded.name))
        return
    saved = state.store().datasets()
    if not saved:
        return
    labels = {d.digest: f"{d.name} · {d.created.astimezone():%Y-%m-%d %H:%M}" for d in saved}
    digest = st.selectbox(t("saved_datasets"), list(labels), format_func=labels.get, key="saved_dataset")
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
    rows = state.plans(loaded)
    if not rows:
        st.info(t("no_plans_yet"))
        return
    labels = {r.id: _plan_label(r) for r in rows}
    ids = list(labels)
    chosen = state.current_plan_id()
    index = ids.index(chosen) if chosen in ids else len(ids) - 1
    st.session_state["plan_id"] = st.selectbox(t("current_plan"), ids, index=index, format_func=labels.get,
                                               key=f"plan_select_{len(ids)}_{chosen}")


def _plan_label(row) -> str:
    kind = t("scenario") if row.is_scenario else t("plan")
    return f"#{row.id} {kind} · {row.name}"


def main() -> None:
    st.set_page_config(page_title="综合查一次 · 排程", page_icon="🗓️", layout="wide")
    st.session_state.setdefault("lang", "zh")
    sidebar()
    st.title(t("title"))
    user = state.user()
    if user is None:
        login()
        return
    if not may(user, Action.PLAN):  # the department's and the leader's own pages come next (docs/app.md)
        st.info(t("role_pages_coming", role=user.role_name))
        return
    tabs = st.tabs([t("tab_data"), t("tab_draw"), t("tab_schedule"), t("tab_results"), t("tab_whatif"),
                    t("tab_export")])
    for tab, page in zip(tabs, (data, draw_tab, schedule, results, whatif, export_tab)):
        with tab:
            page.render()


main()
