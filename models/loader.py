"""Read a county dataset (CSV folder, .xlsx workbook or .zip of CSVs), validate all of it, build a Dataset.

Every problem is collected, each naming file, row, column, value and fix; nothing half-loaded is returned.
The work runs in three passes: read raw tables (sources), parse cells row by row (schema parsers), then check
keys and references across tables. Plain loops over lists of strings keep 100,000 rows well under a second
per pass. Inputs come as departments really send them: GBK or UTF-16 CSV, title rows above the header,
headers in any known alias, codes Excel turned into numbers, zips made on Windows; whatever cannot be read
is named with the reason, never a traceback.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import difflib
import hashlib
import io
import itertools
import lzma
import os
import re
import tomllib
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from models.calendar import CalendarNotCovered
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
from models.schema import TABLE, TABLES, BadValue, Column, Table, number_text
from models.settings import (
    SETTINGS_FILE,
    SETTINGS_SHEET_COLUMNS,
    SETTINGS_SHEET_NAMES,
    RawSettings,
    Settings,
    Written,
    read_settings,
)

# --- limits: what one dataset may weigh. A county's registry is a few MB; these stop a mistaken file or a
# zip bomb (2 MB that expand to GBs) before it is read into memory. Messages quote them. ----------------
MB = 1024 * 1024
MAX_FILE_MB = 100  # one file: a CSV, the workbook, the zip, or one file inside the zip or workbook, unpacked
MAX_TOTAL_MB = 200  # everything unpacked from one zip or workbook
MAX_RATIO = 100  # unpacked / packed size of one file inside a zip or workbook …
RATIO_FLOOR_MB = 1  # … checked above this unpacked size: a small file is harmless whatever its ratio
HEADER_ROWS = 10  # the header row is looked for among a table's first rows (title rows may sit above it)

OLD_SHEET_SUFFIXES = (".xls", ".et", ".ods", ".numbers")  # spreadsheets openpyxl cannot read


def load_dataset(path: str | os.PathLike, *, settings_overrides: dict | None = None) -> Dataset:
    """Load and validate a dataset folder, .xlsx workbook or .zip of CSV files; raise DatasetError if bad.

    `settings_overrides` replaces settings keys after settings.toml is read (None values are ignored) and is
    validated the same way; setting `period` drops the file's start/end and vice versa.
    """
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise UserError(f"{path} 是一个失效的链接（快捷方式），它指向的文件已不存在。请直接给出数据集本身")
    if not path.exists():
        raise UserError(f"找不到数据集：{path}")
    if path.is_dir():
        source = _read_folder(path)
    else:
        _check_kind(path.name, "给出数据集文件夹、.xlsx 工作簿或 .zip 压缩包（内含 CSV 文件）")
        try:
            data = _file_bytes(path)
        except _Refused as refused:
            raise UserError(f"{path.name}：{refused.message}。{refused.fix}") from None
        source = _read_upload(path.name, data)
    return _build(source, settings_overrides)


def load_upload(name: str, data: bytes, *, settings_overrides: dict | None = None) -> Dataset:
    """Like load_dataset for an uploaded .xlsx or .zip held in memory (the app); nothing touches the disk."""
    _check_kind(name, "上传 .xlsx 工作簿或 .zip 压缩包（内含 CSV 文件）")
    if len(data) > MAX_FILE_MB * MB:
        refused = _too_big(len(data))
        raise UserError(f"{name}：{refused.message}。{refused.fix}")
    return _build(_read_upload(name, data), settings_overrides)


def _check_kind(name: str, what: str) -> None:
    """A dataset is a folder, a workbook or a zip; say what else was given and how to turn it into one."""
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".zip"):
        return
    if suffix in OLD_SHEET_SUFFIXES:
        raise UserError(f"无法读取 {name}：这是旧版 Excel（或 WPS、ODS）格式。"
                        "请在 Excel 或 WPS 中“另存为 → Excel 工作簿（*.xlsx）”后重试")
    if suffix in (".csv", ".toml"):
        raise UserError(f"无法单独读取 {name}：它只是数据集里的一个文件。"
                        "请给出放着全部 CSV 文件和 settings.toml 的文件夹，或把它们一起压缩成 .zip")
    raise UserError(f"无法读取 {name}：请{what}")


# --- pass 1: sources → raw tables -----------------------------------------------------------------

Cell = str | int | float  # text, or a number as a workbook stores it (a parser may want to know)


@dataclass
class RawTable:
    label: str  # "zones.csv" or "county.xlsx:zones", as problems name it
    rows: list[tuple[int, list[Cell]]]  # non-blank rows, header and any title rows included:
    # (row number as a spreadsheet shows it, stripped cells)


@dataclass
class Source:
    tables: dict[str, RawTable] = field(default_factory=dict)  # stem -> table
    settings: RawSettings | None = None
    digests: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    workbook: str | None = None  # workbook name when the source is one .xlsx
    unreadable: set[str] = field(default_factory=set)  # stems present but unreadable; "*" = the whole source
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (label, name) of files or sheets not read

    def label_for(self, stem: str) -> str:
        return f"{self.workbook}:{stem}" if self.workbook else f"{stem}.csv"

    def settings_label(self) -> str:
        if self.settings is not None:
            return self.settings.label
        return f"{self.workbook}:settings" if self.workbook else SETTINGS_FILE

    def add(self, stem: str, table: RawTable) -> None:
        if stem in self.tables:
            self.problems.append(Problem(table.label, None, None, "", f"与 {self.tables[stem].label} 是同一张表",
                                         "只保留其中一个"))
        else:
            self.tables[stem] = table

    def refuse(self, problem: Problem) -> Source:
        """The whole source cannot be read: report why, and nothing else about it."""
        self.problems.append(problem)
        self.unreadable.add("*")
        return self


class _Refused(Exception):
    """A file that cannot or should not be read: what is wrong and the fix (简体中文)."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message = message
        self.fix = fix


