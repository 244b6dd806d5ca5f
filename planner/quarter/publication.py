"""结果公示 (the 一公开): each result's publication deadline, and the list export puts on the publicity system.

A result is due on the enterprise credit publicity system within publish_within_days working days (setting,
default 20) after its check date, counted on the statutory calendar with calendar.csv's days. A deadline that
runs into a year neither covers counts Monday–Friday there and is marked an estimate (models.calendar).
Every result is published, whatever its visit's kind: the list says which kind of check it was.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from models.calendar import working_day_after
from models.records import LogEntry, Result
from planner.plan import commitment
from planner.plan.model import Plan, Visit
from planner.quarter.results import save_results

KIND_WORDS = {"routine": "双随机抽查", "urgent": "个案检查", "recheck": "整改复查"}  # 检查类型 on the list


@dataclass(frozen=True, slots=True)
class Due:
    """A result with the day it must be published by."""
    result: Result
    visit: Visit
    deadline: date
    estimated: bool  # the deadline counts Monday–Friday in a year the calendar does not cover

    def late(self, today: date) -> bool:
        """Not published within the deadline: published after it, or still unpublished after it."""
        return (self.result.published_on or today) > self.deadline

    @property
    def on_time(self) -> bool:
        return self.result.published_on is not None and self.result.published_on <= self.deadline


def dues(plan: Plan, calendar: dict[date, bool] | None = None) -> list[Due]:
    """Every result of a visit in the plan, with its publication deadline."""
    assert plan.record is not None  # read_plan always reads it
    within = plan.record.setting("publish_within_days")
    visits = {v.visit_id: v for v in plan.visits}
    out = []
    for result in plan.results:
        if result.visit_id in visits:
            deadline, estimated = working_day_after(result.checked_on, within, calendar)
            out.append(Due(result, visits[result.visit_id], deadline, estimated))
    return out


def publication_list(plan: Plan, today: date, calendar: dict[date, bool] | None = None) -> list[Due]:
    """The results to publish today: those checked by today and not yet published (and those published today,
    so that exporting again the same day gives the same list), overdue ones first, then by deadline."""
    batch = [d for d in dues(plan, calendar) if d.result.published_on in (None, today) and d.result.checked_on <= today]
    return sorted(batch, key=lambda d: (not d.late(today), d.deadline, d.visit.credit_code, d.result.item_id))


def mark_published(folder: str | Path, plan: Plan, batch: list[Due], today: date, *, source: str, digest: str,
                   user: str, now: datetime) -> int:
    """Record in the plan folder that `batch` went on the publicity list `source` (SHA-256 `digest`) today: each
    result's published_on, a log entry and a commitment link. Returns how many results were newly published.
    The caller holds the folder (planner.output.holding_folder) since it read `plan`."""
    new = {(d.result.visit_id, d.result.item_id) for d in batch if d.result.published_on is None}
    if not new:
        return 0
    plan.results = [replace(r, published_on=today) if (r.visit_id, r.item_id) in new else r for r in plan.results]
    plan.results_log = [*plan.results_log, LogEntry(now.isoformat(timespec="seconds"), user, source, digest, 0,
                                                    len(new))]
    save_results(folder, plan, commitment.publication_event(today, digest))
    return len(new)
