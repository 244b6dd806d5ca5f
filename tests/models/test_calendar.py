"""Working days: the statutory calendar with 调休, and calendar.csv for years the package does not know."""
from __future__ import annotations

from datetime import date

import pytest

from models.calendar import CalendarNotCovered, packaged_years, working_day_after, working_days
from models.loading import load_dataset
from models.problems import DatasetError
from tests.builders import build_dataset, write_dataset

Q4_2026 = (date(2026, 10, 1), date(2026, 12, 31))


def test_make_up_saturday_is_a_working_day_and_national_day_is_not():
    days = working_days(*Q4_2026)
    assert date(2026, 10, 10).weekday() == 5 and date(2026, 10, 10) in days
    assert date(2026, 10, 1) not in days and date(2026, 10, 7) not in days
    assert date(2026, 10, 8) in days


def test_2026q4_has_62_working_days():
    assert len(working_days(*Q4_2026)) == 62
    assert len(build_dataset().workdays) == 62


def test_calendar_csv_overrides_a_packaged_day():
    def edit(tables):
        tables["calendar"] = [["date", "workday"], ["2026-10-09", "false"], ["2026-10-11", "是"]]
    days = build_dataset(edit=edit).workdays
    assert date(2026, 10, 9) not in days and date(2026, 10, 11) in days
    assert len(days) == 62


def test_uncovered_year_is_refused_with_a_way_out(tmp_path):
    year = packaged_years().stop  # the first year the package does not know (2027 today)
    with pytest.raises(CalendarNotCovered):
        working_days(date(year, 1, 1), date(year, 3, 31))
    folder = write_dataset(tmp_path / "county", settings={"period": f"{year}Q1"})
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    [p] = info.value.problems
    assert (p.file, p.row, p.column, p.value) == ("settings.toml", 1, "period", f"{year}Q1")
    assert str(year) in p.message and "calendar.csv" in p.fix


def test_uncovered_year_plans_from_calendar_csv(tmp_path):
    year = packaged_years().stop
    def edit(tables):
        tables["calendar"] = [["日期", "是否工作日"], [f"{year}-01-01", "false"]]
    ds = load_dataset(write_dataset(tmp_path / "county", edit=edit, settings={"period": f"{year}Q1"}))
    weekdays = [d for d in ds.workdays if d.weekday() < 5]
    assert date(year, 1, 1) not in ds.workdays and weekdays == ds.workdays
    assert ds.workdays[0] > date(year, 1, 1)


@pytest.mark.parametrize("row, words", [(["2026-10-32", "true"], "日期"), (["2026-10-09", "sometimes"], "是/否")])
def test_calendar_csv_cells_are_checked(tmp_path, row, words):
    folder = write_dataset(tmp_path / "county", edit=lambda t: t.update(calendar=[["date", "workday"], row]))
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    [p] = info.value.problems
    assert (p.file, p.row) == ("calendar.csv", 2) and words in p.message + p.fix


def test_duplicate_calendar_date(tmp_path):
    rows = [["date", "workday"], ["2026-10-09", "false"], ["2026-10-09", "true"]]
    folder = write_dataset(tmp_path / "county", edit=lambda t: t.update(calendar=rows))
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [("calendar.csv", 3, "date")]


def test_working_day_after_skips_national_day_and_counts_the_make_up_saturday():
    assert working_day_after(date(2026, 9, 28), 2) == (date(2026, 9, 30), False)
    assert working_day_after(date(2026, 9, 28), 3) == (date(2026, 10, 8), False)
    assert working_day_after(date(2026, 9, 28), 5) == (date(2026, 10, 10), False)  # Saturday, a 调休 working day
    assert working_day_after(date(2026, 9, 28), 6) == (date(2026, 10, 12), False)


def test_working_day_after_into_an_unknown_year_is_an_estimate_unless_calendar_csv_lists_it():
    year = packaged_years().stop  # the first year the package does not know
    day, estimated = working_day_after(date(year - 1, 12, 21), 10)  # runs into that year: Monday–Friday there
    assert estimated and day.year == year and day.weekday() < 5
    exact, estimated = working_day_after(date(year - 1, 12, 21), 10, {day: False})  # calendar.csv: a holiday
    assert not estimated and exact > day


def test_loader_keeps_calendar_csv_for_later_deadlines():
    def edit(tables):
        tables["calendar"] = [["date", "workday"], ["2027-01-01", "false"], ["2026-10-11", "true"]]
    assert build_dataset(edit=edit).calendar == {date(2027, 1, 1): False, date(2026, 10, 11): True}