def _table_stem(name: str) -> str | None:
    """Table stem for a file stem or sheet name, English or Chinese."""
    key = _normal(name)
    for table in TABLES:
        if key == table.stem or key in table.names:
            return table.stem
    return None


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def _is_input(name: str) -> bool:
    return not name.startswith((".", "~$")) and _suffix(name) in (".csv", ".toml", ".xlsx", *OLD_SHEET_SUFFIXES)


def _too_big(size: int) -> _Refused:
    return _Refused(f"文件有 {size / MB:.0f} MB，超过单个文件 {MAX_FILE_MB} MB 的上限",
                    "检查是否选错了文件；一个县的名录通常只有几 MB")


def _file_bytes(path: Path) -> bytes:
    """The bytes of one file of a dataset, refused with the reason when it is not a readable file."""
    if path.is_symlink() and not path.exists():
        raise _Refused("是一个失效的链接（快捷方式），它指向的文件已不存在", "把真正的文件复制到这里")
    if path.is_dir():
        raise _Refused("是一个文件夹，不是文件", f"把 {path.name} 文件夹里的内容整理好，这里应放一个文件")
    try:
        if path.stat().st_size > MAX_FILE_MB * MB:
            raise _too_big(path.stat().st_size)
        return path.read_bytes()
    except PermissionError:
        raise _Refused("没有读取这个文件的权限", "在文件属性里给当前用户读取权限，或复制一份后再试") from None
    except OSError as error:
        raise _Refused(f"无法读取这个文件（{error.strerror or error}）", "检查文件是否完整、是否被其他程序占用") from None


def _read_folder(folder: Path) -> Source:
    try:
        paths = sorted(folder.iterdir())
    except OSError as error:
        raise UserError(f"无法打开文件夹 {folder}（{error.strerror or error}）。请检查读取权限") from None
    files: dict[str, bytes] = {}
    failed: dict[str, Problem] = {}
    for path in paths:
        if not _is_input(path.name):
            continue
        try:
            files[path.name] = _file_bytes(path)
        except _Refused as refused:
            failed[path.name] = Problem(path.name, None, None, "", refused.message, refused.fix)
    return _read_files(folder.name or str(folder), files, failed, _nothing_fix(paths))


def _nothing_fix(paths: list[Path]) -> str:
    """How to fix a folder without a table: often the dataset sits one folder further down."""
    inner = [p.name for p in paths if p.is_dir() and _holds_inputs(p)]
    if len(inner) == 1:
        return f"数据在子文件夹「{inner[0]}」里：请选这个子文件夹"
    return "放入 zones.csv、towns.csv 等 CSV 文件和 settings.toml，或一个 .xlsx 工作簿"


