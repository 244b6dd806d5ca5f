"""Read a county dataset (CSV folder, .xlsx workbook or .zip of CSVs), validate all of it, build a Dataset.

Every problem is collected, each naming file, row, column, value and fix; nothing half-loaded is returned.
The work runs in three passes: read raw text tables (sources), parse cells row by row (schema parsers), then
check keys and references across tables. Plain loops over lists of strings keep 100,000 rows well under a
second per pass.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from models.calendar import CalendarNotCovered, working_days
from models.dataset import Dataset
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
from models.schema import TABLE, TABLES, BadValue, Column, Table, iso_date
from models.settings import (
    SETTING_KEYS,
    SETTINGS_FILE,
    SETTINGS_SHEET_COLUMNS,
    SETTINGS_SHEET_NAMES,
    Settings,
    parse_quarter,
)

OVERRIDES_LABEL = "运行参数"  # where problems in settings_overrides (CLI flags, the app) are reported


def load_dataset(path: str | os.PathLike, *, settings_overrides: dict | None = None) -> Dataset:
    """Load and validate a dataset folder, .xlsx workbook or .zip of CSV files; raise DatasetError if bad.

    `settings_overrides` replaces settings keys after settings.toml is read (None values are ignored) and is
    validated the same way; setting `period` drops the file's start/end and vice versa.
    """
    path = Path(path)
    if not path.exists():
        raise UserError(f"找不到数据集：{path}")
    if path.is_dir():
        source = _read_folder(path)
    elif path.suffix.lower() in (".xlsx", ".zip"):
        source = _read_upload(path.name, path.read_bytes())
    else:
        raise UserError(f"无法读取 {path.name}：请给出数据集文件夹、.xlsx 工作簿或 .zip 压缩包（内含 CSV 文件）")
    return _build(source, settings_overrides)


def load_upload(name: str, data: bytes, *, settings_overrides: dict | None = None) -> Dataset:
    """Like load_dataset for an uploaded .xlsx or .zip held in memory (the app); nothing touches the disk."""
    if not name.lower().endswith((".xlsx", ".zip")):
        raise UserError(f"无法读取 {name}：请上传 .xlsx 工作簿或 .zip 压缩包（内含 CSV 文件）")
    return _build(_read_upload(name, data), settings_overrides)


# --- pass 1: sources → raw text tables ------------------------------------------------------------

@dataclass
class RawTable:
    label: str  # "zones.csv" or "county.xlsx:zones", as problems name it
    header: list[str]  # as written in the file
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, stripped cells)
    header_row: int = 1  # the header's row number (a sheet may have a title above it)


@dataclass
class RawSettings:
    label: str
    entries: dict[str, tuple[Any, int | None, str]] = field(default_factory=dict)  # key -> (value, row, as written)


@dataclass
class Source:
    tables: dict[str, RawTable] = field(default_factory=dict)  # stem -> table
    settings: RawSettings | None = None
    digests: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    workbook: str | None = None  # workbook name when the source is one .xlsx
    unreadable: set[str] = field(default_factory=set)  # stems present but unreadable; "*" = the whole source

    def label_for(self, stem: str) -> str:
        return f"{self.workbook}:{stem}" if self.workbook else f"{stem}.csv"

    def add(self, stem: str, table: RawTable) -> None:
        if stem in self.tables:
            self.problems.append(Problem(table.label, None, None, "", f"与 {self.tables[stem].label} 是同一张表",
                                         "只保留其中一个"))
        else:
            self.tables[stem] = table


def _table_stem(name: str) -> str | None:
    """Table stem for a file stem or sheet name, English or Chinese."""
    key = name.strip().lower()
    for table in TABLES:
        if key == table.stem or key in table.names:
            return table.stem
    return None


def _read_folder(folder: Path) -> Source:
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and _is_input(p.name)}
    return _read_csv_files(files)


def _read_upload(name: str, data: bytes) -> Source:
    if name.lower().endswith(".xlsx"):
        return _read_workbook(name, data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        source = Source(unreadable={"*"})
        source.problems.append(Problem(name, None, None, "", "不是有效的 zip 压缩包", "请重新压缩 CSV 文件后上传"))
        return source
    files: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            base = PurePosixPath(_zip_name(info)).name
            if info.is_dir() or "__MACOSX" in info.filename or not _is_input(base):
                continue
            if base in files:
                source = Source(unreadable={"*"})
                source.problems.append(Problem(name, None, None, base, f"压缩包里有多个 {base}",
                                               "每张表只放一个文件"))
                return source
            files[base] = archive.read(info)
    workbooks = [n for n in files if n.lower().endswith(".xlsx")]
    if workbooks and not any(n.lower().endswith(".csv") for n in files):
        return _read_workbook(workbooks[0], files[workbooks[0]])
    return _read_csv_files(files)


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store names in GBK without saying so; Python reads them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _is_input(name: str) -> bool:
    return not name.startswith((".", "~$")) and name.lower().endswith((".csv", ".toml", ".xlsx"))


def _read_csv_files(files: dict[str, bytes]) -> Source:
    source = Source()
    for name, data in files.items():
        lower = name.lower()
        if lower == SETTINGS_FILE:
            source.digests[name] = _sha256(data)
            source.settings = _read_toml(name, data, source.problems)
            if source.settings is None:
                source.unreadable.add("settings")
        elif lower.endswith(".csv") and (stem := _table_stem(name[:-4])):
            source.digests[name] = _sha256(data)
            text = _decode(name, data, source.problems)
            if text is None:
                source.unreadable.add(stem)
            else:
                source.add(stem, _csv_table(name, text))
    return source


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _decode(name: str, data: bytes, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(Problem(name, None, None, "", f"文件不是 UTF-8 编码（第 {error.start + 1} 个字节）",
                                "在 Excel 中选“另存为 → CSV UTF-8（逗号分隔）”，或用 WPS/记事本另存为 UTF-8"))
        return None


def _csv_table(label: str, text: str) -> RawTable:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    rows = []
    for number, cells in enumerate(reader, start=2):
        cells = [c.strip() for c in cells]
        if any(cells):  # blank lines (often trailing ones) are not rows
            rows.append((number, cells))
    return RawTable(label, header, rows)


def _read_workbook(name: str, data: bytes) -> Source:
    import openpyxl  # imported here: CSV users should not pay for it

    source = Source(workbook=name)
    source.digests[name] = _sha256(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged or mislabelled file
        source.problems.append(Problem(name, None, None, "", "无法打开这个工作簿",
                                       "请用 Excel 或 WPS 另存为 .xlsx 格式后重试"))
        source.unreadable.add("*")
        return source
    try:
        for sheet in book.worksheets:
            label = f"{name}:{sheet.title}"
            rows = ([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
            header = next(rows, [])
            table = RawTable(label, header, [(n, r) for n, r in enumerate(rows, start=2) if any(r)])
            if sheet.title.strip().lower() in SETTINGS_SHEET_NAMES:
                source.settings = _settings_sheet(table, source.problems)
            elif stem := _table_stem(sheet.title):
                source.add(stem, table)
    finally:
        book.close()
    return source


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TOML_LINE = re.compile(r"line (\d+), column (\d+)")
_TOML_KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")


def _read_toml(name: str, data: bytes, problems: list[Problem]) -> RawSettings | None:
    text = _decode(name, data, problems)
    if text is None:
        return None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = _TOML_LINE.search(str(error))
        row = int(where.group(1)) if where else None
        line = text.splitlines()[row - 1].strip() if row and row <= len(text.splitlines()) else ""
        problems.append(Problem(name, row, None, line, "TOML 格式错误",
                                '每行写成 key = value，文字加英文双引号，例如 period = "2026Q4"'))
        return None
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if (match := _TOML_KEY.match(line)) and match.group(1) not in lines:
            lines[match.group(1)] = number
    return RawSettings(name, {key: (value, lines.get(key), key) for key, value in values.items()})


def _settings_sheet(table: RawTable, problems: list[Problem]) -> RawSettings:
    index: dict[str, int] = {}
    for i, header in enumerate(table.header):
        for name, aliases in SETTINGS_SHEET_COLUMNS.items():
            if header.lower() in aliases:
                index.setdefault(name, i)
    settings = RawSettings(table.label)
    if len(index) < 2:
        problems.append(Problem(table.label, 1, None, "", "设置表应有两列：key（参数）和 value（值）",
                                "第一行写 key 和 value，下面每行一个参数"))
        return settings
    for number, cells in table.rows:
        key = cells[index["key"]] if index["key"] < len(cells) else ""
        value = cells[index["value"]] if index["value"] < len(cells) else ""
        if key in settings.entries:
            problems.append(Problem(table.label, number, table.header[index["key"]], key, "参数重复",
                                    f"删除重复的一行（第 {settings.entries[key][1]} 行已有）"))
        elif key:
            settings.entries[key] = (value, number, table.header[index["value"]])
    return settings


# --- pass 2: header mapping and row parsing -------------------------------------------------------

@dataclass
class Row:
    number: int
    cells: list[str]
    values: dict[str, Any]  # column name -> parsed value; a column that failed to parse is absent


@dataclass
class ParsedTable:
    spec: Table
    raw: RawTable
    columns: dict[str, int]  # column name -> index in the file
    rows: list[Row]
    problems: list[Problem]

    def header(self, name: str) -> str:
        return self.raw.header[self.columns[name]] if name in self.columns else name

    def cell(self, row: Row, name: str) -> str:
        index = self.columns.get(name)
        return row.cells[index] if index is not None and index < len(row.cells) else ""

    def problem(self, row: Row | None, name: str | None, value: str, message: str, fix: str) -> None:
        column = self.header(name) if name else None
        self.problems.append(Problem(self.raw.label, row.number if row else None, column, value, message, fix))

    def keys(self, name: str) -> set[str]:
        """Every value written in column `name`, valid or not: references to a bad row are not 'unknown'."""
        index = self.columns[name]
        return {cells[index] for _, cells in self.raw.rows if index < len(cells)}


def _normal(header: str) -> str:
    return header.replace("\ufeff", "").replace("\u3000", " ").strip().lower()


def _aliases(table: Table) -> dict[str, str]:
    out: dict[str, str] = {}
    for column in table.columns:
        for alias in (column.name, *column.aliases):
            out.setdefault(_normal(alias), column.name)
    return out


def _match_header(aliases: dict[str, str], header: str) -> str | None:
    """A column name for a header; 'zone_id（片区编号）' and '片区编号(zone_id)' match too."""
    key = _normal(header)
    if key in aliases:
        return aliases[key]
    for part in re.split(r"[()（）]", key):
        if _normal(part) in aliases:
            return aliases[_normal(part)]
    return None


def _parse_table(spec: Table, raw: RawTable) -> ParsedTable:
    parsed = ParsedTable(spec, raw, {}, [], [])
    aliases = _aliases(spec)
    for index, header in enumerate(raw.header):
        name = _match_header(aliases, header)
        if name is None:
            continue  # unknown columns are ignored: the contract may be extended
        if name in parsed.columns:
            parsed.problems.append(Problem(raw.label, raw.header_row, header, header, f"有两列都表示 {spec.column(name).label}",
                                           f"保留一列，删除「{header}」或「{parsed.header(name)}」"))
        else:
            parsed.columns[name] = index
    for column in spec.columns:
        if column.required and column.name not in parsed.columns:
            parsed.problems.append(Problem(raw.label, raw.header_row, column.name, "", f"缺少必需的列 {column.label}",
                                           f"在第 {raw.header_row} 行加入列名 {column.name} 或 {column.aliases[0]}"))
    parsed.rows = _parse_rows(parsed)
    return parsed


def _parse_rows(table: ParsedTable) -> list[Row]:
    present = [(c, table.columns[c.name]) for c in table.spec.columns if c.name in table.columns]
    absent = {c.name: c.default for c in table.spec.columns if c.name not in table.columns and not c.required}
    rows = []
    for number, cells in table.raw.rows:
        row = Row(number, cells, dict(absent))
        for column, index in present:
            value = cells[index] if index < len(cells) else ""
            if not value:
                if column.required:
                    table.problem(row, column.name, "", f"缺少{column.aliases[0]}", _empty_fix(column))
                else:
                    row.values[column.name] = column.default
                continue
            try:
                row.values[column.name] = column.parse(value)
            except BadValue as bad:
                table.problem(row, column.name, value, bad.message, bad.fix)
        rows.append(row)
    return rows


def read_csv_table(label: str, data: bytes) -> tuple[RawTable | None, list[Problem]]:
    """A CSV file outside the dataset (a results file) read as the dataset's CSVs are: BOM, blank lines."""
    problems: list[Problem] = []
    text = _decode(label, data, problems)
    return (None if text is None else _csv_table(label, text)), problems


