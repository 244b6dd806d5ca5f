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
from models.schema import (
    ALWAYS_IGNORED,
    TABLE,
    TABLES,
    BadValue,
    Column,
    Table,
    checked_text,
    escaped,
    number_text,
)

HEADER_ROWS = 10  # the header row is looked for among a table's first rows (title rows may sit above it)
PROBLEMS_PER_KIND = 20  # a table reports the first problems of each kind, then how many more there were
_DIGITS = re.compile(r"\d+")


def message_kind(message: str) -> str:
    """What a problem says without its details: '统一社会信用代码无效：校验位错误' for '…：第 18 位应为 C',
    '人员编号重复' for '人员编号重复（第 3 行已有）'; numbers aside."""
    kind = message.rpartition("：")[0] or message
    return _DIGITS.sub("#", kind.partition("（")[0])

Cell = str | int | float  # text, or a number as a workbook stores it (a parser may want to know)


@dataclass
class RawTable:
    label: str  # "zones.csv" or "county.xlsx:zones", as problems name it
    rows: list[tuple[int, list[Cell]]]  # non-blank rows, header and any title rows included:
    # (row number as a spreadsheet shows it, stripped cells)
    empty_because: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column index) of a cell that
    # reads empty but is not: why (a formula never calculated, the lower part of merged cells), with the fix


def cell_text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else number_text(cell)


@dataclass(slots=True)
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
    notes: list[Problem] = field(default_factory=list)  # what the loader read in a way worth saying (validate)
    problem_count: int = 0  # every problem found, also those past PROBLEMS_PER_KIND that are only counted
    kinds: dict[tuple, list] = field(default_factory=dict)  # kind -> [count, its first problem]
    cleaned: list[tuple[int, str]] = field(default_factory=list)  # the first few (row, cell as written) whose
    # invisible characters were removed
    cleaned_count: int = 0
    ignored: list[str] = field(default_factory=list)  # headers published lists carry that are knowingly not read

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
        """Report a problem; past PROBLEMS_PER_KIND of one kind (column and message, numbers aside) it is only
        counted, so that a file of a million bad rows gives a readable answer in bounded memory."""
        self.problem_count += 1
        kind = (name, message_kind(message))
        seen = self.kinds.get(kind)
        column = self.title(name) if name else None
        if seen is None:
            self.kinds[kind] = seen = [0, None]
        seen[0] += 1
        if seen[0] <= PROBLEMS_PER_KIND:
            problem = Problem(self.raw.label, row.number if row else None, column, value, message, fix)
            seen[1] = seen[1] or problem
            self.problems.append(problem)

    def reported(self) -> list[Problem]:
        """The problems kept, then for each kind with more, how many more (one line each)."""
        more = [Problem(self.raw.label, None, first.column, "", f"同类问题还有 {count - PROBLEMS_PER_KIND:,} 处没有"
                        f"逐条列出（共 {count:,} 处）：{first.message}", first.fix)
                for count, first in self.kinds.values() if count > PROBLEMS_PER_KIND]
        return self.problems + more

    def keys(self, name: str) -> set:
        """Every value in column `name`, valid or not: references to a bad row are not 'unknown'."""
        return {self.key(row, name) for row in self.rows}


# --- names of tables and columns ------------------------------------------------------------------

_HEADER_NOISE = re.compile(r"[\s\ufeff\u200b-\u200d\u2060_\-*]")  # '统一社会 信用代码*', 'Zone ID' and 'zone-id' are headers too


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
    _note_published_columns(parsed)
    if parsed.cleaned_count:
        examples = "、".join(f"第 {n} 行「{escaped(v)}」" for n, v in parsed.cleaned)
        parsed.warnings.append(Problem(raw.label, None, None, "", f"{parsed.cleaned_count} 个单元格里有看不见的字符"
                                       f"（零宽空格等，多半是从网页或聊天软件复制来的），已去掉：{examples}",
                                       "核对这些编号和名称；以后请直接输入，不要从网页复制"))
    return parsed


def _note_published_columns(table: ParsedTable) -> None:
    """Say which headers of a published list were knowingly not read, and what the shown-only ones mean."""
    label = table.raw.label
    if table.ignored:
        table.notes.append(Problem(label, table.header_row, None, "", "按设计不读的列："
                                   + "、".join(f"「{h}」" for h in table.ignored), "无需处理"))
    for name, meaning in (("scope", "只作显示，抽取范围由「适用行业」决定"), ("method", "只作显示，一律安排现场检查")):
        if name in table.columns and name in SHOWN_ONLY.get(table.spec.stem, ()):
            table.notes.append(Problem(label, table.header_row, table.title(name), "",
                                       f"「{table.title(name)}」已读取，{meaning}", "无需处理"))


SHOWN_ONLY = {"items": ("scope", "method")}  # columns read from published lists that do not change the plan


def _report_empty(table: ParsedTable) -> None:
    spec = table.spec
    if spec.required:
        table.problem(None, None, "", f"表是空的（没有列名，也没有数据），{spec.names[0]}表不能为空",
                      f"第 1 行写列名 {', '.join(c.name for c in spec.columns if c.required)}，下面每行一条记录")
    else:
        table.warnings.append(Problem(table.raw.label, None, None, "", "表是空的，按没有记录处理",
                                      "如果本期确实没有，可以删掉这个文件"))


