"""Where today falls in a plan's period, for a first plan: the first working day it may place a visit on, how
much of the period is already past, and the sentence that says so (the command line and the app print it).

One rule (re-plans keep their own, planner.plan.locking, which also applies this one through free_from):
- made on or before the period's first day: the whole period is planned (nothing of it is past);
- made inside the period: visits start at the first unlocked working day (today and the lock_days working days
  from it are past or too close to tell anyone), and the plan says how much of the period that leaves out;
- made after the period, or with no working day left to unlock: the whole period is planned, with a note that
  the plan is a review or a demonstration — nobody can be sent on those days any more.

Which today: the one given (`plan --today`, the app's sidebar), else a demonstration dataset's `today` setting
(the fixtures: so that their plan covers the whole period on any real date, said as such), else the real date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.settings import Settings

WEEKDAYS = "一二三四五六日"
BEFORE, INSIDE, AFTER = "before", "inside", "after"


def day_words(day: date) -> str:
    """A day as sentences write it: 10月8日（周四）."""
    return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


@dataclass(frozen=True)
class PlanDay:
    """The today a first plan is made on, and what of the period it leaves to plan."""
    today: date
    demonstration: bool  # the dataset's demonstration `today`, not a date given or the real one
    where: str  # BEFORE (on or before the period's first day) | INSIDE | AFTER (or nothing left to unlock)
    first_day: date | None  # the first working day the plan places visits on; None: the whole period
    past_days: int  # working days of the period before first_day (past, or locked from today)
    total_days: int  # working days of the period
    end: date

    @property
    def past_share(self) -> float:
        return self.past_days / self.total_days if self.total_days else 0.0

    def sentence(self, words=day_words) -> str:
        """The plan's note in 简体中文; `words` writes a day (the app passes its own, for the English toggle)."""
        today = words(self.today) + ("（数据集设置的演示日期，不是实际日期）" if self.demonstration else "")
        if self.where == BEFORE:
            return f"今天是{today}，在本期开始之前：方案安排本期全部 {self.total_days} 个工作日。"
        if self.where == AFTER:
            over = f"本期已于{words(self.end)}结束" if self.today > self.end else "本期剩余的工作日都已锁定"
            return f"今天是{today}，{over}：方案按整期排出，仅供回顾或演示，不能据此派人检查。"
        assert self.first_day is not None
        left = self.total_days - self.past_days
        return (f"今天是{today}：本期 {self.total_days} 个工作日中已有 {self.past_days} 个过去或锁定"
                f"（{self.past_share:.0%}），方案从{words(self.first_day)}起安排其余 {left} 个工作日。")


def plan_today(given: date | None, settings: Settings, real: date) -> tuple[date, bool]:
    """The today a plan is made on, and whether it is the dataset's demonstration date."""
    if given is not None:
        return given, False
    if settings.today is not None:
        return settings.today, True
    return real, False


def plan_day(workdays: list[date], settings: Settings, today: date, *, demonstration: bool = False) -> PlanDay:
    """Where `today` falls in the period of `settings` (with its working days), for a first plan."""
    total = len(workdays)
    if today <= settings.start:
        return PlanDay(today, demonstration, BEFORE, None, 0, total, settings.end)
    ahead = [day for day in workdays if day >= today]
    if today > settings.end or settings.lock_days >= len(ahead):
        return PlanDay(today, demonstration, AFTER, None, 0, total, settings.end)
    first = ahead[settings.lock_days]
    return PlanDay(today, demonstration, INSIDE, first, sum(day < first for day in workdays), total, settings.end)


def first_plan_day(workdays: list[date], settings: Settings, today: date) -> date | None:
    """The first working day a first plan made `today` places visits on; None: the whole period."""
    return plan_day(workdays, settings, today).first_day