def _holds_inputs(folder: Path) -> bool:
    try:
        return any(_is_input(p.name) for p in folder.iterdir())
    except OSError:
        return False


def _read_upload(name: str, data: bytes) -> Source:
    if _suffix(name) == ".xlsx":
        return _read_workbook(name, data)
    return _read_zip(name, data)


def _read_files(container: str, files: dict[str, bytes], failed: dict[str, Problem],
                nothing_fix: str = "") -> Source:
    """A folder's or zip's files: CSV tables and settings.toml, or one workbook (settings.toml beside it or
    a settings sheet inside). Files that could not be read are reported once, not as missing tables."""
    names = [*files, *failed]
    tables = [n for n in names if _suffix(n) == ".csv" and _table_stem(n[:-4])]
    workbooks = [n for n in names if _suffix(n) == ".xlsx"]
    old = [n for n in names if _suffix(n) in OLD_SHEET_SUFFIXES]
    if tables or not workbooks:
        source = _read_csv_files(files)
        source.warnings += [Problem(n, None, None, "", "没有读取这个工作簿：这里已有 CSV 表，按 CSV 读取",
                                    "如果要用工作簿，把 CSV 文件移走") for n in workbooks]
    elif len(workbooks) > 1:
        return Source().refuse(Problem(container, None, None, "", f"有 {len(workbooks)} 个工作簿："
                                       f"{'、'.join(workbooks)}，不知道读哪一个", "只留下这个数据集的一个 .xlsx"))
    elif workbooks[0] in failed:
        return Source(unreadable={"*"}, problems=list(failed.values()))
    else:
        source = _read_workbook(workbooks[0], files[workbooks[0]])
        _add_settings_file(source, files)
    for name, problem in failed.items():
        source.problems.append(problem)
        source.unreadable.add(_stem_of_file(name))
    csv_stems = {_table_stem(n[:-4]) for n in tables}
    for name in old:  # an old spreadsheet is named when it stands in for a missing table, or for everything
        stem = _table_stem(PurePosixPath(name).stem)
        if (stem and tables and stem not in csv_stems) or not (tables or workbooks):
            source.problems.append(Problem(name, None, None, "", "这是旧版 Excel（或 WPS、ODS）格式，无法读取",
                                           "请“另存为 → CSV UTF-8（逗号分隔）”或 Excel 工作簿（*.xlsx）"))
            source.unreadable.add(stem or "*")
    if not (tables or workbooks or old or failed):
        found = any(n.lower() == SETTINGS_FILE for n in files)
        return source.refuse(Problem(container, None, None, "", "没有找到任何数据表"
                                     + ("（只有 settings.toml）" if found else ""), nothing_fix or
                                     "放入 zones.csv、towns.csv 等 CSV 文件和 settings.toml，或一个 .xlsx 工作簿"))
    return source


def _stem_of_file(name: str) -> str:
    """What an unreadable file would have held: a table's stem, the settings, or (a workbook) everything."""
    if name.lower() == SETTINGS_FILE:
        return "settings"
    if _suffix(name) == ".xlsx":
        return "*"
    return _table_stem(PurePosixPath(name).stem) or ""


def _add_settings_file(source: Source, files: dict[str, bytes]) -> None:
    """settings.toml beside a workbook: its settings, unless the workbook has a settings sheet too."""
    name = next((n for n in files if n.lower() == SETTINGS_FILE), None)
    if name is None:
        return
    source.digests[name] = _sha256(files[name])
    if source.settings is not None:
        source.problems.append(Problem(name, None, None, "", f"设置写了两处：{name} 和 {source.settings.label}",
                                       f"只保留一处：删掉工作表 {source.settings.label.partition(':')[2]}，"
                                       f"或删掉 {name}"))
        source.unreadable.add("settings")
        return
    source.settings = _read_toml(name, files[name], source.problems)
    if source.settings is None:
        source.unreadable.add("settings")