def sheet_table(label: str, rows: list[tuple], header_row: int) -> RawTable:
    """A worksheet's values (openpyxl's rows from row 1) as a table whose header is on `header_row`."""
    cells = [[_cell_text(v) for v in row] for row in rows]
    header = cells[header_row - 1] if len(cells) >= header_row else []
    body = [(n, r) for n, r in enumerate(cells[header_row:], start=header_row + 1) if any(r)]
    return RawTable(label, header, body, header_row)


def parse_table(spec: Table, raw: RawTable) -> ParsedTable:
    """`raw` read against `spec` by the dataset's rules: English or Chinese headers, every cell parsed, each
    problem named by file, row and column (for tables outside the dataset, such as results)."""
    return _parse_table(spec, raw)


def _empty_fix(column: Column) -> str:
    if column.ref:
        return f"请填写，应为 {TABLE[column.ref].file_name} 中已有的编号"
    return f"请填写{column.aliases[0]}"


# --- pass 3: keys, references and rules across rows -----------------------------------------------

def _check_keys(table: ParsedTable) -> None:
    key = table.spec.key
    if not key or any(name not in table.columns for name in key):
        return
    seen: dict[tuple, int] = {}
    for row in table.rows:
        value = tuple(table.cell(row, name) for name in key)
        if not all(value):
            continue
        if value in seen:
            what = "、".join(table.spec.column(n).aliases[0] for n in key)
            table.problem(row, key[-1], ";".join(value), f"{what}重复（第 {seen[value]} 行已有）",
                          "删除重复的行，或改用不同的编号")
        else:
            seen[value] = row.number


