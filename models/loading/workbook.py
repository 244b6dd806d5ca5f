"""The one workbook reader: .xlsx, .xls, WPS .et and .ods, through python-calamine, for the dataset loader and
the results import alike (openpyxl stays for writing).

`open_workbook(name, data)` checks the bytes first (empty, a renamed CSV, an unknown format, a password, a zip
bomb: the limits of models.loading.limits) and raises Refused with the reason and the fix; the format is told
by the content, not the extension (WPS saves .et as the .xls format). A `Workbook` then gives:

- `sheets`: every sheet's name and visibility ("visible", "hidden", "very hidden"), in workbook order;
- `rows(sheet)`: the non-blank rows, numbered as a spreadsheet shows them, each cell as a parser reads it (text
  stripped; a number stays a number; a date is ISO text), without the empty cells at a row's end;
- `merged_ranges(sheet)`: ["A10:B11", …] for .xlsx, .xls and .et; None for .ods, where calamine does not
  report them;
- `formulas_without_value(sheet)`: cells holding a formula with no saved result (written by a program that never
  calculated it: such a cell reads as empty) — .xlsx only, read from the sheet's XML; None for .xls, .et and
  .ods, where calamine cannot tell such a cell from an empty one;
- `error_values(sheet)`: cells holding an Excel error value (`#DIV/0!`, `#N/A` …), which calamine reads as empty —
  .xlsx only, from the same pass over the sheet's XML; None elsewhere;
- `custom_properties`: the document's custom properties (a department workbook's 部门编号) for .xlsx and .ods;
  None for .xls and .et, whose properties calamine does not read.

What calamine reads differently from openpyxl on .xlsx: every number is a float (3.0 for 3; the parsers read
both); a date-time at midnight is a date; .ods keeps no "very hidden" (such a sheet reads "hidden") and
gives booleans as 1 and 0 (the 是/否 parser accepts 1/0).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any
from xml.etree import ElementTree

import python_calamine

from models.loading import limits
from models.loading.limits import ZIP_ERRORS, Refused, check_size, unpack_limits
from models.loading.tables import HEADER_ROWS, Cell
from models.loading.text import try_decode

WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".et", ".ods")
OLE2 = b"\xd0\xcf\x11\xe0"  # .xls and .et; also an .xlsx with a password
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
RESAVE = "请用 Excel 或 WPS 另存为 .xlsx 格式后重试"
VISIBILITY = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "very hidden"}  # calamine's enum, by name
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    visibility: str  # "visible", "hidden" or "very hidden"


class Workbook:
    """An open workbook (see the module's docstring for what each format can tell)."""

    def __init__(self, name: str, data: bytes, kind: str, book: python_calamine.CalamineWorkbook):
        self.name, self.kind = name, kind  # kind: "xlsx", "xls" (also .et) or "ods"
        self._data, self._book = data, book
        self._scans: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.sheets = [SheetInfo(m.name, VISIBILITY.get(str(m.visible).rpartition(".")[2], "visible"))
                       for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def rows(self, sheet: str) -> list[tuple[int, list[Cell]]]:
        """The sheet's non-blank rows from row 1: (row number, cells). Raises Refused for a damaged sheet, or for
        one of more than MAX_ROWS rows (read no further: Python objects are made row by row)."""
        try:
            data = self._book.get_sheet_by_name(sheet)
            if data.start is None:  # an empty sheet (older calamine panics on iterating one)
                return []
            top, left = data.start
            grid = data.iter_rows()
            out = []
            budget = limits.RowBudget(HEADER_ROWS)
            for number, values in enumerate(grid, start=top + 1):
                cells = [""] * left + [cell_value(v) for v in values]
                while cells and cells[-1] == "":  # how far a sheet's width reaches differs between formats
                    cells.pop()
                if cells:
                    out.append((number, cells))
                    budget.take(len(cells))
        except Refused:
            raise
        except Exception:  # calamine raises its own kinds (and ValueError, …) on a damaged sheet
            raise Refused("工作表已损坏，无法读取", "请用 Excel 或 WPS 打开后另存为 .xlsx 再试") from None
        return out

    def merged_ranges(self, sheet: str) -> list[str] | None:
        ranges = self._book.get_sheet_by_name(sheet).merged_cell_ranges
        if ranges is None:
            return None
        return [f"{cell_name(*first)}:{cell_name(*last)}" for first, last in ranges]

    def formulas_without_value(self, sheet: str) -> list[str] | None:
        """Cells like 'F5' holding a formula with no saved result (.xlsx only; None where it cannot be told)."""
        scan = self._scan(sheet)
        return None if scan is None else scan[0]

    def error_values(self, sheet: str) -> dict[str, str] | None:
        """Cells like 'F5' -> the error value saved in them ('#DIV/0!'; .xlsx only; None where it cannot be told)."""
        scan = self._scan(sheet)
        return None if scan is None else scan[1]

    def _scan(self, sheet: str) -> tuple[list[str], dict[str, str]] | None:
        """One pass over an .xlsx sheet's XML for formulas without a value and error values; skipped (nothing
        found) when the part holds neither a formula nor an error cell, which most lists do not."""
        if self.kind != "xlsx":
            return None
        if sheet in self._scans:
            return self._scans[sheet]
        formulas: list[str] = []
        errors: dict[str, str] = {}
        with zipfile.ZipFile(io.BytesIO(self._data)) as archive:
            part = _xlsx_sheet_parts(archive).get(sheet)
            data = archive.read(part) if part in archive.namelist() else b""
        if b"<f" in data or b't="e"' in data:
            for _, element in ElementTree.iterparse(io.BytesIO(data)):
                if element.tag == f"{_MAIN}c":
                    value = element.find(f"{_MAIN}v")
                    if element.get("t") == "e" and value is not None and value.text:
                        errors[element.get("r", "")] = value.text
                    elif element.find(f"{_MAIN}f") is not None and (value is None or not value.text):
                        formulas.append(element.get("r", ""))
                    element.clear()
        self._scans[sheet] = formulas, errors
        return formulas, errors

    @property
    def custom_properties(self) -> dict[str, str] | None:
        if self.kind == "xls":
            return None
        with zipfile.ZipFile(io.BytesIO(self._data)) as archive:
            if self.kind == "xlsx":
                root = _xml(archive, "docProps/custom.xml")
                return {p.get("name", ""): "".join(p.itertext()).strip() for p in root} if root is not None else {}
            root = _xml(archive, "meta.xml")
            found = root.iter(f"{_META}user-defined") if root is not None else ()
            return {p.get(f"{_META}name", ""): "".join(p.itertext()).strip() for p in found}

    def close(self) -> None:
        self._book.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def open_workbook(name: str, data: bytes) -> Workbook:
    """The workbook in `data` (its file name `name` is for messages); Refused with the reason and fix."""
    kind = workbook_kind(data)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _password() from None
    except Exception:  # calamine raises many kinds on a damaged or mislabelled file
        raise Refused("无法打开这个工作簿（文件不完整或已损坏）", RESAVE) from None
    return Workbook(name, data, kind, book)


def workbook_kind(data: bytes) -> str:
    """"xlsx", "xls" (also WPS .et) or "ods" from the bytes; Refused for anything that is no workbook to open."""
    if not data:
        raise Refused("文件是空的（0 字节）", "请用 Excel 或 WPS 重新保存")
    check_size(len(data))
    if data.startswith(OLE2):
        if "EncryptionInfo".encode("utf-16-le") in data:  # an OLE2 container around an encrypted .xlsx
            raise _password()
        return "xls"
    if not data.startswith(b"PK"):
        sample = try_decode(data[:4096], "utf-8") or try_decode(data[:4096], "gb18030") or ""
        if "," in sample or "\t" in sample:
            raise Refused("这其实是 CSV 文本文件，只是扩展名改成了工作簿的",
                          "把扩展名改回 .csv，和其他表、settings.toml 一起放进文件夹或 .zip")
        raise Refused("不是 Excel、WPS 或 ODS 工作簿", RESAVE)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            refused = unpack_limits(archive.infolist(), len(data))
            if refused:
                raise Refused(refused[1].message, refused[1].fix, refused[0])
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
    except ZIP_ERRORS:
        raise Refused("无法打开这个工作簿（文件不完整或已损坏）", RESAVE) from None
    if "[Content_Types].xml" not in names:
        raise Refused("不是 Excel、WPS 或 ODS 工作簿（是一个普通的 zip 压缩包）", "把扩展名改回 .zip")
    return "xlsx"


def _password() -> Refused:
    return Refused("设置了打开密码，无法读取", "在 Excel 或 WPS 中去掉密码后另存，再试")


def cell_value(value: Any) -> Cell:
    """A cell as a parser reads it: text, stripped; a number stays a number (a 统一社会信用代码 stored as
    one has lost digits, and the parser must know that)."""
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
    if value is None:
        return ""
    return str(value)


def cell_position(name: str) -> tuple[int, int]:
    """'B5' -> (5, 1): the row as a spreadsheet numbers it, the column's index from 0."""
    letters = name.rstrip("0123456789")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(name[len(letters):]), column - 1


def cell_name(row: int, column: int) -> str:
    """(0, 0) -> 'A1'."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _xml(archive: zipfile.ZipFile, part: str) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(archive.read(part))
    except (KeyError, ElementTree.ParseError):
        return None


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the package (xl/workbook.xml and its relationships)."""
    book, rels = _xml(archive, "xl/workbook.xml"), _xml(archive, "xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELATIONSHIPS}Relationship")}
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_RELATION_ID), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[sheet.get("name", "")] = re.sub(r"[^/]+/\.\./", "", path)
    return out
