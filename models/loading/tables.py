"""Tables as read, then parsed: the header row found among the first rows, headers matched to columns in any known
spelling (English, Chinese aliases, with brackets, full-width), and every cell parsed by its column's parser,
each problem named by file, row and column.

The public API is what the results import (planner/quarter/results.py) reads its files with, the same rules
as the dataset: `RawTable`, `parse_table`, `ParsedTable`, `Row`.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.problems import Problem
from models.schema import TABLE, TABLES, BadValue, Column, Table, number_text

HEADER_ROWS = 10  # the header row is looked for among a table's first rows (title rows may sit above it)

Cell = str | int | float  # text, or a number as a workbook stores it (a parser may want to know)


@dataclass
class RawTable:
    label: str  # "zones.csv" or "county.xlsx:zones", as problems name it
    rows: list[tuple[int, list[Cell]]]  # non-blank rows, header and any title rows included:
    # (row number as a spreadsheet shows it, stripped cells)


def cell_text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else number_text(cell)


@dataclass
class Row:
    number: int
    cells: list[Cell]
    values: dict[str, Any]  # column name -> parsed value; a column that failed to parse is absent


@dataclass
class ParsedTable:
    spec: Table
    raw: RawTable
    header_row: int = 1  # row number of the header as a spreadsheet shows it
    header: list[str] = field(default_factory=list)  # as written in the file
    columns: dict[str, int] = field(default_factory=dict)  # column name -> index in the file
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def title(self, name: str) -> str:
        return self.header[self.columns[name]] if name in self.columns else name

    def cell(self, row: Row, name: str) -> str:
        index = self.columns.get(name)
        return cell_text(row.cells[index]) if index is not None and index < len(row.cells) else ""

    def key(self, row: Row, name: str) -> Any:
        """The parsed value (a normalised 统一社会信用代码, a date), or the text of a cell that did not parse."""
        value = row.values.get(name)
        return value if value is not None else self.cell(row, name)

    def problem(self, row: Row | None, name: str | None, value: str, message: str, fix: str) -> None:
        column = self.title(name) if name else None
        self.problems.append(Problem(self.raw.label, row.number if row else None, column, value, message, fix))

    def keys(self, name: str) -> set:
        """Every value in column `name`, valid or not: references to a bad row are not 'unknown'."""
        return {self.key(row, name) for row in self.rows}


# --- names of tables and columns ------------------------------------------------------------------

_HEADER_NOISE = re.compile(r"[\s\ufeff_\-*]")  # '统一社会 信用代码*', 'Zone ID' and 'zone-id' are headers too


def normal_name(header: str) -> str:
    """A header or a file's / sheet's name folded for comparison: NFKC, no spaces, _ - * or BOM, lower case."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", header)).lower()


def header_aliases(table: Table) -> dict[str, str]:
    """Every accepted header of `table`'s columns (folded by normal_name) -> the column's name."""
    out: dict[str, str] = {}
    for column in table.columns:
        for alias in (column.name, *column.aliases):
            out.setdefault(normal_name(alias), column.name)
    return out


def match_header(aliases: dict[str, str], header: str) -> str | None:
    """A column name for a header; 'zone_id（片区编号）', '片区编号(zone_id)' and '信用代码（必填）' match too."""
    key = normal_name(header)
    if key in aliases:
        return aliases[key]
    for part in re.split(r"[()]", unicodedata.normalize("NFKC", header)):
        if normal_name(part) in aliases:
            return aliases[normal_name(part)]
    return None


def table_stem(name: str) -> str | None:
    """Table stem for a file stem or sheet name, English or Chinese."""
    key = normal_name(name)
    for table in TABLES:
        if key == table.stem or key in table.names:
            return table.stem
    return None


def resembling_table(name: str) -> Table | None:
    """The table a file or sheet name not read probably means ('zones (1)', '检查对象名录'), or None."""
    key = normal_name(name)
    return next((t for t in TABLES if any(similar(key, normal_name(n)) for n in (t.stem, *t.names))), None)


def similar(key: str, alias: str) -> bool:
    """Near misses: one holds the other ('所属片区名', '是否免检'), or they differ by a letter or two."""
    if alias.isascii():
        contains = len(alias) >= 4 and alias in key
    else:
        contains = len(alias) >= 2 and (alias in key or key in alias)
    return contains or difflib.SequenceMatcher(None, key, alias).ratio() >= 0.8


# --- parsing --------------------------------------------------------------------------------------

def parse_table(spec: Table, raw: RawTable) -> ParsedTable:
    """`raw` read against `spec`: English or Chinese headers, every cell parsed, each problem named by file, row
    and column (the dataset's tables, and tables outside it such as results)."""
    parsed = ParsedTable(spec, raw)
    if not raw.rows:
        _report_empty(parsed)
        return parsed
    aliases = header_aliases(spec)
    start = _header_index(spec, raw, aliases)
    if start is None:
        _report_no_header(parsed)
        return parsed
    parsed.header_row = raw.rows[start][0]
    parsed.header = [cell_text(c) for c in raw.rows[start][1]]
    _map_columns(parsed, aliases)
    data = raw.rows[start + 1:]
    if not data and spec.required:
        parsed.problem(None, None, "", f"只有表头，没有任何{spec.names[0]}数据",
                       f"从第 {parsed.header_row + 1} 行起填入数据：{spec.names[0]}表不能为空，不会计划一个空的名录")
    parsed.rows = _parse_rows(parsed, data)
    return parsed


