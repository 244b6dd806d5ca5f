"""Accounts on SQLite and PostgreSQL: argon2 hashes, roles, login, lockout, removal."""
from __future__ import annotations

import re
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


def test_a_password_of_only_spaces_is_refused(store):
    with pytest.raises(UserError, match="密码不能只由空格组成"):
        add_user(store, "张三", "coordinator", " " * 8, by="admin")
    with pytest.raises(UserError, match="密码不能只由空格组成"):
        add_user(store, "张三", "coordinator", "\u3000\t " * 4, by="admin")  # full-width spaces and tabs too
    assert accounts.users(store) == []


@pytest.mark.parametrize(("first", "second", "message"), [
    ("ADMIN", "ＡＤＭＩＮ", "账号「ADMIN」已存在$"),  # full-width: NFKC makes it ADMIN
    ("ADMIN", "admin", r"账号「admin」已存在（与已有账号「ADMIN」只差大小写或全角、半角）"),
    ("admin", "adm1n", "与已有账号「admin」看起来几乎一样"),
    ("王五-01", "王五-Ol", "与已有账号「王五-01」看起来几乎一样"),
])
def test_look_alike_names_are_one_account(store, first, second, message):
    add_user(store, first, "coordinator", PASSWORD, by="admin")
    with pytest.raises(UserError, match=message):
        add_user(store, second, "viewer", PASSWORD, by="admin")
    assert [u.name for u in accounts.users(store)] == [first]
    assert authenticate(store, second if second.casefold() == first.casefold() else first, PASSWORD).name == first


@pytest.mark.parametrize(("name", "shown"), [
    ("аdmin", "CYRILLIC SMALL LETTER A"),  # the first letter is Cyrillic
    ("admin\u200b", r"\u200b"),  # a zero-width space
    ("张三\u202e", r"\u202e"),  # a right-to-left override
    ("adm\nin", r"\n"),
])
def test_names_in_other_scripts_or_with_invisible_characters_are_refused(store, name, shown):
    with pytest.raises(UserError, match=re.escape(shown)):
        add_user(store, name, "coordinator", PASSWORD, by="admin")
    assert accounts.users(store) == []


def test_the_department_of_an_account_is_one_the_county_has(store):
    add_user(store, "早期部门账号", "department", PASSWORD, "NOSUCHDEPT", by="admin")  # nothing known to check yet
    store.save_dataset("d1", "tiny", "fixture:tiny", None, by="admin", departments={"SJ": "市场监管局", "XF": "消防救援大队"})
    with pytest.raises(UserError, match="部门编号「NOSUCHDEPT」不是本县数据集中的部门；已知的部门：SJ（市场监管局）、XF（消防救援大队）"):
        add_user(store, "王五", "department", PASSWORD, "NOSUCHDEPT", by="admin")
    assert add_user(store, "王五", "department", PASSWORD, "SJ", by="admin").dept_id == "SJ"


def test_a_name_with_a_line_break_cannot_forge_an_audit_line(store):
    forged = "张三\n2026-10-08 09:00\tadmin\t登录\t\t"
    with pytest.raises(LoginFailed):
        authenticate(store, forged, "whatever-password")
    (entry,) = store.audit()
    assert "\n" not in entry.user_name and entry.user_name.startswith("张三\\n2026-10-08")


def test_a_login_name_longer_than_any_account_is_a_refused_login(store):
    add_user(store, "张三", "coordinator", PASSWORD, by="admin")
    for name in ("张" * 65, "x" * 1000):
        with pytest.raises(LoginFailed, match="用户名或密码不正确"):
            authenticate(store, name, PASSWORD)
    shown = [e.user_name for e in store.audit() if e.action == "login_failed"]
    assert [len(n) for n in shown] == [accounts.MAX_NAME_LENGTH] * 2 and all(n.endswith("…") for n in shown)


def test_a_store_of_an_earlier_version_gets_name_keys(tmp_path):
    """users.name_key is added to a store made before it, filled from the names; a look-alike twin an earlier
    version let in keeps its exact name to log in with."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    add_user(store, "ADMIN", "coordinator", PASSWORD, by="admin")
    with store.engine.begin() as db:
        db.execute(schema.users.insert().values(name="admin", role="viewer", password_hash=accounts.HASHER.hash(PASSWORD),
                                                created=store.clock(), disabled=False, failed_logins=0))
        db.execute(sa.text("DROP INDEX ix_users_name_key"))
        db.execute(sa.text("ALTER TABLE users DROP COLUMN name_key"))
    store.close()
    store = Store(url)
    assert authenticate(store, "ADMIN", PASSWORD).role == "coordinator"
    assert authenticate(store, "admin", PASSWORD).role == "viewer"
    with pytest.raises(UserError, match="已存在"):
        add_user(store, "Admin", "viewer", PASSWORD, by="admin")
    store.close()
