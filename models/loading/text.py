"""Text files as departments send them: UTF-8 (BOM or not), UTF-16 with a BOM (Excel's “Unicode 文本”), GBK /
GB18030 (“另存为 CSV” on a Chinese Windows); CSV with commas or tabs, blank lines, a stray quote named where it
opens; settings.toml with the line of a syntax error."""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import tomllib

from models.loading import limits
from models.loading.tables import HEADER_ROWS, Cell, RawTable
from models.problems import Problem
from models.settings import RawSettings

SAVE_AS_UTF8 = "在 Excel 中选“另存为 → CSV UTF-8（逗号分隔）”，或用 WPS/记事本另存为 UTF-8"


def decode(name: str, data: bytes, problems: list[Problem]) -> str | None:
    """Text of a CSV or TOML file, or None with the problem added."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = try_decode(data, "utf-16")
    else:
        text = try_decode(data, "utf-8-sig")
        if text is None:
            mixed = _mixed_utf8(data)
            if mixed is not None:
                problems.append(Problem(name, mixed, None, "", f"文件前面是 UTF-8 编码，第 {mixed} 行起却不是"
                                        "（混合了两种编码，多半是从别的文件粘贴过来的）", SAVE_AS_UTF8))
                return None
            text = try_decode(data, "gb18030")
    if text is None:
        problems.append(Problem(name, None, None, "", "无法识别文件的编码（不是 UTF-8、GBK/GB18030，"
                                "也不是带 BOM 的 UTF-16）", SAVE_AS_UTF8))
        return None
    if "\x00" in text:
        problems.append(Problem(name, None, None, "", "文件里有空字符（NUL），不是 UTF-8 等文本编码的表格",
                                "确认它是表格另存的 CSV 文件；" + SAVE_AS_UTF8))
        return None
    return text


def try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _mixed_utf8(data: bytes) -> int | None:
    """The line where a file that starts as real UTF-8 Chinese stops being UTF-8; None if it never was.
    Three or more CJK characters before the first bad byte do not happen by chance in GBK bytes."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[:error.start].decode("utf-8", errors="ignore")
        if sum("\u4e00" <= ch <= "\u9fff" for ch in before) >= 3:
            return before.count("\n") + 1
    return None


def csv_table(name: str, data: bytes, problems: list[Problem]) -> RawTable | None:
    """One CSV file as a table (None, with the problem added, when it cannot be read)."""
    text = decode(name, data, problems)
    if text is None:
        return None
    rows, problem = _csv_rows(name, text)
    if problem is not None:
        problems.append(problem)
        return None
    return RawTable(name, rows)


def read_csv_table(label: str, data: bytes) -> tuple[RawTable | None, list[Problem]]:
    """A CSV file outside the dataset (a results file) read as the dataset's CSVs are: encodings, stray quotes,
    blank lines."""
    problems: list[Problem] = []
    return csv_table(label, data, problems), problems


def _csv_rows(label: str, text: str) -> tuple[list[tuple[int, list[Cell]]], Problem | None]:
    """Non-blank rows, numbered as a spreadsheet shows them (a record is a row, even over line breaks).

    A stray quote opens a quoted cell that swallows the following lines: in a small file into one name, in
    a big one until the field-size limit. Both symptoms stop the file at the row where the quote opened.
    """
    delimiter = "\t" if text[:8192].count("\t") > text[:8192].count(",") else ","  # “Unicode 文本” uses tabs
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[Cell]]] = []
    number, line = 0, 0  # records and physical lines read so far
    budget = limits.RowBudget(HEADER_ROWS)
    try:
        for number, cells in enumerate(reader, start=1):
            if reader.line_num > line + 1:
                return rows, _quote_problem(label, text, number, line, delimiter, rows)
            line = reader.line_num
            stripped: list[Cell] = [c.strip() for c in cells]
            if any(stripped):  # blank lines (often trailing ones) are not rows
                rows.append((number, stripped))
                budget.take(len(stripped))
    except limits.Refused as refused:
        return rows, Problem(label, None, None, "", refused.message, refused.fix)
    except csv.Error:
        return rows, _quote_problem(label, text, number + 1, line, delimiter, rows)
    return rows, None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str):
    """The lines of `text` one at a time, each with its end (as io.StringIO(text, newline="") gives them, without
    the copy of the whole text a StringIO makes)."""
    return (match.group() for match in _LINE.finditer(text))


def _quote_problem(label: str, text: str, number: int, line: int, delimiter: str,
                   rows: list[tuple[int, list[Cell]]]) -> Problem:
    """Row `number` starts on physical line `line` + 1; name the cell where its quote opens."""
    opening = next(itertools.islice(io.StringIO(text, newline=""), line, None), "").rstrip("\r\n")
    fields = next(csv.reader([opening], delimiter=delimiter), [""])
    index = len(fields) - 1  # the unclosed quoted cell runs to the end of the line
    header = rows[0][1] if rows else []
    column = str(header[index]) if index < len(header) and header[index] else f"第 {index + 1} 列"
    return Problem(label, number, column, opening[:60], "英文双引号 \" 没有配对（或单元格里有换行），"
                   "这一行后面的内容被并进了同一个单元格",
                   "删掉多余的双引号，单元格里不要换行；内容本身带双引号时，把整个单元格用双引号括起来，"
                   "里面的双引号写两遍（\"\"）")


_TOML_LINE = re.compile(r"line (\d+), column (\d+)")
_TOML_KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")


def read_toml(name: str, data: bytes, problems: list[Problem]) -> RawSettings | None:
    """settings.toml as raw settings, each key with its line (None, with the problem added, when unreadable)."""
    text = decode(name, data, problems)
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
