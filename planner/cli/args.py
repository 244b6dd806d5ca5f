"""Arguments several commands read the same way."""
from __future__ import annotations

from datetime import date

from models.period import Period
from models.problems import UserError
from models.ranges import date_between, in_range, near_period
from models.schema import BadValue, iso_date


def today_arg(text: str | None, period: Period | None = None) -> date:
    """--today, read like any date of the dataset; the real date when absent. Given a plan's `period`, a today
    written on the command line must lie near it (models.ranges.near_period): a typo such as 9999-12-31 would
    otherwise be recorded, e.g. as a publication day in the commitment chain."""
    if text is None:
        return date.today()
    try:
        today = iso_date(text)
        return date_between(today, *near_period(period.start, period.end), "日期") if period else today
    except BadValue as bad:
        raise UserError(f"--today {text}：{bad.message}。{bad.fix}") from None


def count_arg(value: int | None, name: str, low: int, high: int) -> int | None:
    """An integer flag within its range (None stays None)."""
    if value is None:
        return None
    try:
        in_range(value, low, high, "", kind="整数")
    except BadValue as bad:
        raise UserError(f"{name} {value}：{bad.message}。{bad.fix}") from None
    return value
