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


def sidebar() -> None:
    with st.sidebar:
        st.radio("语言 / Language", ["zh", "en"], key="lang", horizontal=True,
                 format_func=lambda x: "简体中文" if x == "zh" else "English")
        st.text_input(t("coordinator"), key="coordinator", help=t("coordinator_help"))
        saved_datasets()
        plan_picker()
        st.caption(t("db_path", path=state.store().path))


def saved_datasets() -> None:
    loaded = state.current()
    if loaded is not None:
        st.success(t("dataset_loaded", name=loaded.name))
        return
    saved = state.store().datasets(state.coordinator())
    if not saved:
        return
    labels = {d["digest"]: f"{d['name']} · {d['created']}" for d in saved}
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
    tabs = st.tabs([t("tab_data"), t("tab_draw"), t("tab_schedule"), t("tab_results"), t("tab_whatif"),
                    t("tab_export")])
    for tab, page in zip(tabs, (data, draw_tab, schedule, results, whatif, export_tab)):
        with tab:
            page.render()


main()
