"""Inspection planner app: `streamlit run app/main.py` (简体中文, with an English toggle).

Who sees what (planner.store.access): a coordinator everything of the county, and any department's view; a
department its own visits, teams and results, where it also enters its results; a leader (viewer) the 进度
figures and charts only. Departments and leaders see only the plan in force (采用, planner.store.adoption).

The pages are tabs that run only when open (a click reruns the open page alone) and keep the open page in the
address (?page=…), so a reload opens it again; the login survives a reload (app/login.py). `streamlit run`
serves the `app` at the end of this file: Streamlit's own routes and the session cookie's (app/server.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run app/main.py` puts only app/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from app import labels, login, state  # noqa: E402
from app.i18n import STRINGS, lang, t  # noqa: E402
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
    year,
)
from models.loading.limits import MAX_FILE_MB  # noqa: E402
from planner.store.access import Action, may  # noqa: E402

PAGE_KEY = "page"  # the open page's tab label, also in the address (?page=…)
# role -> its pages in order: (title key, module with render()); a new role (the inspector's phone page) adds a row
PAGES = {
    "coordinator": [("tab_data", data), ("tab_draw", draw_tab), ("tab_schedule", schedule), ("tab_results", results),
                    ("tab_whatif", whatif), ("tab_progress", progress), ("tab_entry", entry),
                    ("tab_export", export_tab)],
    "department": [("tab_dept_results", results), ("tab_entry", entry), ("tab_progress", progress),
                   ("tab_download", export_tab)],
    "viewer": [("tab_progress", progress)],
    "inspector": [("tab_phone", phone)],  # issue #24: the officer's own visits (phone page)
}
PAGES["coordinator"].append(("tab_business_say", business_say))  # issue #24: 企业预约与评价
PAGES["coordinator"].insert(6, ("tab_year", year))  # issue #23: 年度, after 进度
# Streamlit draws some words of its own in English: the uploader's, "Press Enter to apply", the tables' and charts'
# toolbars (search, download, copy the chart's source), an empty date field's "yyyy-mm-dd" (its segments are
# always en-US). These rules put Chinese words in the uploader's and the date segments' place, hide the rest
# (pages offer their downloads in Chinese) and keep charts inside their column.
STYLE = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] span {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {content: "%s";}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none;}
[data-testid="stFileUploaderDropzone"] button > span::after {content: "%s"; margin-left: 0.25rem;}
[data-testid="InputInstructions"], [data-testid="stElementToolbar"] {display: none !important;}
[data-testid="stDateInput"] [data-placeholder][data-type] {font-size: 0;}
[data-testid="stDateInput"] [data-placeholder][data-type]::before {font-size: 0.875rem;}
[data-testid="stDateInput"] [data-placeholder][data-type="year"]::before {content: "%s";}
[data-testid="stDateInput"] [data-placeholder][data-type="month"]::before {content: "%s";}
[data-testid="stDateInput"] [data-placeholder][data-type="day"]::before {content: "%s";}
[data-testid="stVegaLiteChart"] {max-width: 100%%; overflow-x: auto;}
</style>"""


def sidebar() -> None:
    with st.sidebar:
        st.radio("语言 / Language", ["zh", "en"], key="lang", horizontal=True, on_change=_language_changed,
                 format_func=lambda x: "简体中文" if x == "zh" else "English")
        user = state.user()
        if user is None:
            return
        st.caption(t("logged_in", name=user.name, role=t(f"role_{user.role}")))
        st.button(t("logout"), key="logout", on_click=login.logout)
        if user.role == "inspector":  # issue #24: the phone page shows the plan in force, no picker
            st.caption(t("today_is", day=labels.day_long(state.today())))
        elif may(user, Action.PLAN):
            saved_datasets()
            plan_picker()
            scope_picker()
            st.session_state.setdefault("today", state.default_today())  # a restored place may have set it
            st.date_input(t("today"), key="today", help=t("today_help"), format="YYYY-MM-DD")
            if state.today_is_demonstration():
                st.caption(t("today_demonstration"))
            st.caption(t("db_path", path=state.store().where))
        else:
            stored_plan_picker()
            st.caption(t("today_is", day=labels.day_long(state.today())))


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
    """Departments and leaders load no data: they open the plan in force, with the dataset it was made from."""
    picked = _pick_plan(state.readable(state.store().plans()), t("no_plans_for_reader"))
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
    """The current plan: the widget's own key, synchronised with `plan_id` before it is drawn, so the first pick
    counts and a plan made meanwhile (a re-plan) shows as picked."""
    if not rows:
        st.info(empty)
        return None
    in_force = state.in_force_ids()
    names = {r.id: _plan_label(r, r.id in in_force) for r in rows}
    ids = list(names)
    if state.current_plan_id() not in ids:
        st.session_state["plan_id"] = next((i for i in reversed(ids) if i in in_force), ids[-1])
    # its words follow the language and the plan in force (the browser keeps a widget's old words when only
    # they change): one widget per language and plans in force, one plan_id
    widget = f"plan_pick_{lang()}_{'_'.join(str(i) for i in sorted(in_force))}"
    if st.session_state.get(widget) != st.session_state["plan_id"]:
        st.session_state[widget] = st.session_state["plan_id"]
    if len(ids) == 1 and not may(state.user(), Action.PLAN):
        st.caption(t("plan_in_force_is", plan=names[ids[0]]))
        return ids[0]
    st.selectbox(t("current_plan"), ids, key=widget, format_func=names.get, on_change=_picked, args=(widget,))
    return st.session_state["plan_id"]


