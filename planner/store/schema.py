"""The store's tables, one schema for SQLite and PostgreSQL (SQLAlchemy Core).

One database holds one county (县/市/区): a county's SQLite file in its data folder, or one database per county
on a city's PostgreSQL server. No table has a county column.
"""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

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
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),  # planner.store.accounts.ROLES
    sa.Column("dept_id", sa.String(64)),  # departments only
    sa.Column("password_hash", sa.String(255), nullable=False),  # argon2id, salted (argon2-cffi)
    sa.Column("created", UtcDateTime, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),  # since the last success or lockout
    sa.Column("locked_until", UtcDateTime),
)

datasets = sa.Table(
    "datasets", metadata,
    sa.Column("digest", sa.String(64), primary_key=True),  # of the dataset's input files
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("source", sa.Text, nullable=False),  # "fixture:<name>", "data:<name>" or "upload:<file name>"
    sa.Column("blob", sa.LargeBinary),  # an upload's bytes (reopened after a restart)
    sa.Column("created", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
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
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),  # planner.store.store.AUDIT_ACTIONS
    sa.Column("plan_id", sa.Integer),
    sa.Column("detail", sa.Text, nullable=False, default=""),
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
