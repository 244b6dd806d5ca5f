"""Tables as the pages show them: Streamlit's grid without its English toolbar (hidden by app/main.py's style),
and, where a table is worth keeping, a download in Chinese beside it (CSV that Excel and WPS open: UTF-8 BOM)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app.i18n import t


def show_table(frame: pd.DataFrame, key: str, download_name: str | None = None, **options) -> None:
    """`frame` drawn whole (no index), with a Chinese download button when `download_name` names the file."""
    st.dataframe(frame, hide_index=True, width="stretch", key=key, **options)
    if download_name and not frame.empty:
        st.download_button(t("download_table"), csv_for_excel(frame), file_name=f"{download_name}.csv",
                           mime="text/csv", key=f"{key}_download", type="tertiary", icon=":material/download:")


def csv_for_excel(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")
