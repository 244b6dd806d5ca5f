"""检查评价: the page a business opens without an account (the app's address with ?page=rate, printed on its
检查通知书 as setting rating_url) to rate its visit with the 评价码 of its notice.

The page shows nothing of the county: it takes a credit code, a code, an answer and a comment, and says either
thanks or one message that does not tell which part was wrong (planner.store.ratings.submit_rating).
"""
from __future__ import annotations

import streamlit as st

from app import say_words, state  # noqa: F401  (say_words registers the page's words)
from app.i18n import t
from models.problems import UserError
from planner.store.ratings import MAX_COMMENT, submit_rating

PAGE = "rate"  # ?page=rate


def wanted() -> bool:
    """Whether the address asks for this page."""
    return st.query_params.get("page") == PAGE


def render() -> None:
    st.subheader(t("rate_title"))
    st.caption(t("rate_help"))
    code = st.text_input(t("rate_code"), key="rate_credit_code")
    rating = st.text_input(t("rate_rating_code"), key="rate_rating_code")
    answer = st.radio(t("rate_answer"), [True, False], key="rate_answer", horizontal=True,
                      format_func=lambda yes: t("rate_yes") if yes else t("rate_no"))
    comment = st.text_area(t("rate_comment"), key="rate_comment", max_chars=MAX_COMMENT)
    if st.button(t("rate_send"), key="rate_send", type="primary"):
        try:
            submit_rating(state.store(), code, rating, answer, comment, today=state.default_today())
        except UserError as error:
            st.error(str(error))
        else:
            st.success(t("rate_thanks"))
