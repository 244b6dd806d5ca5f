"""数据: load the bundled fixture or an upload; counts, or the validation problems as a table."""
from __future__ import annotations

import streamlit as st

from app import labels, state
from app.i18n import summary_words, t
from app.tables import show_table
from models.period import QUARTER_NAMES
from models.problems import DatasetError, UserError
from planner.check.summary import dataset_summary, problems_frame
from planner.store.location import data_datasets, data_dir


def render() -> None:
    left, middle, right = st.columns(3)
    if left.button(t("load_county"), key="load_changshan", type="primary"):
        _open(lambda: state.open_fixture("changshan"))
    if middle.button(t("load_tiny"), key="load_tiny"):
        _open(lambda: state.open_fixture("tiny"))
    with right.popover(t("server_path")):
        _server_data()
    upload = st.file_uploader(t("upload"), type=["xlsx", "zip"], key="upload")
    if upload is not None and st.session_state.get("uploaded_id") != upload.file_id:
        st.session_state["uploaded_id"] = upload.file_id
        _open(lambda: state.open_upload(upload.name, upload.getvalue()))
    _show_problems()
    loaded = state.current()
    if loaded is not None:
        _show_summary(loaded)


def _server_data() -> None:
    """Only the datasets in the data folder the deployment configured; no path is ever typed."""
    names = data_datasets()
    if not names:
        st.caption(t("no_server_data", folder=data_dir().resolve()))
        return
    name = st.selectbox(t("server_path_label", folder=data_dir().resolve()), names, key="server_dataset")
    if st.button(t("load"), key="load_path") and name:
        _open(lambda: state.open_data(name))


def _open(load) -> None:
    """Any failure becomes a message or the problems table; the previous dataset stays loaded."""
    st.session_state.pop("load_problems", None)
    st.session_state.pop("load_error", None)
    try:
        load()
        st.session_state.pop("plan_id", None)
        st.session_state.pop("draw_result", None)
    except DatasetError as error:
        st.session_state["load_problems"] = error.problems
    except (UserError, OSError, ValueError) as error:
        st.session_state["load_error"] = str(error)
    except Exception as error:  # a loader bug must not take the page down either
        st.session_state["load_error"] = f"{type(error).__name__}: {error}"
    else:
        st.rerun()  # the sidebar and the other tabs were drawn before the dataset changed


def _show_problems() -> None:
    if st.session_state.get("load_error"):
        st.error(t("load_failed", error=st.session_state["load_error"]))
    problems = st.session_state.get("load_problems")
    if problems:
        st.error(t("problems_found", n=len(problems)))
        show_table(problems_frame(problems), "problems_table", t("file_problems"))


def _show_summary(loaded) -> None:
    ds = loaded.dataset
    s = ds.settings
    st.markdown(t("dataset_heading", name=loaded.name, period=period_words(s.period), start=labels.day_long(s.start),
                  end=labels.day_long(s.end), days=len(ds.workdays)))
    if s.today is not None:
        st.caption(t("dataset_demonstration", day=labels.day_long(s.today)))
    _show_warnings(ds)
    frames = _summary(loaded.digest, ds)
    cols = st.columns(5)
    for col, (label, n) in zip(cols * 2, frames["tables"].itertuples(index=False)):
        col.metric(summary_words(label), int(n))
    a, b = st.columns(2)
    with a:
        st.markdown(t("by_zone"))
        show_table(_words(frames["zones"]), "summary_zones")
    with b:
        st.markdown(t("by_department"))
        show_table(_words(frames["departments"]), "summary_departments")
    st.markdown(t("by_category"))
    show_table(_words(frames["categories"]), "summary_categories")


def _words(frame):
    return frame.rename(columns=summary_words)


def period_words(period) -> str:
    """'2026年第四季度' for a quarter (its text, '2026Q4', is for files)."""
    if period.quarter is None:
        return t("period_range")
    return t("period_quarter", year=period.start.year, q=period.quarter, name=QUARTER_NAMES[period.quarter - 1])


def _show_warnings(ds) -> None:
    """What the loader read but doubts (an ignored column that looks like a known one, an empty table …)."""
    if not ds.warnings:
        return
    st.warning(t("loader_warnings", n=len(ds.warnings)))
    show_table(problems_frame(ds.warnings), "warnings_table")


@st.cache_data(show_spinner=False, max_entries=8)
def _summary(digest: str, _ds):
    return dataset_summary(_ds)
