"""The plan object that the scheduler produces and export, verify and the app read."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.records import LogEntry, Result
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
    kind: str = "routine"  # routine (drawn) | urgent (added by a change) | recheck (集成改一次)
    carried_from: str = ""  # carried over from an earlier quarter: that plan's commitment (planner.plan.previous)
    late: str = ""  # why a re-check is late (its window closed before it could be placed); "" when on time


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
    kind: str = "routine"  # the visit that could not be placed: routine | urgent | recheck


@dataclass(frozen=True, slots=True)
class HandEdit:
    """A visit edited by hand (what-if `move:` / `swap:`): another day, or one officer for another of its
    shortlist."""
    credit_code: str
    day: date | None = None
    out: str | None = None
    into: str | None = None

    def applied_to(self, day: date, team: tuple[str, ...]) -> tuple[date, tuple[str, ...]]:
        return self.day or day, tuple(self.into if self.into and p == self.out else p for p in team)


@dataclass
class Plan:
    """The quarter's plan: its visits, who goes, what could not be placed, what was found, and its record."""
    visits: list[Visit]
    assignments: list[Assignment]
    unscheduled: list[Unscheduled]
    record: PlanRecord | None = None
    results: list[Result] = field(default_factory=list)
    results_log: list[LogEntry] = field(default_factory=list)

    @property
    def saved_record(self) -> PlanRecord:
        """The record of a plan read from its folder (every folder has one; only a plan being made has none)."""
        if self.record is None:
            raise ValueError("a plan without its record.json")
        return self.record