# --- zips ------------------------------------------------------------------------------------------

ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
# What zipfile raises on a damaged archive or entry: each codec has its own kind (bz2 raises OSError).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, RuntimeError,
              NotImplementedError, OSError, EOFError, ValueError, KeyError)


def _read_zip(name: str, data: bytes) -> Source:
    if not data:
        return Source().refuse(Problem(name, None, None, "", "文件是空的（0 字节）", "重新压缩 CSV 文件后上传"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return Source().refuse(Problem(name, None, None, "", _not_a_zip(data), "请重新压缩 CSV 文件后上传"))
    with archive:
        entries: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            path = _zip_name(info)
            base = PurePosixPath(path).name
            if info.is_dir() or "__MACOSX" in path or not _is_input(base):
                continue
            if base in entries:
                return Source().refuse(Problem(name, None, None, base, f"压缩包里有多个 {base}",
                                               "每张表只放一个文件"))
            entries[base] = info
        if "[Content_Types].xml" in archive.namelist() and not entries:
            return Source().refuse(Problem(name, None, None, "", "这是一个 Excel 工作簿，扩展名却是 .zip",
                                           "把扩展名改回 .xlsx 后重试"))
        refused = _unpack_limits(entries.values(), len(data))
        if refused:
            return Source().refuse(Problem(name, None, None, refused[0], refused[1].message, refused[1].fix))
        files: dict[str, bytes] = {}
        failed: dict[str, Problem] = {}
        for base, info in entries.items():
            try:
                files[base] = _zip_entry(archive, info)
            except _Refused as why:
                failed[base] = Problem(name, None, None, info.filename, why.message, why.fix)
    return _read_files(name, files, failed)


def _not_a_zip(data: bytes) -> str:
    if data.startswith(b"Rar!"):
        return "这是 RAR 压缩包，不是 zip"
    if data.startswith(b"7z\xbc\xaf"):
        return "这是 7z 压缩包，不是 zip"
    return "不是有效的 zip 压缩包（文件可能不完整或已损坏）"


def _zip_name(info: zipfile.ZipInfo) -> str:
    """The entry's path with '/' between folders. Zips made on Chinese Windows store names in GBK without
    saying so (Python reads them as cp437), and PowerShell's Compress-Archive writes '\\' between folders."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name.replace("\\", "/")


def _unpack_limits(infos, packed_size: int) -> tuple[str, _Refused] | None:
    """(entry, why) when unpacking would pass a limit; decided from the sizes the zip declares, before any
    byte is unpacked (zipfile never unpacks more than an entry declares: see _zip_entry)."""
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_FILE_MB * MB:
            return info.filename, _Refused(f"解压后有 {info.file_size / MB:.0f} MB，超过单个文件 {MAX_FILE_MB} MB 的上限，"
                                           "没有解压", "检查是否放错了文件；一个县的名录通常只有几 MB")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_MB * MB and ratio > MAX_RATIO:
            return info.filename, _Refused(f"压缩比异常（{ratio:.0f} 倍，上限 {MAX_RATIO} 倍），像是“压缩炸弹”，没有解压",
                                           "请直接压缩原始的 CSV 文件")
    if total > MAX_TOTAL_MB * MB:
        return "", _Refused(f"解压后共 {total / MB:.0f} MB，超过 {MAX_TOTAL_MB} MB 的上限（压缩包只有 "
                            f"{packed_size / MB:.1f} MB），没有解压", "只压缩这个数据集的 CSV 文件和 settings.toml")
    return None


def _zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One entry's bytes, read in chunks: zipfile caps an entry at its declared size, but one read() would
    let the decompressor build the whole stream in memory first."""
    if info.flag_bits & 0x1:
        raise _Refused("设置了密码（加密），无法读取", "压缩时不要设置密码")
    if info.compress_type not in ZIP_METHODS:
        raise _Refused(f"用了不支持的压缩方式（编号 {info.compress_type}）",
                       "用 Windows 自带的“发送到 → 压缩(zipped)文件夹”，或 7-Zip 的 zip 格式（Deflate）重新压缩")
    chunks, size = [], 0
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(MB):
                size += len(chunk)
                if size > MAX_FILE_MB * MB:
                    raise _Refused(f"解压后超过单个文件 {MAX_FILE_MB} MB 的上限", "检查是否放错了文件")
                chunks.append(chunk)
    except ZIP_ERRORS as error:
        crc = "CRC" in str(error)
        raise _Refused("在压缩包里已损坏" + ("（校验失败，CRC 不符）" if crc else "，无法解压"),
                       "压缩包可能没有传完整：请重新压缩后再上传") from None
    return b"".join(chunks)


# --- CSV -------------------------------------------------------------------------------------------

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
            table = _csv_table(name, data, source.problems)
            if table is None:
                source.unreadable.add(stem)
            else:
                source.add(stem, table)
        elif lower.endswith(".csv"):
            source.ignored.append((name, name[:-4]))
    return source


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


SAVE_AS_UTF8 = "在 Excel 中选“另存为 → CSV UTF-8（逗号分隔）”，或用 WPS/记事本另存为 UTF-8"


def _decode(name: str, data: bytes, problems: list[Problem]) -> str | None:
    """Text of a CSV or TOML file: UTF-8 (BOM or not), UTF-16 with a BOM (Excel's “Unicode 文本”), or GBK /
    GB18030 (what “另存为 CSV” writes on a Chinese Windows)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
    else:
        text = _try_decode(data, "utf-8-sig")
        if text is None:
            mixed = _mixed_utf8(data)
            if mixed is not None:
                problems.append(Problem(name, mixed, None, "", f"文件前面是 UTF-8 编码，第 {mixed} 行起却不是"
                                        "（混合了两种编码，多半是从别的文件粘贴过来的）", SAVE_AS_UTF8))
                return None
            text = _try_decode(data, "gb18030")
    if text is None:
        problems.append(Problem(name, None, None, "", "无法识别文件的编码（不是 UTF-8、GBK/GB18030，"
                                "也不是带 BOM 的 UTF-16）", SAVE_AS_UTF8))
        return None
    if "\x00" in text:
        problems.append(Problem(name, None, None, "", "文件里有空字符（NUL），不是 UTF-8 等文本编码的表格",
                                "确认它是表格另存的 CSV 文件；" + SAVE_AS_UTF8))
        return None
    return text


def _try_decode(data: bytes, encoding: str) -> str | None:
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


def _csv_table(name: str, data: bytes, problems: list[Problem]) -> RawTable | None:
    text = _decode(name, data, problems)
    if text is None:
        return None
    rows, problem = _csv_rows(name, text)
    if problem is not None:
        problems.append(problem)
        return None
    return RawTable(name, rows)


def _csv_rows(label: str, text: str) -> tuple[list[tuple[int, list[Cell]]], Problem | None]:
    """Non-blank rows, numbered as a spreadsheet shows them (a record is a row, even over line breaks).

    A stray quote opens a quoted cell that swallows the following lines: in a small file into one name, in
    a big one until the field-size limit. Both symptoms stop the file at the row where the quote opened.
    """
    delimiter = "\t" if text[:8192].count("\t") > text[:8192].count(",") else ","  # “Unicode 文本” uses tabs
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[Cell]]] = []
    number, line = 0, 0  # records and physical lines read so far
    try:
        for number, cells in enumerate(reader, start=1):
            if reader.line_num > line + 1:
                return rows, _quote_problem(label, text, number, line, delimiter, rows)
            line = reader.line_num
            stripped: list[Cell] = [c.strip() for c in cells]
            if any(stripped):  # blank lines (often trailing ones) are not rows
                rows.append((number, stripped))
    except csv.Error:
        return rows, _quote_problem(label, text, number + 1, line, delimiter, rows)
    return rows, None


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


# --- workbooks --------------------------------------------------------------------------------------

def _read_workbook(name: str, data: bytes) -> Source:
    source = Source(workbook=name)
    source.digests[name] = _sha256(data)
    refused = _not_a_workbook(data)
    if refused:
        value, why = refused
        return source.refuse(Problem(name, None, None, value, why.message, why.fix))
    book = _open_workbook(name, data, source)
    if book is None:
        return source
    try:
        for sheet in book.worksheets:
            _read_sheet(name, sheet, source)
    finally:
        book.close()
    return source


def _not_a_workbook(data: bytes) -> tuple[str, _Refused] | None:
    """(part, why) when these bytes are no .xlsx to open (a renamed CSV, an old .xls, an encrypted book, a
    bomb: openpyxl would unpack it whole), else None."""
    if not data:
        return "", _Refused("文件是空的（0 字节）", "请用 Excel 或 WPS 重新保存为 .xlsx")
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: an .xls, or an .xlsx with a password
        return "", _Refused("这是旧版 .xls 格式，或设置了打开密码",
                            "在 Excel 中去掉密码，并“另存为 → Excel 工作簿（*.xlsx）”")
    if not data.startswith(b"PK"):
        sample = _try_decode(data[:4096], "utf-8") or _try_decode(data[:4096], "gb18030") or ""
        if "," in sample or "\t" in sample:
            return "", _Refused("这其实是 CSV 文本文件，只是扩展名改成了 .xlsx",
                                "把扩展名改回 .csv，和其他表、settings.toml 一起放进文件夹或 .zip")
        return "", _Refused("不是 .xlsx 工作簿", "请用 Excel 或 WPS 另存为 .xlsx 格式后重试")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _unpack_limits(archive.infolist(), len(data))
    except ZIP_ERRORS:
        return "", _Refused("无法打开这个工作簿（文件不完整或已损坏）", "请用 Excel 或 WPS 另存为 .xlsx 格式后重试")


def _open_workbook(name: str, data: bytes, source: Source):
    import openpyxl  # imported here: CSV users should not pay for it

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        source.refuse(Problem(name, None, None, "", "无法打开这个工作簿",
                              "请用 Excel 或 WPS 另存为 .xlsx 格式后重试"))
        return None


def _read_sheet(name: str, sheet, source: Source) -> None:
    label = f"{name}:{sheet.title}"
    is_settings = sheet.title.strip().lower() in SETTINGS_SHEET_NAMES
    stem = "settings" if is_settings else _table_stem(sheet.title)
    if stem is None:
        source.ignored.append((label, sheet.title))
        return
    try:
        sheet.reset_dimensions()  # some writers declare a wrong size; read every cell there is
        cells = ([_cell_value(v) for v in row] for row in sheet.iter_rows(values_only=True))
        rows = [(n, row) for n, row in enumerate(cells, start=1) if any(c != "" for c in row)]
    except Exception:
        source.problems.append(Problem(label, None, None, "", "工作表已损坏，无法读取",
                                       "请用 Excel 或 WPS 打开后另存为 .xlsx 再试"))
        source.unreadable.add(stem)
        return
    if is_settings:
        source.settings = _settings_sheet(label, rows, source.problems)
    else:
        source.add(stem, RawTable(label, rows))


def _cell_value(value: Any) -> Cell:
    """A cell as a parser reads it: text, stripped; a number stays a number (a 统一社会信用代码 stored as
    one has lost digits, and the parser must know that)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else number_text(cell)


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


def _settings_sheet(label: str, rows: list[tuple[int, list[Cell]]], problems: list[Problem]) -> RawSettings:
    settings = RawSettings(label)
    for start, (_, cells) in enumerate(rows[:HEADER_ROWS]):  # noqa: B007 (read after the loop) title rows may sit above the header
        header = [_text(c) for c in cells]
        index: dict[str, int] = {}
        for i, text in enumerate(header):
            for name, aliases in SETTINGS_SHEET_COLUMNS.items():
                if text.lower() in aliases:
                    index.setdefault(name, i)
        if len(index) == 2:
            break
    else:
        problems.append(Problem(label, rows[0][0] if rows else 1, None, "", "设置表应有两列：key（参数）和 value（值）",
                                "第一行写 key 和 value，下面每行一个参数"))
        return settings
    for number, cells in rows[start + 1:]:
        key = _text(cells[index["key"]]) if index["key"] < len(cells) else ""
        value = _text(cells[index["value"]]) if index["value"] < len(cells) else ""
        if key in settings.entries:
            problems.append(Problem(label, number, header[index["key"]], key, "参数重复",
                                    f"删除重复的一行（第 {settings.entries[key][1]} 行已有）"))
        elif key:
            settings.entries[key] = (value, number, header[index["value"]])
    return settings


# --- pass 2: header row, header mapping and row parsing ---------------------------------------------

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
        return _text(row.cells[index]) if index is not None and index < len(row.cells) else ""

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


_HEADER_NOISE = re.compile(r"[\s\ufeff_\-*]")  # '统一社会 信用代码*', 'Zone ID' and 'zone-id' are headers too


def _normal(header: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", header)).lower()


def _aliases(table: Table) -> dict[str, str]:
    out: dict[str, str] = {}
    for column in table.columns:
        for alias in (column.name, *column.aliases):
            out.setdefault(_normal(alias), column.name)
    return out


def _match_header(aliases: dict[str, str], header: str) -> str | None:
    """A column name for a header; 'zone_id（片区编号）', '片区编号(zone_id)' and '信用代码（必填）' match too."""
    key = _normal(header)
    if key in aliases:
        return aliases[key]
    for part in re.split(r"[()]", unicodedata.normalize("NFKC", header)):
        if _normal(part) in aliases:
            return aliases[_normal(part)]
    return None


def _parse_table(spec: Table, raw: RawTable) -> ParsedTable:
    parsed = ParsedTable(spec, raw)
    if not raw.rows:
        _report_empty(parsed)
        return parsed
    aliases = _aliases(spec)
    start = _header_index(spec, raw, aliases)
    if start is None:
        _report_no_header(parsed)
        return parsed
    parsed.header_row = raw.rows[start][0]
    parsed.header = [_text(c) for c in raw.rows[start][1]]
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
        found = len({_match_header(aliases, _text(c)) for c in cells} & required)
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
        name = _match_header(aliases, header)
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
    key = _normal(header)
    if len(key) < 2:
        return None
    for column in columns:
        if any(_similar(key, _normal(alias)) for alias in (column.name, *column.aliases)):
            return column
    return None


def _similar(key: str, alias: str) -> bool:
    """Near misses: one holds the other ('所属片区名', '是否免检'), or they differ by a letter or two."""
    if alias.isascii():
        contains = len(alias) >= 4 and alias in key
    else:
        contains = len(alias) >= 2 and (alias in key or key in alias)
    return contains or difflib.SequenceMatcher(None, key, alias).ratio() >= 0.8


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


def read_csv_table(label: str, data: bytes) -> tuple[RawTable | None, list[Problem]]:
    """A CSV file outside the dataset (a results file) read as the dataset's CSVs are: encodings, stray quotes,
    blank lines."""
    problems: list[Problem] = []
    return _csv_table(label, data, problems), problems


def sheet_table(label: str, rows: list[tuple]) -> RawTable:
    """A worksheet's values (openpyxl's rows from row 1) as a table; its header row is found as in the dataset."""
    cells = ([_cell_value(v) for v in row] for row in rows)
    return RawTable(label, [(n, row) for n, row in enumerate(cells, start=1) if any(c != "" for c in row)])


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
        if any(name not in row.values for name in key):
            continue  # an empty or unreadable key is reported on its own, not also as a duplicate
        value = tuple(row.values[name] for name in key)
        if value in seen:
            what = "、".join(table.spec.column(n).aliases[0] for n in key)
            shown = ";".join(table.cell(row, name) for name in key)
            table.problem(row, key[-1], shown, f"{what}重复（第 {seen[value]} 行已有）",
                          "删除重复的行，或改用不同的编号")
        else:
            seen[value] = row.number


def _check_references(table: ParsedTable, tables: dict[str, ParsedTable], label_for) -> None:
    for column in table.spec.columns:
        target = tables.get(column.ref) if column.ref else None
        if target is None or column.name not in table.columns:
            continue  # the missing table or column is reported once, not on every row that points at it
        target_key = target.spec.key[0]
        if target_key not in target.columns or not target.rows:
            continue  # likewise a table without its key column or without rows
        known = target.keys(target_key)
        fix = "改为 {label} 中已有的编号，或在那里补上 {ref}"
        if any(target_key not in r.values for r in target.rows):  # e.g. a code Excel made a number
            fix = "先改正 {label} 中无法读取的编号（见上），再看是否仍找不到；否则" + fix
        for row in table.rows:
            value = row.values.get(column.name)
            for ref in (value if isinstance(value, tuple) else (value,)):
                if ref is not None and ref not in known:
                    label = label_for(column.ref)
                    table.problem(row, column.name, ref, f"{column.aliases[0]}在 {label} 中找不到",
                                  fix.format(label=label, ref=ref))


def _check_hubs(zones: ParsedTable, towns: ParsedTable | None) -> None:
    """A hub town (中心镇) must exist and lie in its own zone."""
    if towns is None or not towns.rows or not {"town_id", "zone_id"} <= towns.columns.keys():
        return  # towns' own problem is reported there
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


def _check_date_order(table: ParsedTable, first: str, last: str, fix: str) -> None:
    for row in table.rows:
        start, end = row.values.get(first), row.values.get(last)
        if start and end and end < start:
            table.problem(row, last, table.cell(row, last), f"结束日期早于开始日期 {start.isoformat()}", fix)


# --- settings and the calendar --------------------------------------------------------------------

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


# --- assembly -------------------------------------------------------------------------------------

RECORDS = {"zones": Zone, "towns": Town, "departments": Department, "categories": Category,
           "businesses": Business, "inspectors": Inspector, "unavailable": Absence, "conflicts": Conflict,
           "history": PastInspection}


def _item(values: dict) -> Item:
    return Item(values["item_id"], values["dept_id"], values["name"], values["category_ids"],
                {r: values[f"ratio_{r}"] for r in RISK_LEVELS}, values["minutes"], values["inspectors"],
                values["window_start"], values["window_end"])


def _records(table: ParsedTable | None) -> list:
    if table is None:
        return []
    make = _item if table.spec.stem == "items" else (lambda v, cls=RECORDS[table.spec.stem]: cls(**v))
    return [make(row.values) for row in table.rows]


def _missing_table(source: Source, spec: Table) -> Problem:
    where = f"在工作簿中加入名为 {spec.stem} 的工作表" if source.workbook else f"加入 {spec.file_name}"
    near = [label for label, name in source.ignored if _resembles_table(name) is spec]
    hint = f"「{near[0]}」是不是这张表？请改名为 {spec.stem}；否则" if near else ""
    return Problem(source.label_for(spec.stem), None, None, "", f"缺少必需的表 {spec.stem}（{spec.names[0]}）",
                   f"{hint}{where}，列为 {', '.join(c.name for c in spec.columns if c.required)}")


def _resembles_table(name: str) -> Table | None:
    key = _normal(name)
    return next((t for t in TABLES if any(_similar(key, _normal(n)) for n in (t.stem, *t.names))), None)


def _ignored_warnings(source: Source) -> list[Problem]:
    """A file or sheet not read whose name looks like a table's ('zones (1).csv', '检查对象名录')."""
    out = []
    for label, name in source.ignored:
        spec = _resembles_table(name)
        if spec is not None and spec.stem in source.tables:
            target = f"工作表 {spec.stem}" if source.workbook else spec.file_name
            out.append(Problem(label, None, None, "", f"没有读取：名字不是任何一张表的名字（像是 {target}，已有一份）",
                               "如果它才是要用的那一份，删掉或改名另一份"))
    return out


def _build(source: Source, settings_overrides: dict | None) -> Dataset:
    problems = list(source.problems)
    tables: dict[str, ParsedTable] = {}
    for spec in TABLES:
        raw = source.tables.get(spec.stem)
        if raw is not None:
            tables[spec.stem] = _parse_table(spec, raw)
        elif spec.required and not source.unreadable & {"*", spec.stem}:
            problems.append(_missing_table(source, spec))
    for table in tables.values():
        _check_keys(table)
        _check_references(table, tables, lambda stem: tables[stem].raw.label)
    if "zones" in tables:
        _check_hubs(tables["zones"], tables.get("towns"))
    if "unavailable" in tables:
        _check_date_order(tables["unavailable"], "start", "end", "检查两个日期是否填反；结束日期当天也算缺勤")
    if "items" in tables:
        _check_date_order(tables["items"], "window_start", "window_end", "检查任务时间窗口的两个日期是否填反")
    warnings = list(source.warnings) + _ignored_warnings(source)
    for table in tables.values():
        problems.extend(table.problems)
        warnings.extend(table.warnings)

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
        warnings=warnings, calendar=_calendar(calendar),
    )