def _report_empty(table: ParsedTable) -> None:
    spec = table.spec
    if spec.required:
        table.problem(None, None, "", f"表是空的（没有列名，也没有数据），{spec.names[0]}表不能为空",
                      f"第 1 行写列名 {', '.join(c.name for c in spec.columns if c.required)}，下面每行一条记录")
    else:
        table.warnings.append(Problem(table.raw.label, None, None, "", "表是空的，按没有记录处理",
                                      "如果本期确实没有，可以删掉这个文件"))


def _header_index(spec: Table, raw: RawTable, aliases: dict[str, str]) -> int | None:
    """Index in raw.rows of the header: the first row holding half the required columns, else the row
    holding the most of them (its missing columns are then reported), else None."""
    required = {c.name for c in spec.columns if c.required}
    best, best_found = None, 0
    for index, (_, cells) in enumerate(raw.rows[:HEADER_ROWS]):
        found = len({match_header(aliases, cell_text(c)) for c in cells} & required)
        if 2 * found >= len(required):
            return index
        if found > best_found:
            best, best_found = index, found
    return best


def _report_no_header(table: ParsedTable) -> None:
    spec, rows = table.spec, table.raw.rows
    required = [c for c in spec.columns if c.required]
    last = rows[min(HEADER_ROWS, len(rows)) - 1][0]
    table.problems.append(Problem(
        table.raw.label, rows[0][0], None, "", f"前 {last} 行里找不到列名（表头）",
        f"第 {rows[0][0]} 行（有标题行时是标题下面的一行）应是列名：{', '.join(c.name for c in required)}，"
        f"或中文 {', '.join(c.aliases[0] for c in required)}"))


def _map_columns(table: ParsedTable, aliases: dict[str, str]) -> None:
    spec, label = table.spec, table.raw.label
    unknown = []
    for index, header in enumerate(table.header):
        name = match_header(aliases, header)
        if name is None:
            unknown.append(header)  # ignored: the contract may be extended; a near miss is warned below
        elif name in table.columns:
            table.problems.append(Problem(label, table.header_row, header, header,
                                          f"有两列都表示 {spec.column(name).label}",
                                          f"保留一列，删除「{header}」或「{table.title(name)}」"))
        else:
            table.columns[name] = index
    guesses: dict[str, str] = {}
    for header in unknown:
        column = _resembling(header, [c for c in spec.columns if c.name not in table.columns])
        if column is not None:
            guesses.setdefault(column.name, header)
            table.warnings.append(Problem(label, table.header_row, header, "",
                                          f"没有读取这一列：列名不认识，像是 {column.label}{_if_absent(column)}",
                                          f"如果是，把列名改为「{column.aliases[0]}」或 {column.name}；如果不是，可以不管"))
    for column in spec.columns:
        if column.required and column.name not in table.columns:
            hint = f"表头「{guesses[column.name]}」是不是这一列？" if column.name in guesses else ""
            table.problems.append(Problem(label, table.header_row, column.name, "", f"缺少必需的列 {column.label}",
                                          f"{hint}在第 {table.header_row} 行加入列名 {column.name} 或 "
                                          f"{column.aliases[0]}"))


def _if_absent(column: Column) -> str:
    """What an ignored optional column means: every row takes the default (no business is exempt …)."""
    if column.required:
        return ""
    shown = {True: "是", False: "否", "": "空", (): "空", None: "空"}.get(column.default, column.default)
    return f"；现在每一行的{column.aliases[0]}都按默认值（{shown}）处理"


def _resembling(header: str, columns: list[Column]) -> Column | None:
    """The column a header the loader does not know probably means ('是否免检' → exempt), or None."""
    key = normal_name(header)
    if len(key) < 2:
        return None
    for column in columns:
        if any(similar(key, normal_name(alias)) for alias in (column.name, *column.aliases)):
            return column
    return None


def _parse_rows(table: ParsedTable, data: list[tuple[int, list[Cell]]]) -> list[Row]:
    present = [(c, table.columns[c.name]) for c in table.spec.columns if c.name in table.columns]
    absent = {c.name: c.default for c in table.spec.columns if c.name not in table.columns and not c.required}
    rows = []
    for number, cells in data:
        row = Row(number, cells, dict(absent))
        for column, index in present:
            value = cells[index] if index < len(cells) else ""
            if not isinstance(value, str):  # a workbook's number cell
                if column.from_number is not None:
                    _parse_number(table, row, column, column.from_number, value)
                    continue
                value = number_text(value)
            if not value:
                if column.required:
                    table.problem(row, column.name, "", f"缺少{column.aliases[0]}", _empty_fix(column))
                else:
                    row.values[column.name] = column.default
                continue
            try:  # inline, not a helper: this runs once per cell of 100,000 rows
                row.values[column.name] = column.parse(value)
            except BadValue as bad:
                table.problem(row, column.name, value, bad.message, bad.fix)
        rows.append(row)
    return rows


def _parse_number(table: ParsedTable, row: Row, column: Column, parse: Callable[[float], Any], value: float) -> None:
    try:
        row.values[column.name] = parse(value)
    except BadValue as bad:
        table.problem(row, column.name, f"{value!r}".upper(), bad.message, bad.fix)


def _empty_fix(column: Column) -> str:
    if column.ref:
        return f"请填写，应为 {TABLE[column.ref].file_name} 中已有的编号"
    return f"请填写{column.aliases[0]}"
