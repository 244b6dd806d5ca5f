"""Working days from the Chinese statutory calendar (holidays and 调休), with a dataset override.

A year the packaged calendar (chinesecalendar) does not cover is planned from calendar.csv, which must then mark
every statutory festival of that year (元旦 … 国庆节): the festival days follow from the solar and lunar calendars
(python-holidays dates them), the 调休 make-up days only from the State Council's notice. `calendar_draft`
gives the days to confirm against that notice.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar
import holidays

FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")  # 全国年节及纪念日放假办法
# python-holidays' zh_CN names of a festival's own days (its 补假 and 调休 rest days are the notice's choice)
_FESTIVAL_OF_NAME = {"元旦": "元旦", "农历除夕": "春节", "春节": "春节", "清明节": "清明节", "劳动节": "劳动节",
                     "端午节": "端午节", "中秋节": "中秋节", "国庆节": "国庆节"}
OBSERVED_MARK = "（补假）"
DRAFT_NOTE = "草稿，待按国务院办公厅通知核对"
DRAFT_COLUMNS = ("date", "workday", "note")


class CalendarNotCovered(ValueError):
    """The packaged statutory calendar does not know a year of the period (or calendar.csv leaves out a
    festival of such a year: CalendarIncomplete)."""


class CalendarIncomplete(CalendarNotCovered):
    """calendar.csv stands for a year the packaged calendar does not cover but leaves out statutory festivals."""

    def __init__(self, message: str, missing: dict[int, list[str]]):
        super().__init__(message)
        self.missing = missing  # year -> the festivals not marked


@dataclass(frozen=True, slots=True)
class DraftDay:
    """One row of a draft calendar.csv: a day off (or, once confirmed, a make-up working day)."""
    day: date
    workday: bool
    note: str  # the festival, and what is still to confirm


@cache
def _china_holidays(year: int) -> tuple[tuple[date, str], ...]:
    return tuple(sorted(holidays.China(years=year, language="zh_CN").items()))


def festival_days(year: int) -> dict[str, tuple[date, ...]]:
    """Festival -> its statutory days in `year` (除夕 counts with 春节), by python-holidays; not the 补假 or
    调休 days, which only the State Council's notice fixes."""
    out: dict[str, list[date]] = {name: [] for name in FESTIVALS}
    for day, name in _china_holidays(year):
        festival = _FESTIVAL_OF_NAME.get(name)
        if festival is not None:
            out[festival].append(day)
    return {name: tuple(days) for name, days in out.items() if days}


def missing_festivals(year: int, overrides: dict[date, bool]) -> dict[str, tuple[date, ...]]:
    """The festivals of `year` that calendar.csv does not mark: one of its statutory days not written as
    workday=false. Festival -> its days, in FESTIVALS order."""
    return {name: days for name, days in festival_days(year).items()
            if any(overrides.get(day) is not False for day in days)}


def calendar_draft(year: int) -> list[DraftDay]:
    """A draft calendar.csv for `year`: every festival day and the 补假 days python-holidays expects, as days
    off, each noted for confirmation. The 调休 make-up working days are not known before the notice."""
    rows = []
    for day, name in _china_holidays(year):
        festival = _FESTIVAL_OF_NAME.get(name.removesuffix(OBSERVED_MARK))
        if festival is None:
            continue
        what = f"{festival}（补假，按通知确认）" if name.endswith(OBSERVED_MARK) else festival
        rows.append(DraftDay(day, False, f"{what}；{DRAFT_NOTE}"))
    return rows


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
    uncovered = sorted({d.year for d in _days(start, end)} - set(covered))
    missing = [year for year in uncovered if year not in override_years]
    if missing:
        years = "、".join(str(y) for y in missing)
        raise CalendarNotCovered(
            f"法定节假日日历未收录 {years} 年（已收录 {covered.start}–{covered.stop - 1} 年）。"
            f"请在数据集中加入 calendar.csv（列 date, workday），写明 {years} 年国务院通知中的节假日（workday=false）"
            f"和调休上班日（workday=true），其余日期按周一至周五计算；草稿可用 "
            f"python -m planner calendar-draft {missing[0]} --out 文件 生成；或升级 chinesecalendar 包。"
        )
    check_festivals(uncovered, overrides)
    return [day for day in _days(start, end) if _is_workday(day, overrides, covered)]


def calendar_draft_csv(year: int) -> bytes:
    """calendar_draft as calendar.csv reads it (UTF-8 with a BOM, for Excel): date, workday, note. The 调休
    make-up working days are still to add from the notice (workday=true)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DRAFT_COLUMNS)
    writer.writerows((d.day.isoformat(), "true" if d.workday else "false", d.note) for d in calendar_draft(year))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def check_festivals(years, overrides: dict[date, bool]) -> None:
    """CalendarIncomplete naming every festival calendar.csv leaves out in `years` (those it stands for)."""
    missing = {year: missing_festivals(year, overrides) for year in years}
    missing = {year: found for year, found in missing.items() if found}
    if not missing:
        return
    named = "；".join(f"{year} 年" + "、".join(f"{name}（{_days_text(days)}）" for name, days in found.items())
                     for year, found in missing.items())
    first = min(missing)
    raise CalendarIncomplete(
        f"calendar.csv 没有标出以下法定节假日：{named}。"
        f"请对照国务院办公厅 {first} 年节假日安排的通知，把放假日期写为 workday=false、调休上班日写为 workday=true；"
        f"可用 python -m planner calendar-draft {first} --out 文件 生成草稿核对后并入 calendar.csv",
        {year: list(found) for year, found in missing.items()})


def _days_text(days: tuple[date, ...]) -> str:
    return days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()} 至 {days[-1].isoformat()}"


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
