"""Sessions that survive a reload (planner.store.sessions), on SQLite and PostgreSQL: a one-time ticket becomes a
signed cookie; the cookie opens the session with its place until it expires (a working day), until logout, a
new password or the account's removal; an altered cookie opens nothing."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.store import sessions
from planner.store.accounts import MAX_FAILURES, LoginFailed, add_user, authenticate, remove_user, set_password
from planner.store.store import Store

PASSWORD = "correct-horse-battery"


class Clock:
    def __init__(self):
        self.now = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture()
def store(db_url):
    store = Store(db_url, clock=Clock())
    add_user(store, "张三", "coordinator", PASSWORD, by="test")
    yield store
    store.close()


def logged_in(store: Store) -> tuple[str, str]:
    """A login's session: its id and the cookie the browser got for its ticket."""
    session_id, ticket = sessions.begin(store, authenticate(store, "张三", PASSWORD))
    cookie, max_age = sessions.exchange(store, ticket)
    assert 0 < max_age <= sessions.WORKING_DAY.total_seconds()
    return session_id, cookie


def test_a_cookie_opens_the_session_and_its_place(store):
    session_id, cookie = logged_in(store)
    sessions.save_place(store, session_id, {"dataset": "abc", "plan_id": 2, "page": "结果", "pending": ["x"]})
    found = sessions.restore(store, cookie)
    assert found.id == session_id and found.user.name == "张三" and found.place["plan_id"] == 2
    assert session_id not in cookie  # the cookie holds a token of its own, not the app's handle


def test_a_ticket_is_spent_once_and_an_altered_cookie_opens_nothing(store):
    session_id, ticket = sessions.begin(store, authenticate(store, "张三", PASSWORD))
    cookie, _ = sessions.exchange(store, ticket)
    assert sessions.exchange(store, ticket) is None
    token, expires, signature = cookie.split(".")
    later = str(int(expires) + 86400)
    for forged in (f"{token}.{later}.{signature}", f"{token}x.{expires}.{signature}", f"{token}.{expires}.{'0' * 64}",
                   "", "garbage", f"{token}.{expires}"):
        assert sessions.restore(store, forged) is None, forged
    assert sessions.restore(store, cookie).id == session_id


def test_a_session_ends_after_a_working_day_at_logout_new_password_and_removal(store):
    session_id, cookie = logged_in(store)
    store.clock.now += sessions.WORKING_DAY - timedelta(minutes=1)
    assert sessions.restore(store, cookie) is not None
    store.clock.now += timedelta(minutes=2)
    assert sessions.restore(store, cookie) is None  # expired
    session_id, cookie = logged_in(store)
    sessions.revoke(store, session_id)
    assert sessions.restore(store, cookie) is None and not sessions.still_valid(store, session_id,
                                                                               authenticate(store, "张三", PASSWORD))
    session_id, cookie = logged_in(store)
    set_password(store, "张三", "another-good-password", by="test")
    assert sessions.restore(store, cookie) is None
    user = authenticate(store, "张三", "another-good-password")
    assert not sessions.still_valid(store, session_id, user)
    session_id, cookie = logged_in_as(store, "another-good-password")
    remove_user(store, "张三", by="test")
    assert sessions.restore(store, cookie) is None


def logged_in_as(store: Store, password: str) -> tuple[str, str]:
    session_id, ticket = sessions.begin(store, authenticate(store, "张三", password))
    return session_id, sessions.exchange(store, ticket)[0]


def test_a_late_ticket_gives_no_cookie(store):
    _, ticket = sessions.begin(store, authenticate(store, "张三", PASSWORD))
    store.clock.now += timedelta(seconds=sessions.TICKET_S + 1)
    assert sessions.exchange(store, ticket) is None


def test_the_tries_left_before_the_lock(store):
    assert sessions.tries_left(store, "张三") == MAX_FAILURES
    for n in range(1, MAX_FAILURES):
        with pytest.raises(LoginFailed):
            authenticate(store, "张三", "wrong-password")
        assert sessions.tries_left(store, "张三") == MAX_FAILURES - n
    assert sessions.tries_left(store, "没有这个人") is None
