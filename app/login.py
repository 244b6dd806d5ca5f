"""Login, and a session that survives a reload (planner.store.sessions): the form (Enter submits; the try before
the lockout is announced), the session cookie set through the app's own route (app/server.py), the user's place
(dataset, plan, page, scope, pending what-if changes, the chosen today) kept with the session and opened again
after a reload or the next login, and logout."""
from __future__ import annotations

from contextlib import suppress
from datetime import date

import streamlit as st

from app import server, state
from app.i18n import t
from planner.store import sessions
from planner.store.accounts import MAX_FAILURES, LoginFailed, authenticate

SESSION_ID, TICKET, RESTORED = "session_id", "session_ticket", "session_restored"
SAVED_PLACE, PAGE_TO_OPEN, ENDED = "saved_place", "page_to_open", "session_ended"
FAILURES = "login_failures"  # wrong tries per name in this browser session (for names without an account)


def browser_cookie() -> str | None:
    """The session cookie the browser sent when it opened the page (a reload sends it again)."""
    try:
        found = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # no browser behind the script (bare runs)
        return None
    return found if isinstance(found, str) else None


def restore() -> None:
    """Once per browser session, before anything is drawn: the session the cookie names, and its place."""
    if st.session_state.get(RESTORED) or st.session_state.get("user") is not None:
        return
    st.session_state[RESTORED] = True
    found = sessions.restore(state.store(), browser_cookie())
    if found is None:
        return
    st.session_state["user"], st.session_state[SESSION_ID] = found.user, found.id
    open_place(found.place)


def form() -> None:
    """Nothing of the county is shown before login: name and password against the store's accounts."""
    if st.session_state.pop(ENDED, False):
        st.html(f'<img src="{server.end_url()}" alt="" style="display:none">')  # the cookie goes too
    st.subheader(t("login_heading"))
    if not state.has_accounts():
        st.warning(t("no_accounts"))
        return
    with st.form("login_form", border=False, enter_to_submit=True):
        st.text_input(t("user_name"), key="login_name")
        st.text_input(t("password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login"), key="login", type="primary")
    if submitted:
        _attempt(st.session_state.get("login_name", ""), st.session_state.get("login_password", ""))
    for kind in ("error", "warning"):
        if st.session_state.get(f"login_{kind}"):
            getattr(st, kind)(st.session_state[f"login_{kind}"])


def _attempt(name: str, password: str) -> None:
    st.session_state.pop("login_error", None)
    st.session_state.pop("login_warning", None)
    store = state.store()
    try:
        user = authenticate(store, name, password)
    except LoginFailed as error:
        st.session_state["login_error"] = str(error)
        if tries_left(name) == 1:
            st.session_state["login_warning"] = t("last_try", minutes=15)
        return
    session_id, ticket = sessions.begin(store, user)
    st.session_state.update({"user": user, SESSION_ID: session_id, TICKET: ticket})
    open_place(sessions.last_place(store, user.name))
    st.rerun()


def tries_left(name: str) -> int:
    """Before the lock: the account's own count; for a name without one, this session's (the same words either
    way, so the page does not tell which names exist)."""
    left = sessions.tries_left(state.store(), name)
    if left is not None:
        return left
    failures = st.session_state.setdefault(FAILURES, {})
    failures[name] = failures.get(name, 0) + 1
    return max(MAX_FAILURES - failures[name], 0)


def keep_cookie() -> None:
    """The browser exchanges the login's ticket for the session cookie (an image request to the app's route)."""
    ticket = st.session_state.get(TICKET)
    if ticket:
        st.html(f'<img src="{server.start_url(ticket)}" alt="" style="display:none">')


def logout() -> None:
    sessions.revoke(state.store(), st.session_state.get(SESSION_ID))
    state.store().log(state.user_name(), "logout")
    state.forget_session()
    st.session_state[ENDED] = True
    st.session_state[RESTORED] = True  # the cookie this page was opened with is revoked: no restore


# --- the place ------------------------------------------------------------------------------------------

def place(page: str | None) -> dict:
    """Where the user is: what a reload or the next login opens again."""
    from app import change_form

    loaded = state.current()
    chosen = st.session_state.get("today")
    return {"dataset": loaded.digest if loaded else None, "plan_id": state.current_plan_id(), "page": page,
            "scope": st.session_state.get("scope") or None, "pending": list(change_form.pending()),
            "today": chosen.isoformat() if isinstance(chosen, date) else None}


def save_place(page: str | None) -> None:
    """Kept with the session whenever it changes (one small write, not on every click)."""
    now = place(page)
    if now != st.session_state.get(SAVED_PLACE):
        st.session_state[SAVED_PLACE] = now
        sessions.save_place(state.store(), st.session_state.get(SESSION_ID), now)


def open_place(saved: dict) -> None:
    """The saved place opened again: the dataset reopened from the store, the plan, scope, pending changes and
    page; what no longer exists (a removed plan, a moved file) is left out."""
    from app import change_form

    if not saved:
        return
    if saved.get("dataset") and state.may_load_data():
        with suppress(Exception):  # the file moved since: the user picks a dataset again
            state.reopen(saved["dataset"])
    plan_id = saved.get("plan_id")
    if plan_id is not None and state.store().plan(plan_id) is not None:
        st.session_state["plan_id"] = plan_id
    if saved.get("scope"):
        st.session_state["scope"] = saved["scope"]
    if saved.get("pending"):
        st.session_state[change_form.PENDING] = list(saved["pending"])
    if saved.get("page"):
        st.session_state[PAGE_TO_OPEN] = saved["page"]
    if saved.get("today"):
        st.session_state["today"] = date.fromisoformat(saved["today"])
    st.session_state[SAVED_PLACE] = dict(saved)
