"""The period, parsed once: quarters, explicit ranges, the quarter's name, its working days."""
from __future__ import annotations

from datetime import date

import pytest

from models.period import Period
from models.schema import BadValue


def test_a_quarter_knows_its_days_year_and_name():
    q4 = Period.parse(" 2026q4 ")
    assert (q4.start, q4.end, q4.text, q4.year, q4.quarter) == (date(2026, 10, 1), date(2026, 12, 31), "2026Q4", 2026, 4)
    assert q4.label == "2026年第四季度" and str(q4) == "2026Q4"
    assert Period.parse("2027Q1").end == date(2027, 3, 31)


def test_an_explicit_range_shows_its_days():
    period = Period.parse("2026-11-01..2026-11-30")
    assert (period.start, period.end, period.quarter) == (date(2026, 11, 1), date(2026, 11, 30), None)
    assert period.label == "2026-11-01 至 2026-11-30" and period == Period.between(period.start, period.end)


@pytest.mark.parametrize("text", ["2026Q5", "2026", "Q4", "2026-11-01..", "2026-13-01..2026-12-31", ""])
def test_what_is_not_a_period_is_refused(text):
    with pytest.raises(BadValue, match="无法识别的期间"):
        Period.parse(text)


def test_a_range_ending_before_it_starts_is_refused_wherever_it_comes_from():
    with pytest.raises(BadValue, match="结束日期早于开始日期"):
        Period.parse("2026-12-31..2026-10-01")
    with pytest.raises(BadValue, match="结束日期早于开始日期"):
        Period.between(date(2026, 12, 31), date(2026, 10, 1))


def test_working_days_follow_the_statutory_calendar_and_calendar_csv():
    october = Period.parse("2026-10-01..2026-10-31")
    days = october.working_days()
    assert date(2026, 10, 1) not in days and date(2026, 10, 9) in days  # 国庆, then an ordinary Friday
    assert date(2026, 10, 12) not in october.working_days({date(2026, 10, 12): False})