def _picked(widget: str) -> None:
    st.session_state["plan_id"] = st.session_state[widget]


def scope_picker() -> None:
    """A coordinator may open any department's view: what that department sees and downloads."""
    loaded = state.current()
    if loaded is None:
        return
    ds = loaded.dataset
    options = ["", *(d.dept_id for d in ds.departments)]
    if st.session_state.get("scope") not in options:
        st.session_state["scope"] = ""
    widget = f"scope_{lang()}"  # as the plan picker: one widget per language, one scope
    if st.session_state.get(widget) != st.session_state["scope"]:
        st.session_state[widget] = st.session_state["scope"]
    st.selectbox(t("scope"), options, key=widget, help=t("scope_help"), on_change=_scoped, args=(widget,),
                 format_func=labels.words_of(options, lambda d: t("scope_dept", dept=labels.dept(ds, d)) if d
                                             else t("scope_county")))


def _scoped(widget: str) -> None:
    st.session_state["scope"] = st.session_state[widget]


def _plan_label(row, in_force: bool) -> str:
    kind = t("scenario") if row.is_scenario else t("plan")
    return f"#{row.id} {kind} · {row.name}" + (t("in_force_mark") if in_force else "")


# --- the pages ------------------------------------------------------------------------------------------

def pages_of(role: str) -> list[tuple[str, object]]:
    return PAGES.get(role, [])


def navigate(pages) -> str | None:
    """The role's pages as tabs; only the open one runs. Returns the open page's title key. The place is saved
    before the page is drawn: a reload during a slow page still finds the plan, scope and page just chosen."""
    if len(pages) == 1:
        login.save_place(pages[0][0])
        pages[0][1].render()
        return pages[0][0]
    titles = {key: t(key) for key, _ in pages}
    wanted = st.session_state.pop(login.PAGE_TO_OPEN, None)
    if wanted in titles:
        st.session_state[PAGE_KEY] = titles[wanted]
    opened = None
    for tab, (key, page) in zip(st.tabs(list(titles.values()), key=PAGE_KEY, bind="query-params"), pages):
        if tab.open:
            opened = key
            login.save_place(key)
            with tab:
                page.render()
    return opened


def _language_changed() -> None:
    """The open page's tab label follows the language (the tabs keep the label, not the page)."""
    was = "en" if lang() == "zh" else "zh"
    label = st.session_state.get(PAGE_KEY)
    user = st.session_state.get("user")
    for key, _ in pages_of(user.role if user else ""):
        zh, en = STRINGS.get(key, (key, key))
        if label == (zh if was == "zh" else en):
            st.session_state[PAGE_KEY] = en if was == "zh" else zh


def main() -> None:
    st.set_page_config(page_title="综合查一次 · 排程", page_icon="🗓️", layout="wide")
    st.session_state.setdefault("lang", "zh")
    st.html(STYLE % (t("drop_here", mb=MAX_FILE_MB), t("browse"), t("year_segment"), t("month_segment"),
                     t("day_segment")))
    login.restore()
    sidebar()
    if rate.wanted():  # issue #24: the business's rating page, reachable without an account (?page=rate)
        rate.render()
        return
    st.title(t("title"))
    user = state.user()
    if user is None:
        login.form()
        return
    login.keep_cookie()
    opened = navigate(pages_of(user.role))
    login.save_place(opened)  # what the page changed (a new plan, pending changes)


if __name__ == "__main__":  # a browser session's run (Streamlit runs this file as __main__)
    main()
else:  # imported by `streamlit run` (or uvicorn): Streamlit's server with the app's own routes
    from app.server import routes

    app = st.App(__file__, routes=routes())
