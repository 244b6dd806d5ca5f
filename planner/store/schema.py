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
    sa.Column("inspector_id", sa.String(64)),  # inspectors only: the officer (inspectors.csv) the account is for
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


def upgrade(db: sa.Connection) -> None:
    """A store of an earlier version brought up to this schema: what create_all cannot add to an existing table
    (users.inspector_id)."""
    if "inspector_id" not in {c["name"] for c in sa.inspect(db).get_columns("users")}:
        db.execute(sa.text("ALTER TABLE users ADD COLUMN inspector_id VARCHAR(64)"))