def _check_references(table: ParsedTable, tables: dict[str, ParsedTable], label_for) -> None:
    for column in table.spec.columns:
        target = tables.get(column.ref) if column.ref else None
        if target is None or column.name not in table.columns:
            continue  # the missing table or column is reported once, not on every row that points at it
        target_key = target.spec.key[0]
        if target_key not in target.columns:
            continue
        known = target.keys(target_key)
        for row in table.rows:
            value = row.values.get(column.name)
            for ref in (value if isinstance(value, tuple) else (value,)):
                if ref is not None and ref not in known:
                    table.problem(row, column.name, ref, f"{column.aliases[0]}在 {label_for(column.ref)} 中找不到",
                                  f"改为 {label_for(column.ref)} 中已有的编号，或在那里补上 {ref}")


def _check_hubs(zones: ParsedTable, towns: ParsedTable | None) -> None:
    """A hub town (中心镇) must exist and lie in its own zone."""
    if towns is None or not {"town_id", "zone_id"} <= towns.columns.keys():
        return
    zone_of = {towns.cell(r, "town_id"): towns.cell(r, "zone_id") for r in towns.rows}
    for row in zones.rows:
        hub, zone = row.values.get("hub_town_id"), row.values.get("zone_id")
        if hub is None or zone is None:
            continue
        if hub not in zone_of:
            zones.problem(row, "hub_town_id", hub, f"中心镇 {hub} 不在 {towns.raw.label} 中",
                          f"改为 {towns.raw.label} 中本片区的一个乡镇编号")
        elif zone_of[hub] != zone:
            zones.problem(row, "hub_town_id", hub, f"中心镇 {hub} 属于片区 {zone_of[hub]}，不在本片区 {zone}",
                          f"改为本片区的乡镇，或在 {towns.raw.label} 中把 {hub} 的所属片区改为 {zone}")


