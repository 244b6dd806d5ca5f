"""The officers an inspector account may stand for, and the plan an officer's phone shows.

`remember_officers` keeps the officers of every dataset the app saves (inspectors.csv), so that
`users add NAME --role inspector --inspector ID` is checked against the county's own roster, as a department
account is against its departments. `plan_for_officers` picks the plan in force on a day: the newest stored plan
whose period holds the day, else the newest one still to come (the next quarter's, once planned).
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from models.dataset import Dataset
from models.period import Period
from models.schema import BadValue
from planner.store import schema
from planner.store.adoption import adopted_plans
from planner.store.store import PlanRow, Store


def remember_officers(store: Store, digest: str, dataset: Dataset) -> None:
    """The dataset's officers, added to those earlier datasets named (a newer name or department replaces)."""
    table = schema.officers
    with store.writing() as db:
        known = {row.inspector_id: (row.name, row.dept_id) for row in db.execute(sa.select(table))}
        for person in sorted(dataset.inspectors, key=lambda p: p.inspector_id):
            values = {"name": person.name, "dept_id": person.dept_id, "dataset_digest": digest}
            if person.inspector_id not in known:
                db.execute(table.insert().values(inspector_id=person.inspector_id, **values))
            elif known[person.inspector_id] != (person.name, person.dept_id):
                db.execute(table.update().where(table.c.inspector_id == person.inspector_id).values(**values))


def known_officers(store: Store) -> dict[str, str]:
    """inspector_id -> name of every officer a saved dataset named; empty before any dataset was saved."""
    c = schema.officers.c
    with store.engine.connect() as db:
        return {row.inspector_id: row.name for row in db.execute(sa.select(c.inspector_id, c.name)
                                                                 .order_by(c.inspector_id))}


def plan_for_officers(store: Store, today: date) -> PlanRow | None:
    """The plan an officer's phone shows on `today`: of the stored plans whose period holds today (else of those
    whose period begins after today), the one in force (planner.store.adoption), else the newest; None when
    there is neither."""
    dated = [(row, period) for row in store.plans() if (period := _period(row)) is not None]
    current = [row for row, period in dated if period.start <= today <= period.end]
    coming = [row for row, period in dated if period.start > today]
    found = current or coming
    in_force = set(adopted_plans(store).values())
    return next((row for row in reversed(found) if row.id in in_force), found[-1] if found else None)


def _period(row: PlanRow) -> Period | None:
    try:
        return Period.parse(str(row.record.get("period", "")))
    except (BadValue, ValueError):
        return None
