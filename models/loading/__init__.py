"""Read a county dataset (a folder of CSV files, a workbook — .xlsx, .xls, WPS .et, .ods — or a .zip), validate
all of it, build a Dataset.

Every problem is collected, each naming file, row, column, value and fix; nothing half-loaded is returned.
The work runs in three passes: read raw tables (sources, text, workbook), parse cells row by row (tables, with
the schema's parsers), then check keys and references across tables (checks). Plain loops over lists of
strings keep 100,000 rows well under a second per pass. Inputs come as departments really send them: GBK or
UTF-16 CSV, title rows above the header, headers in any known alias, codes Excel turned into numbers, zips made
on Windows; whatever cannot be read is named with the reason, never a traceback.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from models.calendar import CalendarNotCovered
from models.dataset import Dataset
from models.loading.checks import (
    check_date_order,
    check_hubs,
    check_keys,
    check_references,
    ignored_warnings,
    item_rates,
    joining_departments,
    missing_tables,
    resolve_departments,
)
from models.loading.limits import Refused, check_size
from models.loading.sources import Source, check_kind, file_bytes, read_folder, read_upload
from models.loading.tables import ParsedTable, parse_table
from models.problems import DatasetError, Problem, UserError
from models.records import (
    RISK_LEVELS,
    Absence,
    Business,
    Category,
    Conflict,
    Department,
    Inspector,
    Item,
    PastInspection,
    Town,
    Zone,
)
from models.schema import TABLES
from models.settings import SETTINGS_FILE, Settings, Written, read_settings

DATASET_WORDS = "给出数据集文件夹、工作簿（.xlsx、.xls、.et、.ods）或 .zip 压缩包（内含 CSV 文件）"


def load_dataset(path: str | os.PathLike, *, settings_overrides: dict | None = None) -> Dataset:
    """Load and validate a dataset folder, workbook or .zip of CSV files; raise DatasetError if bad.

    `settings_overrides` replaces settings keys after settings.toml is read (None values are ignored) and is
    validated the same way; setting `period` drops the file's start/end and vice versa.
    """
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise UserError(f"{path} 是一个失效的链接（快捷方式），它指向的文件已不存在。请直接给出数据集本身")
    if not path.exists():
        raise UserError(f"找不到数据集：{path}")
    if path.is_dir():
        return _build(read_folder(path), settings_overrides)
    check_kind(path.name, DATASET_WORDS)
    try:
        data = file_bytes(path)
    except Refused as refused:
        raise UserError(f"{path.name}：{refused.message}。{refused.fix}") from None
    return _build(read_upload(path.name, data), settings_overrides)


def load_upload(name: str, data: bytes, *, settings_overrides: dict | None = None) -> Dataset:
    """Like load_dataset for an uploaded workbook or .zip held in memory (the app); nothing touches the disk."""
    check_kind(name, "上传工作簿（.xlsx、.xls、.et、.ods）或 .zip 压缩包（内含 CSV 文件）")
    try:
        check_size(len(data))
    except Refused as refused:
        raise UserError(f"{name}：{refused.message}。{refused.fix}") from None
    return _build(read_upload(name, data), settings_overrides)


def _build(source: Source, settings_overrides: dict | None) -> Dataset:
    tables = {spec.stem: parse_table(spec, source.tables[spec.stem]) for spec in TABLES if spec.stem in source.tables}
    problems = list(source.problems) + missing_tables(source, set(tables))
    resolve_departments(tables)
    if "items" in tables:
        joining_departments(tables["items"])
        item_rates(tables["items"])
    for table in tables.values():
        check_keys(table)
        check_references(table, tables)
    if "zones" in tables:
        check_hubs(tables["zones"], tables.get("towns"))
    if "unavailable" in tables:
        check_date_order(tables["unavailable"], "start", "end", "检查两个日期是否填反；结束日期当天也算缺勤")
    if "items" in tables:
        check_date_order(tables["items"], "window_start", "window_end", "检查任务时间窗口的两个日期是否填反")
    warnings = list(source.warnings) + ignored_warnings(source)
    notes = []
    for table in tables.values():
        problems.extend(table.reported())
        warnings.extend(table.warnings)
        notes.extend(table.notes)

    settings, period_where = None, None
    if not source.unreadable & {"*", "settings"}:
        settings, period_where = read_settings(source.settings, settings_overrides, problems, source.settings_label())
    workdays: list[date] = []
    calendar = tables.get("calendar")
    if settings is not None and (calendar is None or not calendar.problems):
        workdays = _workdays(settings, _calendar(calendar), period_where, problems)
    if problems or settings is None:
        raise DatasetError(problems, warnings)

    return Dataset(
        zones=_records(tables["zones"]), towns=_records(tables["towns"]),
        departments=_records(tables["departments"]), categories=_records(tables["categories"]),
        items=_records(tables["items"]), businesses=_records(tables["businesses"]),
        inspectors=_records(tables["inspectors"]), settings=settings, workdays=workdays,
        absences=_records(tables.get("unavailable")), conflicts=_records(tables.get("conflicts")),
        history=_records(tables.get("history")), inputs_sha256=dict(sorted(source.digests.items())),
        warnings=warnings, calendar=_calendar(calendar), notes=notes,
    )


def _calendar(calendar: ParsedTable | None) -> dict[date, bool]:
    if calendar is None:
        return {}
    return {r.values["date"]: r.values["workday"] for r in calendar.rows if "date" in r.values and "workday" in r.values}


def _workdays(settings: Settings, overrides: dict[date, bool], where: Written | None,
              problems: list[Problem]) -> list[date]:
    where = where or Written(SETTINGS_FILE, None, "period")
    try:
        days = settings.period.working_days(overrides)
    except CalendarNotCovered as error:
        message, _, fix = str(error).partition("。")
        problems.append(Problem(where.file, where.row, where.column, settings.period.text, message, fix))
        return []
    if not days:
        problems.append(Problem(where.file, where.row, where.column, settings.period.text, "这个期间没有工作日",
                                "检查期间，或 calendar.csv 是否把所有日期都标成了 workday=false"))
    return days


RECORDS = {"zones": Zone, "towns": Town, "departments": Department, "categories": Category,
           "businesses": Business, "inspectors": Inspector, "unavailable": Absence, "conflicts": Conflict,
           "history": PastInspection}


def _item(values: dict) -> Item:
    rates = values["rates"]
    return Item(values["item_id"], values["dept_id"], values["name"], values["category_ids"],
                {r: rates[r].ratio or 0.0 for r in RISK_LEVELS}, values["minutes"], values["inspectors"],
                values["window_start"], values["window_end"], values["basis"], values["checklist"],
                values["co_dept_ids"],
                sample_counts={r: rate.count for r, rate in rates.items() if rate.ratio is None and rate.count is not None},
                per_year={**{r: rate.per_year for r, rate in rates.items() if rate.per_year is not None},
                          **{r: values[f"per_year_{r}"] for r in RISK_LEVELS if values.get(f"per_year_{r}")}},
                method=values["method"], scope=values["scope"])


def _records(table: ParsedTable | None) -> list:
    if table is None:
        return []
    make = _item if table.spec.stem == "items" else (lambda v, cls=RECORDS[table.spec.stem]: cls(**v))
    return [make(row.values) for row in table.rows]
