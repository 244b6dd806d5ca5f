"""The plan object that the scheduler produces and export, verify and the app read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.plan.record import PlanRecord


@dataclass(frozen=True, slots=True)
class Visit:
    """综合查一次: one joint on-site visit of one business by every department drawn for it."""
    visit_id: str
    date: date
    credit_code: str
    business_name: str
    town_id: str
    zone_id: str
    category_id: str
    lead_dept_id: str
    dept_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    inspector_ids: tuple[str, ...]
    minutes: int


@dataclass(frozen=True, slots=True)
class Assignment:
    visit_id: str
    date: date
    inspector_id: str
    dept_id: str
    credit_code: str
    town_id: str


@dataclass(frozen=True, slots=True)
class Unscheduled:
    credit_code: str
    item_ids: tuple[str, ...]
    reason: str


@dataclass
class Plan:
    """The quarter's plan: its visits, who goes, what could not be placed, and its record (record.json)."""
    visits: list[Visit]
    assignments: list[Assignment]
    unscheduled: list[Unscheduled]
    record: PlanRecord | None = None