def _header_index(spec: Table, raw: RawTable, aliases: dict[str, str]) -> int | None:
    """Index in raw.rows of the header: the first row holding half the required columns, else the row holding
    the most of them, or of any known column (its missing columns are then reported), else None."""
    required = {c.name for c in spec.columns if c.required}
    best, best_found = None, (0, 0)
    for index, (_, cells) in enumerate(raw.rows[:HEADER_ROWS]):
        names = {match_header(aliases, cell_text(c)) for c in cells} - {None}
        found = (len(names & required), len(names))
        if 2 * found[0] >= len(required):
            return index
        if found > best_found:
            best, best_found = index, found
    return best


def _report_no_header(table: ParsedTable) -> None:
    spec, rows = table.spec, table.raw.rows
    required = [c for c in spec.columns if c.required]
    last = rows[min(HEADER_ROWS, len(rows)) - 1][0]
    first = [cell_text(c) for c in rows[0][1] if cell_text(c)]
    seen = ""
    if len(first) > 1:  # a row of several cells that could be a header in other words (one cell: a title)
        seen = f"第 {rows[0][0]} 行是：{'、'.join(f'「{h}」' for h in first[:12])}，{_closest_text(spec, first)}。"
    table.problems.append(Problem(
        table.raw.label, rows[0][0], None, "", f"前 {last} 行里找不到列名（表头），没有一个认识的列名。{seen}",
        f"第 {rows[0][0]} 行（有标题行时是标题下面的一行）应是列名：{', '.join(c.name for c in required)}，"
        f"或中文 {', '.join(c.aliases[0] for c in required)}"))


def _closest_text(spec: Table, headers: list[str]) -> str:
    """'「抽样事项」最接近「抽查事项」（name）；「单位」没有相近的列名' for headers the loader does not know."""
    known = {normal_name(a): (a, c) for c in spec.columns for a in (*c.aliases, c.name)}
    parts = []
    for header in headers[:12]:
        close = difflib.get_close_matches(normal_name(header), known, n=1, cutoff=0.4)
        if close:
            alias, column = known[close[0]]
            parts.append(f"「{header}」最接近「{alias}」（{column.name}）")
        else:
            parts.append(f"「{header}」没有相近的列名")
    return "；".join(parts)


def _knowingly_ignored(spec: Table) -> frozenset[str]:
    return frozenset(normal_name(h) for h in (*spec.ignored, *ALWAYS_IGNORED))


def _map_columns(table: ParsedTable, aliases: dict[str, str]) -> None:
    spec, label = table.spec, table.raw.label
    unknown = []
    ignored = _knowingly_ignored(spec)
    for index, header in enumerate(table.header):
        name = match_header(aliases, header)
        if name is None:
            if header and normal_name(header) in ignored:
                table.ignored.append(header)
            elif header:
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
    missing = [c for c in spec.columns if c.required and c.name not in table.columns]
    if len(missing) > 1:  # a header in other words: say what was read, what is expected, the closest names
        table.problems.append(_header_summary(table, unknown, missing))
    for column in missing:
        hint = f"表头「{guesses[column.name]}」是不是这一列？" if column.name in guesses else ""
        table.problems.append(Problem(label, table.header_row, column.name, "", f"缺少必需的列 {column.label}",
                                      f"{hint}在第 {table.header_row} 行加入列名 {column.name} 或 "
                                      f"{column.aliases[0]}"))


def _header_summary(table: ParsedTable, unknown: list[str], missing: list[Column]) -> Problem:
    """One line on a header that lacks required columns: what was read, what is expected, the closest names."""
    found = [f"「{table.header[i]}」→ {table.spec.column(n).label}" for n, i in table.columns.items()]
    parts = [f"第 {table.header_row} 行是表头，认出 {len(found)} 列：{'、'.join(found) or '无'}"]
    if table.ignored:
        parts.append(f"按设计不读：{'、'.join(f'「{h}」' for h in table.ignored)}")
    if unknown:
        parts.append(f"不认识：{_closest_text(table.spec, unknown)}")
    expected = "、".join(c.label for c in missing)
    return Problem(table.raw.label, table.header_row, None, "", "；".join(parts),
                   f"还缺少必需的列：{expected}。在表头加上这些列（中英文列名都可以），或把相近的列改名")


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
    empty_because = table.raw.empty_because
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
            # inline, not a helper: this runs once per cell of 100,000 rows; the checks below cost a C call
            if value and (not value.isprintable() or len(value) > column.max_chars or value[0] in "#E"):
                checked = _checked_text(table, row, column, value)
                if checked is None:
                    continue
                value = checked
            if not value:
                if empty_because and (number, index) in empty_because:
                    message, _, fix = empty_because[number, index].partition("|")
                    table.problem(row, column.name, "", message, fix)
                elif column.required:
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


def _checked_text(table: ParsedTable, row: Row, column: Column, value: str) -> str | None:
    """A cell's text once invisible characters are removed; None, with the problem reported, for an Excel error
    value, a control or direction character, a line break where none may be, or text too long."""
    try:
        out = checked_text(column, value)
    except BadValue as bad:
        shown = value[:80]
        table.problem(row, column.name, shown if shown.isprintable() else escaped(shown), bad.message, bad.fix)
        return None
    if out != value:
        table.cleaned_count += 1
        if len(table.cleaned) < 3:
            table.cleaned.append((row.number, value))
    return out


def _parse_number(table: ParsedTable, row: Row, column: Column, parse: Callable[[float], Any], value: float) -> None:
    try:
        row.values[column.name] = parse(value)
    except BadValue as bad:
        table.problem(row, column.name, f"{value!r}".upper(), bad.message, bad.fix)


def _empty_fix(column: Column) -> str:
    if column.ref:
        return f"请填写，应为 {TABLE[column.ref].file_name} 中已有的编号"
    return f"请填写{column.aliases[0]}"
