"""The store's tables, one schema for SQLite and PostgreSQL (SQLAlchemy Core).

One database holds one county (县/市/区): a county's SQLite file in its data folder, or one database per county
on a city's PostgreSQL server. No table has a county column.
"""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from planner.store import names

metadata = sa.MetaData()


class UtcDateTime(sa.TypeDecorator):
    """Aware UTC datetimes on both engines (SQLite keeps no time zone: it is put back on reading)."""
    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store keeps aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(names.MAX_NAME_LENGTH), nullable=False, unique=True),  # NFKC, as typed (names)
    sa.Column("name_key", sa.String(names.MAX_NAME_LENGTH)),  # names.key(name): unique (NULL only for a twin an earlier version let in)
    sa.Column("role", sa.String(16), nullable=False),  # planner.store.accounts.ROLES
    sa.Column("dept_id", sa.String(64)),  # departments only
    sa.Column("inspector_id", sa.String(64)),  # inspectors only: the officer (inspectors.csv) the account is for
    sa.Column("password_hash", sa.String(255), nullable=False),  # argon2id, salted (argon2-cffi)
    sa.Column("created", UtcDateTime, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),  # since the last success or lockout
    sa.Column("locked_until", UtcDateTime),
)

USER_KEY_INDEX = sa.Index("ix_users_name_key", users.c.name_key, unique=True)

datasets = sa.Table(
    "datasets", metadata,
    sa.Column("digest", sa.String(64), primary_key=True),  # of the dataset's input files
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("source", sa.Text, nullable=False),  # "fixture:<name>", "data:<name>" or "upload:<file name>"
    sa.Column("blob", sa.LargeBinary),  # an upload's bytes (reopened after a restart)
    sa.Column("created", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
)

# The county's departments as its datasets name them (departments.csv), so an account's --dept can be checked.
departments = sa.Table(
    "departments", metadata,
    sa.Column("dept_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("dataset_digest", sa.String(64), nullable=False),  # the dataset that named it last
)

draws = sa.Table(
    "draws", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("dataset_digest", sa.String(64), nullable=False),
    sa.Column("seed", sa.Text, nullable=False),
    sa.Column("changes", sa.JSON, nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Column("created", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
)

# A plan row holds its current version; every version it replaced stays in plan_versions.
plans = sa.Table(
    "plans", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("dataset_digest", sa.String(64), nullable=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("plans.id")),  # the plan a re-plan started from
    sa.Column("changes", sa.JSON, nullable=False),
    sa.Column("seed", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Column("record", sa.JSON, nullable=False),  # record.json of the current version
    sa.Column("files", sa.LargeBinary, nullable=False),  # the current plan folder, zipped (planner.store.blobs)
    sa.Column("note", sa.Text, nullable=False, default=""),  # what made the current version
    sa.Column("created", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("updated", UtcDateTime, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
)

plan_versions = sa.Table(
    "plan_versions", metadata,
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Column("files", sa.LargeBinary, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("created", UtcDateTime, nullable=False),  # when this version was made
    sa.Column("created_by", sa.String(64), nullable=False),
)

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UtcDateTime, nullable=False, index=True),
    sa.Column("user_name", sa.String(names.MAX_NAME_LENGTH), nullable=False),  # escaped, cut (store.logged_name)
    sa.Column("action", sa.String(32), nullable=False),  # planner.store.store.AUDIT_ACTIONS
    sa.Column("plan_id", sa.Integer),
    sa.Column("detail", sa.Text, nullable=False, default=""),
)

# The county's officers as its saved datasets name them (inspectors.csv), so that an inspector account's
# --inspector can be checked (planner.store.officers).
officers = sa.Table(
    "officers", metadata,
    sa.Column("inspector_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("dept_id", sa.String(64), nullable=False),
    sa.Column("dataset_digest", sa.String(64), nullable=False),  # the dataset that named them last
)

# 企业评价: one rating per visit (planner.store.ratings). Nothing here names the visit, the business, the day or
# an officer: `visit_key` only makes a second rating of the same visit refusable.
ratings = sa.Table(
    "ratings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("period", sa.String(64), nullable=False, index=True),  # record.json → period, e.g. "2026Q4"
    sa.Column("visit_key", sa.String(64), nullable=False, unique=True),  # SHA-256 of the period and rating code
    sa.Column("dept_ids", sa.JSON, nullable=False),  # the departments of the visit rated
    sa.Column("satisfied", sa.Boolean, nullable=False),
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("received_on", sa.Date, nullable=False),  # the day only
    sa.Column("via", sa.String(16), nullable=False),  # "page" (the business itself) | "office" (entered for it)
)


# The county's adopted plan (采用) per quarter, planner.store.adoption: the newest row of a period is in force;
# the rows before it say which plans were in force until when.
adoptions = sa.Table(
    "adoptions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("period", sa.String(64), nullable=False, index=True),  # record.json → period, e.g. "2026Q4"
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("by", sa.String(64), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),  # what the adoption carried (results, the plan before)
)

# Login sessions that survive a reload (planner.store.sessions): the browser holds a signed, http-only cookie
# with a random token; only its SHA-256 is kept here, with where the user was in the app.
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.String(32), primary_key=True),  # random, the app's handle (logout, place)
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("password_mark", sa.String(64), nullable=False),  # of the password hash: a new password ends it
    sa.Column("ticket_hash", sa.String(64), unique=True),  # one-time ticket the browser exchanges for the cookie
    sa.Column("ticket_expires", UtcDateTime),
    sa.Column("token_hash", sa.String(64), unique=True),  # of the cookie's token, once exchanged
    sa.Column("created", UtcDateTime, nullable=False),
    sa.Column("expires", UtcDateTime, nullable=False),
    sa.Column("revoked", UtcDateTime),  # logout
    sa.Column("place", sa.JSON, nullable=False, default=dict),  # dataset, plan, page, scope, pending changes
)

# The key session cookies are signed with (HMAC-SHA256), made on first use.
signing_keys = sa.Table(
    "signing_keys", metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("secret", sa.String(128), nullable=False),
)


def upgrade(db: sa.Connection) -> None:
    """A store of an earlier version brought up to this schema, inside the creating transaction: what
    create_all cannot add to an existing table (users.inspector_id; users.name_key, filled in from the names; a
    look-alike twin an earlier version let in keeps no key and is found by its exact name)."""
    if "inspector_id" not in {c["name"] for c in sa.inspect(db).get_columns("users")}:
        db.execute(sa.text("ALTER TABLE users ADD COLUMN inspector_id VARCHAR(64)"))
    if "name_key" not in {c["name"] for c in sa.inspect(db).get_columns("users")}:
        db.execute(sa.text("ALTER TABLE users ADD COLUMN name_key VARCHAR(64)"))
    USER_KEY_INDEX.create(db, checkfirst=True)
    taken = set(db.execute(sa.select(users.c.name_key).where(users.c.name_key.is_not(None))).scalars())
    for row in db.execute(sa.select(users.c.id, users.c.name).where(users.c.name_key.is_(None)).order_by(users.c.id)).all():
        found = names.key(row.name)
        if found not in taken:
            db.execute(users.update().where(users.c.id == row.id).values(name_key=found))
            taken.add(found)
