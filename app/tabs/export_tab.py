"""导出: the plan folder and every export of it (department workbooks, calendars, notice, coordinator's workbook)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app import state
from app.i18n import t
from planner.export import FORMATS, export_plan
from planner.store.blobs import zip_folder


def render() -> None:
    st.subheader(t("tab_export"))
    found = state.plan_or_hint()
    if found is None:
        return
    loaded, row = found
    st.caption(t("export_of", id=row.id, name=row.name))
    st.download_button(t("download_plan"), state.store().plan_files(row.id), file_name=f"plan-{row.id}.zip",
                       mime="application/zip", key="download_plan", on_click=_downloaded, args=(row, "plan"))
    formats = st.multiselect(t("formats"), list(FORMATS), default=list(FORMATS), key="export_formats",
                             format_func=lambda f: t(f"format_{f}"))
    if not formats:
        return
    try:
        data = _exports(state.store().where, row.id, row.version, tuple(formats), state.plan_dataset(loaded, row))
    except Exception as error:  # an export problem is a message, the rest of the app keeps working
        st.error(t("export_failed", error=error))
        return
    st.download_button(t("download_exports"), data, file_name=f"exports-{row.id}.zip", mime="application/zip",
                       key="download_exports", type="primary", on_click=_downloaded, args=(row, "exports"))
    st.caption(t("export_cli", id=row.id))


@st.cache_data(show_spinner=False, max_entries=16)
def _exports(db: str, plan_id: int, version: int, formats: tuple[str, ...], _dataset) -> bytes:
    """A stored plan version never changes, so (database, plan, version, formats) names the export exactly."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "exports"
        export_plan(state.folder_of(plan_id), _dataset, out, formats)
        return zip_folder(out)


def _downloaded(row, what: str) -> None:
    """The audit log keeps who downloaded which plan (the lists are confidential)."""
    state.store().log(state.user_name(), "export", plan_id=row.id, detail=f"{what}-{row.id}.zip（第 {row.version} 版）")
