"""Accounts on SQLite and PostgreSQL: argon2 hashes, roles, login, lockout, removal."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from models.problems import UserError
from planner.store import accounts, schema
from planner.store.accounts import LoginFailed, add_user, authenticate, remove_user, set_password
from planner.store.store import Store
from tests.store.test_store import Clock

PASSWORD = "长城-2026-secret"


@pytest.fixture()
def store(db_url):
    store = Store(db_url, clock=Clock())
    yield store
    store.close()


def stored_hashes(store: Store) -> dict[str, str]:
    with store.engine.connect() as db:
        return dict(db.execute(sa.select(schema.users.c.name, schema.users.c.password_hash)).all())


def test_passwords_are_kept_as_salted_argon2_hashes(store):
    add_user(store, "张三", "coordinator", PASSWORD, by="admin")
    add_user(store, "李四", "viewer", PASSWORD, by="admin")
    hashes = stored_hashes(store)
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes.values())
    assert hashes["张三"] != hashes["李四"]  # a salt of its own: the same password hashes differently
    assert [(u.name, u.role, u.dept_id) for u in accounts.users(store)] == [("张三", "coordinator", None),
                                                                             ("李四", "viewer", None)]


def test_login_with_the_right_password_only(store):
    add_user(store, "市场监管-王五", "department", PASSWORD, "SCJ", by="admin")
    user = authenticate(store, " 市场监管-王五 ", PASSWORD)
    assert (user.name, user.role, user.dept_id) == ("市场监管-王五", "department", "SCJ")
    with pytest.raises(LoginFailed, match="^用户名或密码不正确$"):
        authenticate(store, "市场监管-王五", PASSWORD + "x")
    assert [(e.user_name, e.action) for e in store.audit()][:2] == [("市场监管-王五", "login_failed"),
                                                                    ("市场监管-王五", "login")]


def test_an_unknown_name_costs_a_hash_check_and_reads_like_a_wrong_password(store, monkeypatch):
    add_user(store, "张三", "coordinator", PASSWORD, by="admin")
    checked = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda h, p: checked.append(h) or real(h, p))
    messages = []
    for name, password in (("张三", "wrong-password"), ("没有这个人", "wrong-password"), ("", PASSWORD)):
        with pytest.raises(LoginFailed) as failed:
            authenticate(store, name, password)
        messages.append(str(failed.value))
    assert len(checked) == 3 and checked[1] == checked[2] == accounts.DUMMY_HASH
    assert set(messages) == {"用户名或密码不正确"}


def test_repeated_failures_lock_the_account_for_a_while(store):
    add_user(store, "张三", "coordinator", PASSWORD, by="admin")
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(LoginFailed, match="不正确"):
            authenticate(store, "张三", "wrong-password")
    with pytest.raises(LoginFailed, match="账号已锁定"):  # even the right password, while locked
        authenticate(store, "张三", PASSWORD)
    store.clock.advance(seconds=accounts.LOCKOUT.total_seconds() - 1)
    with pytest.raises(LoginFailed, match="账号已锁定"):
        authenticate(store, "张三", PASSWORD)
    store.clock.advance(seconds=1)
    assert authenticate(store, "张三", PASSWORD).name == "张三"
    # a success starts the count again: four more failures do not lock
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(LoginFailed, match="不正确"):
            authenticate(store, "张三", "wrong-password")
    assert authenticate(store, "张三", PASSWORD).name == "张三"


def test_a_new_password_replaces_the_old_and_lifts_a_lockout(store):
    add_user(store, "张三", "coordinator", PASSWORD, by="admin")
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(LoginFailed):
            authenticate(store, "张三", "wrong-password")
    set_password(store, "张三", "another-password", by="admin")
    assert authenticate(store, "张三", "another-password").name == "张三"
    with pytest.raises(LoginFailed):
        authenticate(store, "张三", PASSWORD)
    with pytest.raises(UserError, match="没有账号「李四」"):
        set_password(store, "李四", "another-password", by="admin")


def test_a_removed_account_cannot_log_in_and_its_name_stays_taken(store):
    add_user(store, "张三", "coordinator", PASSWORD, by="admin")
    remove_user(store, "张三", by="admin")
    with pytest.raises(LoginFailed, match="^用户名或密码不正确$"):
        authenticate(store, "张三", PASSWORD)
    assert accounts.user(store, "张三").disabled
    with pytest.raises(UserError, match="已停用"):
        add_user(store, "张三", "viewer", PASSWORD, by="admin")
    with pytest.raises(UserError, match="没有可停用的账号"):
        remove_user(store, "张三", by="admin")
    with pytest.raises(UserError, match="或已停用"):
        set_password(store, "张三", "another-password", by="admin")


@pytest.mark.parametrize(("name", "role", "password", "dept", "message"), [
    ("张三", "coordinator", "", None, "密码不能为空"),
    ("张三", "coordinator", "1234567", None, "密码太短：至少需要 8 个字符（现在只有 7 个）"),
    ("张三", "admin", PASSWORD, None, "角色「admin」无效"),
    ("张三", "department", PASSWORD, None, "部门账号要用 --dept 写明部门编号"),
    ("张三", "viewer", PASSWORD, "SCJ", "只有部门账号（department）需要 --dept"),
    ("  ", "viewer", PASSWORD, None, "用户名不能为空"),
    ("张 三", "viewer", PASSWORD, None, "空格或控制字符"),
    ("长" * 65, "viewer", PASSWORD, None, "用户名太长"),
])
def test_bad_accounts_are_refused_in_words(store, name, role, password, dept, message):
    with pytest.raises(UserError, match=message):
        add_user(store, name, role, password, dept, by="admin")
    assert accounts.users(store) == []


def test_a_duplicate_name_is_refused(store):
    add_user(store, "张三", "coordinator", PASSWORD, by="admin")
    with pytest.raises(UserError, match="账号「张三」已存在$"):
        add_user(store, "张三", "viewer", PASSWORD, by="admin")


def test_the_lockout_time_is_shown_in_local_time(store):
    add_user(store, "张三", "coordinator", PASSWORD, by="admin")
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(LoginFailed):
            authenticate(store, "张三", "wrong-password")
    until = (store.clock() + accounts.LOCKOUT).astimezone().strftime("%H:%M")
    with pytest.raises(LoginFailed, match=f"请在 {until} 之后再试"):
        authenticate(store, "张三", PASSWORD)
    assert accounts.user(store, "张三").locked_until == store.clock() + timedelta(minutes=15)