def _check_absences(table: ParsedTable) -> None:
    for row in table.rows:
        start, end = row.values.get("start"), row.values.get("end")
        if start and end and end < start:
            table.problem(row, "end", table.cell(row, "end"), f"结束日期早于开始日期 {start.isoformat()}",
                          "检查两个日期是否填反；结束日期当天也算缺勤")


# --- settings -------------------------------------------------------------------------------------

@dataclass
class _Where:
    file: str
    row: int | None
    column: str


def _settings(raw: RawSettings | None, overrides: dict | None, problems: list[Problem],
              default_label: str) -> tuple[Settings | None, _Where | None]:
    """Settings from the file, then the overrides, each value parsed by its key's parser.

    Returns the settings (None when any is wrong) and where the period was written, for calendar problems.
    """
    before = len(problems)
    entries: dict[str, tuple[Any, _Where]] = {}
    if raw is not None:
        entries = {k: (v, _Where(raw.label, row, written)) for k, (v, row, written) in raw.entries.items()}
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key == "period":
            entries.pop("start", None), entries.pop("end", None)
        elif key in ("start", "end"):
            entries.pop("period", None)
        entries[key] = (value, _Where(OVERRIDES_LABEL, None, key))
    values: dict[str, Any] = {}
    for key, (value, where) in entries.items():
        spec = SETTING_KEYS.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, SETTING_KEYS, n=1)
            fix = f"是否想写 {close[0]}？" if close else f"可用的参数：{'、'.join(SETTING_KEYS)}"
            problems.append(Problem(where.file, where.row, where.column, key, f"未知的参数 {key}", fix))
            continue
        try:
            values[key] = spec.parse(value)
        except BadValue as bad:
            problems.append(Problem(where.file, where.row, where.column, _shown(value), bad.message, bad.fix))
    period_where = _period(values, entries, problems, default_label, settings_missing=raw is None)
    if len(problems) > before:
        return None, period_where
    return Settings(**values), period_where


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _period(values: dict, entries: dict, problems: list[Problem], default_label: str,
            settings_missing: bool) -> _Where | None:
    """Turn period or start/end into values['start'], ['end'], ['period'] in place; report what is wrong."""
    def where(key: str) -> _Where:
        return entries[key][1] if key in entries else _Where(default_label, None, key)

    def report(key: str, value: str, message: str, fix: str) -> None:
        w = where(key)
        problems.append(Problem(w.file, w.row, w.column, value, message, fix))

    given = [k for k in ("period", "start", "end") if k in entries]
    if not given:
        if settings_missing:
            problems.append(Problem(default_label, None, None, "", "缺少设置（settings.toml）",
                                    '加入 settings.toml，至少写一行 period = "2026Q4"'))
        else:
            problems.append(Problem(default_label, None, None, "", "没有写计划期间 period",
                                    '加入一行 period = "2026Q4"'))
        return None
    if "period" in given and len(given) > 1:
        report("period", _shown(entries["period"][0]), "同时写了 period 和 start/end",
               "只保留一种：period，或 start 和 end")
    elif "period" in given:
        if "period" in values:
            try:
                values["start"], values["end"] = _parse_period(values["period"])
            except ValueError:
                report("period", values["period"], "无法识别的期间",
                       '写成季度如 "2026Q4"，或删去 period，改写 start = 2026-10-01 和 end = 2026-12-31')
    elif len(given) == 1:
        missing = "end" if given == ["start"] else "start"
        report(given[0], _shown(entries[given[0]][0]), f"写了 {given[0]} 但缺少 {missing}",
               "start 和 end 要一起写，或改写 period")
    elif "start" in values and "end" in values:
        if values["end"] < values["start"]:
            report("end", values["end"].isoformat(), "结束日期早于开始日期", "检查 start 和 end 是否填反")
        values["period"] = f"{values['start'].isoformat()}..{values['end'].isoformat()}"
    return where(given[0])


