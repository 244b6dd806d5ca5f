"""Which days a visit may take place on: every rule that restricts a visit's date, one named function each.

The scheduler takes a visit's allowed days from here, and verify asks the same functions which rule a date
breaks, so a rule can never mean one thing to the planner and another to the auditor.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from models.dataset import Dataset


@dataclass(frozen=True, slots=True)
class VisitFacts:
    """What the day rules need to know about one visit."""
    credit_code: str
    item_ids: tuple[str, ...]
    dept_ids: tuple[str, ...]
    kind: str  # routine | urgent | recheck
    not_before: date | None = None  # the first day it may take place (first unlocked day, a re-check's window)
    not_after: date | None = None  # the last (an urgent visit's deadline, a re-check's window)


@dataclass(frozen=True, slots=True)
class DayRule:
    name: str
    words: str  # why a day is out, in a coordinator's words (简体中文)
    allows: Callable[[date], bool]


def bounds(facts: VisitFacts) -> DayRule | None:
    """Not before the first day a visit may take place, not after its deadline."""
    if facts.not_before is None and facts.not_after is None:
        return None
    low, high = facts.not_before or date.min, facts.not_after or date.max
    words = ("须在 " + (f"{facts.not_before} 或之后" if facts.not_before else "")
             + ("、" if facts.not_before and facts.not_after else "")
             + (f"{facts.not_after} 或之前" if facts.not_after else ""))
    return DayRule("bounds", words, lambda day: low <= day <= high)


def task_windows(dataset: Dataset, facts: VisitFacts) -> DayRule | None:
    """Inside the window (window_start … window_end) of every item of the visit (a re-check follows its deadline
    instead)."""
    if facts.kind == "recheck":
        return None
    items = [dataset.item[i] for i in facts.item_ids if i in dataset.item]
    starts = [i.window_start for i in items if i.window_start]
    ends = [i.window_end for i in items if i.window_end]
    if not starts and not ends:
        return None
    low, high = max(starts, default=date.min), min(ends, default=date.max)
    named = "；".join(f"{i.item_id} {i.window_start or ''}～{i.window_end or ''}" for i in items
                     if i.window_start or i.window_end)
    return DayRule("task_window", f"事项时间窗口（{named}）", lambda day: low <= day <= high)


def quiet_days(dataset: Dataset, facts: VisitFacts) -> DayRule | None:
    """宁静日: no routine on-site check on a quiet day (urgent visits and re-checks may use them)."""
    quiet = dataset.settings.quiet_days
    if facts.kind != "routine" or not quiet:
        return None
    return DayRule("quiet_days", "宁静日不安排例行现场检查", lambda day: day not in quiet)


def department_spacing(dataset: Dataset, facts: VisitFacts) -> DayRule | None:
    """No department within min_days_between_departments days of another department's check of the business
    (history.csv included), so the monitoring platform is never triggered. A visit by the same departments as an
    earlier one (a re-check) is not another department's visit."""
    gap = dataset.settings.min_days_between_departments
    if not gap:
        return None
    earlier = [(day, depts) for day, depts in dataset.checks_by_day.get(facts.credit_code, {}).items()
               if not set(facts.dept_ids) <= depts]
    if not earlier:
        return None
    span = timedelta(days=gap)
    dates = "、".join(str(day) for day, _ in sorted(earlier))
    return DayRule("department_spacing", f"与其他部门的检查（{dates}）须间隔至少 {gap} 天",
                   lambda day: all(abs(day - other) >= span for other, _ in earlier))


def exemption_lapse(dataset: Dataset, facts: VisitFacts) -> DayRule | None:
    """A business whose 白名单 exemption lapses inside the period is visited only after it has lapsed."""
    business = dataset.business.get(facts.credit_code)
    if business is None or not business.exempt or business.exempt_until is None or facts.kind != "routine":
        return None
    until = business.exempt_until
    return DayRule("exemption_lapse", f"免检（{business.exempt_reason or '白名单'}）至 {until} 为止",
                   lambda day: day > until)


DATASET_RULES = (task_windows, quiet_days, department_spacing, exemption_lapse)


def day_rules(dataset: Dataset, facts: VisitFacts) -> list[DayRule]:
    found = [bounds(facts)] + [rule(dataset, facts) for rule in DATASET_RULES]
    return [rule for rule in found if rule is not None]


def allowed_days(days: Iterable[date], rules: list[DayRule]) -> tuple[date, ...]:
    return tuple(day for day in days if all(rule.allows(day) for rule in rules))


def broken_rules(day: date, rules: list[DayRule]) -> list[DayRule]:
    return [rule for rule in rules if not rule.allows(day)]


def no_day_reason(rules: list[DayRule], workdays: list[date]) -> str:
    """Why no working day of the period is left (`workdays`: those a plan may still use), naming the rules."""
    named = "；".join(rule.words for rule in rules)
    left = f"（{workdays[0]} 至 {workdays[-1]}）" if workdays else "（已没有剩余工作日）"
    return f"本期剩余工作日{left}中没有同时满足以下条件的日期：{named}。请调整时间窗口、期限或相关设置"
