"""The county's adopted plan (采用): one plan per quarter is the plan in force; scenarios are for exploring.

Departments and leaders read and write only the plan in force (planner.store.access.readable_plans); results and
公示 are recorded on it. Adopting another plan is a coordinator's act, logged in the audit log: the results
recorded on the plan in force that the new one lacks (those entered after the scenario was made) are carried
into it through the planner's results merge, with a line in its results_log.csv and a link in its commitment
chain (planner.quarter.carry) — as a re-plan carries the results it starts from. A plan whose visits no longer
match results recorded meanwhile is refused (ResultsRefused): re-plan from the plan in force first.

The first plan of a quarter is adopted when it is made (adopt_if_first); a quarter is the plan record's period.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from models.problems import UserError
from planner.plan.folder import read_plan
from planner.quarter.carry import carry_results
from planner.store import schema
from planner.store.store import PlanChanged, PlanRow, Store

ATTEMPTS = 5  # a results import into the plan in force while adopting: carry again from its new version


@dataclass(frozen=True)
class Adoption:
    period: str
    plan_id: int
    at: datetime
    by: str
    note: str


def plan_period(row: PlanRow) -> str:
    """The quarter (or range) a stored plan is for, as its record.json names it."""
    return str(row.record.get("period", ""))


def in_force(store: Store, period: str) -> Adoption | None:
    """The plan adopted for `period`, or None before any was."""
    found = history(store, period)
    return found[-1] if found else None


def history(store: Store, period: str) -> list[Adoption]:
    """Every adoption of `period`, oldest first: the plans in force one after another."""
    a = schema.adoptions.c
    with store.engine.connect() as db:
        rows = db.execute(sa.select(a.period, a.plan_id, a.at, a.by, a.note).where(a.period == period)
                          .order_by(a.id)).all()
    return [Adoption(**row._mapping) for row in rows]


def adopted_plans(store: Store) -> dict[str, int]:
    """Period -> the id of the plan in force."""
    a = schema.adoptions.c
    with store.engine.connect() as db:
        rows = db.execute(sa.select(a.period, a.plan_id).order_by(a.id)).all()
    return {row.period: row.plan_id for row in rows}


def adopt_if_first(store: Store, plan_id: int, *, by: str) -> Adoption | None:
    """A first plan of its quarter becomes the plan in force; with one in force already, nothing changes."""
    row = _plan(store, plan_id)
    period = plan_period(row)
    with store.writing() as db:
        if _in_force_id(db, period) is not None:
            return None
        return _record(store, db, period, plan_id, by, "本季度第一个方案")


def adopt(store: Store, plan_id: int, *, by: str, now: datetime | None = None) -> Adoption:
    """Make `plan_id` the plan in force of its quarter, the results of the plan it replaces carried into it.

    Raises ResultsRefused when those results do not fit the new plan's visits (nothing changes), UserError for
    an unknown plan, and PlanChanged when the plan in force kept changing while its results were carried."""
    now = now or datetime.now().astimezone()
    target = _plan(store, plan_id)
    period = plan_period(target)
    for _ in range(ATTEMPTS):
        current = in_force(store, period)
        if current is not None and current.plan_id == plan_id:
            return current
        source = store.plan(current.plan_id) if current is not None else None
        note = _carry(store, target, source, by, now) if source is not None else "本季度第一个方案"
        with store.writing() as db:
            # the plan in force (and its version) must be the one carried from; else carry again
            if _in_force_id(db, period) == (source.id if source else None) and \
                    (source is None or _version(db, source.id) == source.version):
                return _record(store, db, period, plan_id, by, note)
        target = _plan(store, plan_id)
    raise PlanChanged(f"方案 {plan_id} 采用时，采用中的方案不断有新结果保存；请稍后重试")


def _carry(store: Store, target: PlanRow, source: PlanRow, by: str, now: datetime) -> str:
    """The source's results carried into the target's current version (a new version when any is)."""
    with tempfile.TemporaryDirectory(prefix="planner-") as tmp:
        old = read_plan(store.write_plan(source.id, Path(tmp) / "source", source.version))
        folder = store.write_plan(target.id, Path(tmp) / "target", target.version)
        carried = carry_results(folder, old, source_label=f"方案 #{source.id}（第 {source.version} 版）", user=by,
                                now=now)
        note = f"接替方案 #{source.id}「{source.name}」"
        if carried.results or carried.published:
            note += f"，转入 {carried.results} 条检查结果" + (f"、{carried.published} 条公示记录" if carried.published else "")
            store.update_plan(target.id, folder, expected_version=target.version, by=by, note=f"采用：{note}")
    return note


def _record(store: Store, db: sa.Connection, period: str, plan_id: int, by: str, note: str) -> Adoption:
    at = store.clock()
    db.execute(schema.adoptions.insert().values(period=period, plan_id=plan_id, at=at, by=by, note=note))
    store.log(by, "adopt", plan_id=plan_id, detail=f"{period}：{note}", db=db)
    return Adoption(period, plan_id, at, by, note)


def _in_force_id(db: sa.Connection, period: str) -> int | None:
    a = schema.adoptions.c
    return db.execute(sa.select(a.plan_id).where(a.period == period).order_by(a.id.desc()).limit(1)).scalar()


def _version(db: sa.Connection, plan_id: int) -> int | None:
    return db.execute(sa.select(schema.plans.c.version).where(schema.plans.c.id == plan_id)).scalar()


def _plan(store: Store, plan_id: int) -> PlanRow:
    row = store.plan(plan_id)
    if row is None:
        raise UserError(f"找不到方案 {plan_id}")
    return row
