"""Accounts of a county's store: roles, salted password hashes (argon2id), login with lockout.

    coordinator  协调员: everything of the county
    department   部门: its own department's visits, teams and results; enters its results
    viewer       领导: the progress figures and charts, no business lists
    inspector    执法人员: the officer's own visits (the phone page), and their results entered on the spot

What each role may do is planner.store.access; this module says who someone is.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models.problems import UserError
from planner.store import names, schema
from planner.store.names import MAX_NAME_LENGTH
from planner.store.officers import known_officers
from planner.store.store import Store

ROLES = {"coordinator": "协调员", "department": "部门", "viewer": "领导（只看进度）", "inspector": "执法人员"}
MIN_PASSWORD_LENGTH = 8
MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCKOUT = timedelta(minutes=15)
ACCOUNTS_LOCK = 7_243_002  # PostgreSQL advisory lock key: accounts are added one at a time (look-alikes)

HASHER = PasswordHasher()  # argon2id with the library's current defaults and a random salt per hash
# Verified against when the name is unknown, so an unknown name takes as long as a wrong password.
DUMMY_HASH = HASHER.hash("no account has this password")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    dept_id: str | None
    created: datetime
    disabled: bool = False
    locked_until: datetime | None = None
    inspector_id: str | None = None  # inspector accounts only: the officer (inspectors.csv)

    @property
    def role_name(self) -> str:
        return ROLES[self.role]


class LoginFailed(UserError):
    """Wrong name or password, a locked or a removed account: the message says which only when it is safe."""


WRONG = "用户名或密码不正确"


def check_password(password: str) -> None:
    """Refuse an empty, blank or short password (UserError, in words)."""
    if not password:
        raise UserError("密码不能为空")
    if not password.strip():
        raise UserError("密码不能只由空格组成")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"密码太短：至少需要 {MIN_PASSWORD_LENGTH} 个字符（现在只有 {len(password)} 个）")


def check_role(role: str, dept_id: str | None, departments: dict[str, str]) -> str | None:
    """The account's department (None but for a department account). `departments` are those the store knows
    from its datasets: a department account's must be one of them; while none is known it cannot be checked."""
    if role not in ROLES:
        raise UserError(f"角色「{role}」无效：可选 {'、'.join(f'{r}（{n}）' for r, n in ROLES.items())}")
    dept_id = (dept_id or "").strip() or None
    if role == "department" and dept_id is None:
        raise UserError("部门账号要用 --dept 写明部门编号（departments.csv 的 dept_id）")
    if role != "department" and dept_id is not None:
        raise UserError(f"只有部门账号（department）需要 --dept；{ROLES[role]}账号看到的不限于一个部门")
    if dept_id is not None and departments and dept_id not in departments:
        known = "、".join(f"{d}（{n}）" for d, n in departments.items())
        raise UserError(f"部门编号「{dept_id}」不是本县数据集中的部门；已知的部门：{known}")
    return dept_id


def add_user(store: Store, name: str, role: str, password: str, dept_id: str | None = None, *, by: str,
             inspector_id: str | None = None) -> User:
    """A new account. Its name must differ from every other (case and full-width forms aside) and must not
    look like one (planner.store.names); its department must be one of the store's (Store.departments); an
    inspector's officer one of the saved datasets' (planner.store.officers)."""
    name, dept_id = names.check_name(name), check_role(role, dept_id, store.departments())
    inspector_id = check_officer(store, role, inspector_id)
    check_password(password)
    now = store.clock()
    try:
        with store.writing() as db:  # one account added at a time (SQLite: the write lock at BEGIN)
            if db.dialect.name == "postgresql":
                db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ACCOUNTS_LOCK})
            _check_new_name(db, name)
            db.execute(schema.users.insert().values(name=name, name_key=names.key(name), role=role, dept_id=dept_id,
                                                    inspector_id=inspector_id, password_hash=HASHER.hash(password), created=now,
                                                    disabled=False, failed_logins=0))
            whose = dept_id or inspector_id
            store.log(by, "user_add", detail=f"{name}（{ROLES[role]}{'，' + whose if whose else ''}）", db=db)
    except sa.exc.IntegrityError:
        raise UserError(f"账号「{name}」已存在") from None
    return User(name, role, dept_id, now, inspector_id=inspector_id)


def check_officer(store: Store, role: str, inspector_id: str | None) -> str | None:
    """An inspector account's officer: required for that role only, and one of the officers the store's saved
    datasets name (planner.store.officers) — while none is saved it cannot be checked."""
    inspector_id = (inspector_id or "").strip() or None
    if role == "inspector" and inspector_id is None:
        raise UserError("执法人员账号要用 --inspector 写明人员编号（inspectors.csv 的 inspector_id）")
    if role != "inspector" and inspector_id is not None:
        raise UserError(f"只有执法人员账号（inspector）需要 --inspector；{ROLES.get(role, role)}账号看到的不限于一名人员")
    known = known_officers(store) if inspector_id is not None else {}
    if known and inspector_id not in known:
        raise UserError(f"人员编号「{inspector_id}」不是本县已保存数据集中的执法人员；"
                        f"请核对 inspectors.csv 的 inspector_id（已知 {len(known)} 名人员）")
    return inspector_id


