"""Working days: the statutory calendar with 调休, and calendar.csv for years the package does not know."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from models.calendar import (
    FESTIVALS,
    CalendarIncomplete,
    CalendarNotCovered,
    calendar_draft,
    calendar_draft_csv,
    festival_days,
    packaged_years,
    working_day_after,
    working_days,
)
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


def test_uncovered_year_plans_from_a_complete_calendar_csv(tmp_path):
    year = packaged_years().stop
    draft = list(csv.reader(io.StringIO(calendar_draft_csv(year).decode("utf-8-sig"))))  # header: date, workday, note
    def edit(tables):
        tables["calendar"] = [["日期", "是否工作日", "说明"], *draft[1:]]
    ds = load_dataset(write_dataset(tmp_path / "county", edit=edit, settings={"period": f"{year}Q1"}))
    weekdays = [d for d in ds.workdays if d.weekday() < 5]
    assert date(year, 1, 1) not in ds.workdays and weekdays == ds.workdays
    assert ds.workdays[0] > date(year, 1, 1)
    assert not set(festival_days(year)["春节"]) & set(ds.workdays)


def test_a_calendar_csv_naming_only_new_year_is_refused_naming_the_missing_festivals(tmp_path):
    """The issue's case: 2027 with only 2027-01-01 was accepted and visits landed inside the Spring Festival."""
    def edit(tables):
        tables["calendar"] = [["date", "workday"], ["2027-01-01", "false"]]
    folder = write_dataset(tmp_path / "county", edit=edit, settings={"period": "2027Q1"})
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    [p] = info.value.problems
    assert (p.file, p.column) == ("settings.toml", "period")
    named = [name for name in FESTIVALS if name in p.message]
    assert named == ["春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]  # 元旦 is marked
    assert "2027-02-05 至 2027-02-08" in p.message and "calendar-draft 2027" in p.fix
    with pytest.raises(CalendarIncomplete) as raised:
        working_days(date(2027, 1, 1), date(2027, 3, 31), {date(2027, 1, 1): False})
    assert list(raised.value.missing) == [2027] and "元旦" not in raised.value.missing[2027]


def test_a_festival_day_written_as_a_working_day_is_not_marked():
    marked = {d.day: d.workday for d in calendar_draft(2027)} | {date(2027, 2, 8): True}
    with pytest.raises(CalendarIncomplete) as raised:
        working_days(date(2027, 1, 1), date(2027, 3, 31), marked)
    assert raised.value.missing == {2027: ["春节"]}


def test_the_draft_marks_every_festival_of_2027_with_its_days():
    days = festival_days(2027)
    assert list(days) == list(FESTIVALS)
    assert days["春节"] == tuple(date(2027, 2, d) for d in (5, 6, 7, 8))  # 除夕 and 初一 to 初三
    assert days["中秋节"] == (date(2027, 9, 15),) and days["端午节"] == (date(2027, 6, 9),)
    draft = calendar_draft(2027)
    assert all(not d.workday and "核对" in d.note for d in draft)
    assert {d for ds in days.values() for d in ds} <= {d.day for d in draft}


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