def _parse_period(text: str) -> tuple[date, date]:
    """'2026Q4', or 'YYYY-MM-DD..YYYY-MM-DD' as Settings.period writes an explicit range."""
    if ".." in text:
        first, _, last = text.partition("..")
        try:
            start, end = iso_date(first.strip()), iso_date(last.strip())
        except BadValue:
            raise ValueError(text) from None
        if end < start:
            raise ValueError(text)
        return start, end
    return parse_quarter(text)


def _calendar(calendar: ParsedTable | None) -> dict[date, bool]:
    if calendar is None:
        return {}
    return {r.values["date"]: r.values["workday"] for r in calendar.rows if "date" in r.values and "workday" in r.values}


def _workdays(settings: Settings, overrides: dict[date, bool], where: _Where | None,
              problems: list[Problem]) -> list[date]:
    where = where or _Where(SETTINGS_FILE, None, "period")
    try:
        days = working_days(settings.start, settings.end, overrides)
    except CalendarNotCovered as error:
        message, _, fix = str(error).partition("。")
        problems.append(Problem(where.file, where.row, where.column, settings.period, message, fix))
        return []
    if not days:
        problems.append(Problem(where.file, where.row, where.column, settings.period, "这个期间没有工作日",
                                "检查期间，或 calendar.csv 是否把所有日期都标成了 workday=false"))
    return days


