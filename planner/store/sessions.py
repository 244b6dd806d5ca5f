"""Login sessions that survive a reload: a signed, http-only cookie that expires after a working day.

After a login the app starts a session (`begin`): a row with a one-time ticket, valid for TICKET_S seconds. The
browser exchanges the ticket for the cookie (`exchange`, the app's own route: the cookie is set by an HTTP
response, so page scripts never see it); the cookie holds a random token, its expiry and an HMAC-SHA256 of both
(the key is made once per database, `signing_keys`), and the store keeps only the token's SHA-256. On a reload
the app reads the cookie (`restore`): a session ends at its expiry, at logout (`revoke`), when the account's
password changes (the row remembers a mark of the password hash) and when the account is removed or disabled.

A session also keeps where its user was (`save_place`: dataset, plan, page, scope, pending what-if changes), so
a reload — or a login on the next day — opens the same place.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from planner.store import accounts, schema
from planner.store.accounts import MAX_FAILURES, User
from planner.store.store import Store

COOKIE = "planner_session"
WORKING_DAY = timedelta(hours=10)  # a session lasts one working day
TICKET_S = 120  # the browser exchanges its ticket at once; an old ticket is worthless


@dataclass(frozen=True)
class Session:
    id: str
    user: User
    expires: datetime
    place: dict


def begin(store: Store, user: User) -> tuple[str, str]:
    """A new session for `user`: (its id, the one-time ticket the browser exchanges for the cookie)."""
    session_id, ticket = secrets.token_hex(16), secrets.token_urlsafe(32)
    now = store.clock()
    with store.writing() as db:
        db.execute(schema.sessions.insert().values(
            id=session_id, user_name=user.name, password_mark=_password_mark(db, user.name), ticket_hash=_digest(ticket),
            ticket_expires=now + timedelta(seconds=TICKET_S), created=now, expires=now + WORKING_DAY, place={}))
    return session_id, ticket


def exchange(store: Store, ticket: str) -> tuple[str, int] | None:
    """The cookie's value and its lifetime in seconds for a valid, unused ticket; None otherwise (used, late,
    unknown, revoked). The ticket is spent either way."""
    s = schema.sessions.c
    now = store.clock()
    token = secrets.token_urlsafe(32)
    with store.writing() as db:
        row = db.execute(sa.select(s.id, s.ticket_expires, s.expires, s.revoked)
                         .where(s.ticket_hash == _digest(ticket))).first()
        if row is None:
            return None
        db.execute(schema.sessions.update().where(s.id == row.id).values(ticket_hash=None, ticket_expires=None))
        if row.revoked is not None or row.ticket_expires < now or row.expires <= now:
            return None
        db.execute(schema.sessions.update().where(s.id == row.id).values(token_hash=_digest(token)))
        key = _key(db)
    expires = int(row.expires.timestamp())
    return f"{token}.{expires}.{_sign(key, token, expires)}", max(int((row.expires - now).total_seconds()), 0)


def restore(store: Store, cookie: str | None) -> Session | None:
    """The session a cookie names, while it lasts; None for anything else (a forged or altered cookie included)."""
    token, expires = _verified(store, cookie if isinstance(cookie, str) else "")
    if token is None:
        return None
    s = schema.sessions.c
    now = store.clock()
    with store.engine.connect() as db:
        row = db.execute(sa.select(schema.sessions).where(s.token_hash == _digest(token))).first()
        if row is None or row.revoked is not None or row.expires <= now or int(row.expires.timestamp()) != expires:
            return None
        mark = _password_mark(db, row.user_name)
    user = accounts.user(store, row.user_name)
    if user is None or user.disabled or mark != row.password_mark:
        return None
    return Session(row.id, user, row.expires, dict(row.place or {}))


def still_valid(store: Store, session_id: str | None, user: User) -> bool:
    """Whether a session the app holds is still good: not revoked, not expired, the same password."""
    if session_id is None:
        return True  # a login without a session (no cookie support): the account check alone applies
    s = schema.sessions.c
    with store.engine.connect() as db:
        row = db.execute(sa.select(s.revoked, s.expires, s.password_mark).where(s.id == session_id)).first()
        mark = _password_mark(db, user.name)
    return row is not None and row.revoked is None and row.expires > store.clock() and row.password_mark == mark


def revoke(store: Store, session_id: str | None) -> None:
    """Logout: the session's cookie opens nothing any more."""
    if session_id is None:
        return
    s = schema.sessions.c
    with store.writing() as db:
        db.execute(schema.sessions.update().where(s.id == session_id, s.revoked.is_(None))
                   .values(revoked=store.clock(), ticket_hash=None))


def save_place(store: Store, session_id: str | None, place: dict) -> None:
    if session_id is None:
        return
    with store.writing() as db:
        db.execute(schema.sessions.update().where(schema.sessions.c.id == session_id).values(place=place))


def last_place(store: Store, user_name: str) -> dict:
    """Where the user was when their last session saved its place (a new login opens it again); {} before."""
    s = schema.sessions.c
    with store.engine.connect() as db:
        rows = db.execute(sa.select(s.place).where(s.user_name == user_name).order_by(s.created.desc()).limit(5)).all()
    return next((dict(row.place) for row in rows if row.place), {})


def tries_left(store: Store, name: str) -> int | None:
    """Wrong passwords the account may still take before it is locked (planner.store.accounts); None for a name
    without an account (the page then counts itself, so that it says the same either way)."""
    user = accounts.user(store, name)
    if user is None:
        return None
    c = schema.users.c
    with store.engine.connect() as db:
        failures = db.execute(sa.select(c.failed_logins).where(c.name == user.name)).scalar() or 0
    return max(MAX_FAILURES - failures, 0)


# --- signing ---------------------------------------------------------------------------------------------

def _verified(store: Store, cookie: str) -> tuple[str | None, int]:
    token, _, rest = cookie.partition(".")
    expires_text, _, signature = rest.partition(".")
    if not (token and expires_text.isdigit() and signature):
        return None, 0
    with store.engine.connect() as db:
        key = db.execute(sa.select(schema.signing_keys.c.secret).where(schema.signing_keys.c.name == "session")).scalar()
    if key is None or not hmac.compare_digest(signature, _sign(key, token, int(expires_text))):
        return None, 0
    return token, int(expires_text)


def _sign(key: str, token: str, expires: int) -> str:
    return hmac.new(key.encode(), f"{token}.{expires}".encode(), hashlib.sha256).hexdigest()


def _key(db: sa.Connection) -> str:
    """The signing key, made the first time (inside the caller's write transaction)."""
    k = schema.signing_keys.c
    found = db.execute(sa.select(k.secret).where(k.name == "session")).scalar()
    if found is None:
        found = secrets.token_hex(32)
        db.execute(schema.signing_keys.insert().values(name="session", secret=found))
    return found


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _password_mark(db: sa.Connection, name: str) -> str:
    """A digest of the account's password hash (never the hash itself): it changes with the password."""
    found = db.execute(sa.select(schema.users.c.password_hash).where(schema.users.c.name == name)).scalar()
    return _digest(found or "")
