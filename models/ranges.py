"""The sensible range of every number and date the tool reads — a cell, a setting, a change, a flag — and the
one message that states it. A value outside is refused where it is read, so that nothing later (a date plus
a deadline, a solver budget, a loop over counties) can overflow, exhaust or hang on it."""
from __future__ import annotations

from datetime import date, timedelta

from models.problems import BadValue

EARLIEST_DATE = date(1900, 1, 1)  # a 成立日期 of an old state enterprise is still after this
LATEST_DATE = date(2099, 12, 31)  # far past any plan, and far from date.max (9999-12-31 + a deadline overflows)
NEAR_PERIOD_DAYS = 366  # a day about a plan (today, a deadline) lies at most this far outside its period


def range_text(low: float, high: float, unit: str = "") -> str:
    """'1 到 1440 分钟之间', '0 到 20 之间'."""
    return f"{_number(low)} 到 {_number(high)}{' ' + unit if unit else ' '}之间"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def in_range(value: float, low: float, high: float, what: str, unit: str = "", kind: str = "数") -> None:
    """BadValue stating the range when `value` is outside [low, high]."""
    if not low <= value <= high:
        raise BadValue(f"{what}应为 {range_text(low, high, unit)}的{kind}（{_number(value)} 超出范围）",
                       f"请填写 {range_text(low, high, unit)}的{kind}")


def date_between(day: date, first: date, last: date, what: str = "日期") -> date:
    """`day`, or BadValue stating the range when it is outside [first, last]."""
    if not first <= day <= last:
        raise BadValue(f"{what} {day.isoformat()} 超出范围（应在 {first.isoformat()} 至 {last.isoformat()} 之间）",
                       f"请填写 {first.isoformat()} 至 {last.isoformat()} 之间的日期")
    return day


def near_period(start: date, end: date, days: int = NEAR_PERIOD_DAYS) -> tuple[date, date]:
    """The days a date about a plan of start..end may take: `days` before its start through `days` after its end
    (a today for export or status, a 整改期限), never past EARLIEST_DATE..LATEST_DATE."""
    return max(EARLIEST_DATE, start - timedelta(days=days)), min(LATEST_DATE, end + timedelta(days=days))