# --- assembly -------------------------------------------------------------------------------------

RECORDS = {"zones": Zone, "towns": Town, "departments": Department, "categories": Category,
           "businesses": Business, "inspectors": Inspector, "unavailable": Absence, "conflicts": Conflict,
           "history": PastInspection}


def _item(values: dict) -> Item:
    return Item(values["item_id"], values["dept_id"], values["name"], values["category_ids"],
                {r: values[f"ratio_{r}"] for r in RISK_LEVELS}, values["minutes"], values["inspectors"])


def _records(table: ParsedTable | None) -> list:
    if table is None:
        return []
    make = _item if table.spec.stem == "items" else (lambda v, cls=RECORDS[table.spec.stem]: cls(**v))
    return [make(row.values) for row in table.rows]


def _build(source: Source, settings_overrides: dict | None) -> Dataset:
    problems = list(source.problems)
    tables: dict[str, ParsedTable] = {}
    for spec in TABLES:
        raw = source.tables.get(spec.stem)
        if raw is not None:
            tables[spec.stem] = _parse_table(spec, raw)
        elif spec.required and not source.unreadable & {"*", spec.stem}:
            where = f"在工作簿中加入名为 {spec.stem} 的工作表" if source.workbook else f"加入 {spec.file_name}"
            problems.append(Problem(source.label_for(spec.stem), None, None, "",
                                    f"缺少必需的表 {spec.stem}（{spec.names[0]}）",
                                    f"{where}，列为 {', '.join(c.name for c in spec.columns if c.required)}"))
    for table in tables.values():
        _check_keys(table)
        _check_references(table, tables, lambda stem: tables[stem].raw.label)
    if "zones" in tables:
        _check_hubs(tables["zones"], tables.get("towns"))
    if "unavailable" in tables:
        _check_absences(tables["unavailable"])
    for table in tables.values():
        problems.extend(table.problems)

    settings_label = f"{source.workbook}:settings" if source.workbook else SETTINGS_FILE
    settings, period_where = None, None
    if not source.unreadable & {"*", "settings"}:
        settings, period_where = _settings(source.settings, settings_overrides, problems, settings_label)
    workdays: list[date] = []
    calendar = tables.get("calendar")
    if settings is not None and (calendar is None or not calendar.problems):
        workdays = _workdays(settings, _calendar(calendar), period_where, problems)
    if problems or settings is None:
        raise DatasetError(problems)

    return Dataset(
        zones=_records(tables["zones"]), towns=_records(tables["towns"]),
        departments=_records(tables["departments"]), categories=_records(tables["categories"]),
        items=_records(tables["items"]), businesses=_records(tables["businesses"]),
        inspectors=_records(tables["inspectors"]), settings=settings, workdays=workdays,
        absences=_records(tables.get("unavailable")), conflicts=_records(tables.get("conflicts")),
        history=_records(tables.get("history")), inputs_sha256=dict(sorted(source.digests.items())),
        calendar=_calendar(calendar),
    )