def _check_new_name(db: sa.Connection, name: str) -> None:
    c = schema.users.c
    for row in db.execute(sa.select(c.name, c.disabled)).all():
        state = "（已停用，名字不再使用，请换一个）" if row.disabled else ""
        if names.key(row.name) == names.key(name):
            same = "" if row.name == name else f"（与已有账号「{row.name}」只差大小写或全角、半角）"
            raise UserError(f"账号「{name}」已存在{same}{state}")
        if names.skeleton(row.name) == names.skeleton(name):
            raise UserError(f"用户名「{name}」与已有账号「{row.name}」看起来几乎一样（0 与 o、1 与 l、i），"
                            f"容易认错；请换一个名字")


def users(store: Store) -> list[User]:
    """Every account, by name (no hashes)."""
    with store.engine.connect() as db:
        rows = db.execute(sa.select(schema.users).order_by(schema.users.c.name)).all()
    return [_user(row) for row in rows]


def user(store: Store, name: str) -> User | None:
    row = _row(store, name)
    return _user(row) if row is not None else None


def remove_user(store: Store, name: str, *, by: str) -> None:
    """Disable the account: it can no longer log in, and its name stays taken so the audit log stays clear."""
    found = _row(store, name)
    name = found.name if found is not None else names.canonical(name)
    with store.writing() as db:
        done = db.execute(schema.users.update().where(schema.users.c.name == name, ~schema.users.c.disabled)
                          .values(disabled=True))
        if done.rowcount != 1:
            raise UserError(f"没有可停用的账号「{name}」；用 users list 查看账号")
        store.log(by, "user_remove", detail=name, db=db)


def set_password(store: Store, name: str, password: str, *, by: str) -> None:
    """A new password; it also lifts a lockout."""
    found = _row(store, name)
    name = found.name if found is not None else names.canonical(name)
    check_password(password)
    with store.writing() as db:
        done = db.execute(schema.users.update().where(schema.users.c.name == name, ~schema.users.c.disabled)
                          .values(password_hash=HASHER.hash(password), failed_logins=0, locked_until=None))
        if done.rowcount != 1:
            raise UserError(f"没有账号「{name}」（或已停用）；用 users list 查看账号")
        store.log(by, "user_passwd", detail=name, db=db)


def authenticate(store: Store, name: str, password: str) -> User:
    """The user with this name and password, or LoginFailed.

    An unknown name costs one hash check like a wrong password, and says the same thing. After MAX_FAILURES
    wrong passwords in a row the account is locked for LOCKOUT, whatever is typed."""
    name = names.canonical(name)
    row = _row(store, name) if name and len(name) <= MAX_NAME_LENGTH else None  # longer: no account has it
    now = store.clock()
    locked_until = row.locked_until if row is not None and row.locked_until and row.locked_until > now else None
    if row is None or row.disabled or locked_until:
        _verify(DUMMY_HASH, password)
        store.log(name or "（空）", "login_failed", detail="已锁定" if locked_until else "账号不存在或已停用")
        if locked_until:
            until = locked_until.astimezone().strftime("%H:%M")
            raise LoginFailed(f"连续 {MAX_FAILURES} 次密码错误，账号已锁定；请在 {until} 之后再试，或请管理员重设密码")
        raise LoginFailed(WRONG)
    if not _verify(row.password_hash, password):
        _count_failure(store, row, now)
        raise LoginFailed(WRONG)
    with store.writing() as db:
        values: dict = {"failed_logins": 0, "locked_until": None}
        if HASHER.check_needs_rehash(row.password_hash):  # the library's defaults got stronger
            values["password_hash"] = HASHER.hash(password)
        db.execute(schema.users.update().where(schema.users.c.id == row.id).values(**values))
        store.log(row.name, "login", db=db)
    return replace(_user(row), locked_until=None)


def _count_failure(store: Store, row, now: datetime) -> None:
    c = schema.users.c
    with store.writing() as db:
        failures = db.execute(sa.select(c.failed_logins).where(c.id == row.id)).scalar_one() + 1
        values: dict = {"failed_logins": failures}
        if failures >= MAX_FAILURES:
            values = {"failed_logins": 0, "locked_until": now + LOCKOUT}
        db.execute(schema.users.update().where(c.id == row.id).values(**values))
        store.log(row.name, "login_failed", detail=f"密码错误（第 {failures} 次）", db=db)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _row(store: Store, name: str):
    """The account named `name`, compared as names.key does; the exact name first (a look-alike twin an earlier
    version let in has no key and is found by it)."""
    c, exact = schema.users.c, names.canonical(name)
    with store.engine.connect() as db:
        return db.execute(sa.select(schema.users).where(
            sa.or_(c.name_key == names.key(name), sa.and_(c.name_key.is_(None), c.name == exact)))
            .order_by(c.name != exact)).first()


def _user(row) -> User:
    return User(row.name, row.role, row.dept_id, row.created, row.disabled, row.locked_until, row.inspector_id)
