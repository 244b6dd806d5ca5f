"""Working days from the Chinese statutory calendar (holidays and 调休), with a dataset override."""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


class CalendarNotCovered(ValueError):
    """The packaged statutory calendar does not know a year of the period."""


def packaged_years() -> range:
    years = sorted({d.year for d in chinese_calendar.holidays})
    return range(years[0], years[-1] + 1)


def working_days(start: date, end: date, overrides: dict[date, bool] | None = None) -> list[date]:
    """Working days in [start, end].

    A day in `overrides` (calendar.csv) takes its status from there. A year the packaged calendar does not
    cover may still be planned when calendar.csv has rows in that year (the year's holidays and make-up days
    from the State Council notice); its other days then follow Monday–Friday.
    """
    overrides = overrides or {}
    covered = packaged_years()
    override_years = {d.year for d in overrides}
    missing = sorted({d.year for d in _days(start, end)} - set(covered) - override_years)
    if missing:
        years = "、".join(str(y) for y in missing)
        raise CalendarNotCovered(
            f"法定节假日日历未收录 {years} 年（已收录 {covered.start}–{covered.stop - 1} 年）。"
            f"请在数据集中加入 calendar.csv（列 date, workday），写明 {years} 年国务院通知中的节假日（workday=false）"
            f"和调休上班日（workday=true），其余日期按周一至周五计算；或升级 chinesecalendar 包。"
        )
    return [day for day in _days(start, end) if _is_workday(day, overrides, covered)]


def working_day_after(day: date, count: int, overrides: dict[date, bool] | None = None) -> tuple[date, bool]:
    """The `count`-th working day after `day` (the day itself not counted), and whether it is an estimate.

    Days follow working_days: calendar.csv, then the statutory calendar. A year neither covers (e.g. a deadline
    running into next year before the package has its holiday notice) counts Monday–Friday and makes the answer
    an estimate: that year's holidays and 调休 may move it either way; calendar.csv rows for the year make it exact.
    """
    overrides = overrides or {}
    covered, listed = packaged_years(), {d.year for d in overrides}
    estimated, found = False, 0
    while found < count:
        day += timedelta(days=1)
        found += _is_workday(day, overrides, covered)
        estimated = estimated or (day not in overrides and day.year not in covered and day.year not in listed)
    return day, estimated


def _is_workday(day: date, overrides: dict[date, bool], covered: range) -> bool:
    """calendar.csv first, then the statutory calendar, else Monday–Friday."""
    if day in overrides:
        return overrides[day]
    if day.year in covered:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def _days(start: date, end: date):
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)
