"""Where a dataset comes from — a folder, a workbook (.xlsx, .xls, .et, .ods) or a .zip, on disk or uploaded —
read into raw tables and raw settings (a Source), within the limits of models.loading.limits. Whatever cannot
be read is named with the reason and the fix, never a traceback."""
from __future__ import annotations

import contextlib
import hashlib
import io
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from models.loading import limits
from models.loading.limits import MB, ZIP_ERRORS, Refused, check_size, too_big, unpack_limits
from models.loading.tables import HEADER_ROWS, Cell, RawTable, cell_text, table_stem
from models.loading.text import csv_table, read_toml
from models.loading.workbook import WORKBOOK_SUFFIXES, Workbook, cell_position, open_workbook
from models.problems import Problem, UserError
from models.settings import SETTINGS_FILE, SETTINGS_SHEET_COLUMNS, SETTINGS_SHEET_NAMES, RawSettings

UNREADABLE_SUFFIXES = (".numbers",)  # spreadsheets no reader here opens
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
WORKBOOK_WORDS = "工作簿（.xlsx、.xls、WPS .et 或 .ods）"


@dataclass
class Source:
    tables: dict[str, RawTable] = field(default_factory=dict)  # stem -> table
    settings: RawSettings | None = None
    digests: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    workbook: str | None = None  # workbook name when the source is one workbook
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


def check_kind(name: str, what: str) -> None:
    """A dataset is a folder, a workbook or a zip; say what else was given and how to turn it into one."""
    suffix = suffix_of(name)
    if suffix in (*WORKBOOK_SUFFIXES, ".zip"):
        return
    if suffix in UNREADABLE_SUFFIXES:
        raise UserError(f"无法读取 {name}：这是 Apple Numbers 格式。请在 Numbers 中“导出为 → Excel（*.xlsx）”后重试")
    if suffix in (".csv", ".toml"):
        raise UserError(f"无法单独读取 {name}：它只是数据集里的一个文件。"
                        "请给出放着全部 CSV 文件和 settings.toml 的文件夹，或把它们一起压缩成 .zip")
    raise UserError(f"无法读取 {name}：请{what}")


def suffix_of(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def is_input(name: str) -> bool:
    return not name.startswith((".", "~$")) and suffix_of(name) in (".csv", ".toml", *WORKBOOK_SUFFIXES,
                                                                      *UNREADABLE_SUFFIXES)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_bytes(path: Path, within: Path | None = None) -> bytes:
    """The bytes of one file of a dataset, refused with the reason when it is not a readable regular file: never
    a device (/dev/zero), a pipe (a FIFO would wait forever) or a socket; never more than MAX_FILE_MB even if
    the file grows while it is read; and, for a file of the folder `within`, never through a link that leads out
    of it (settings.toml linked to /etc/passwd: its content is not the dataset's and must not be echoed)."""
    if path.is_symlink() and not path.exists():
        raise Refused("是一个失效的链接（快捷方式），它指向的文件已不存在", "把真正的文件复制到这里")
    if path.is_dir():
        raise Refused("是一个文件夹，不是文件", f"把 {path.name} 文件夹里的内容整理好，这里应放一个文件")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise Refused("不是普通文件（是设备、管道或套接字），没有读取", "这里应放一个 CSV、工作簿或 settings.toml 文件")
        if within is not None and path.is_symlink() and not path.resolve().is_relative_to(within.resolve()):
            raise Refused("是一个指向数据集文件夹以外的链接，没有读取", "把要用的文件本身复制到数据集文件夹里")
        check_size(info.st_size)
        with path.open("rb") as stream:
            data = stream.read(int(limits.MAX_FILE_MB * MB) + 1)
        if len(data) > limits.MAX_FILE_MB * MB:
            raise too_big(len(data))
        return data
    except PermissionError:
        raise Refused("没有读取这个文件的权限", "在文件属性里给当前用户读取权限，或复制一份后再试") from None
    except OSError as error:
        raise Refused(f"无法读取这个文件（{error.strerror or error}）", "检查文件是否完整、是否被其他程序占用") from None


def read_folder(folder: Path) -> Source:
    try:
        paths = sorted(folder.iterdir())
    except OSError as error:
        raise UserError(f"无法打开文件夹 {folder}（{error.strerror or error}）。请检查读取权限") from None
    files: dict[str, bytes] = {}
    failed: dict[str, Problem] = {}
    for path in paths:
        if not is_input(path.name):
            continue
        try:
            files[path.name] = file_bytes(path, within=folder)
        except Refused as refused:
            failed[path.name] = Problem(path.name, None, None, "", refused.message, refused.fix)
    return _read_files(folder.name or str(folder), files, failed, _nothing_fix(paths))


def _nothing_fix(paths: list[Path]) -> str:
    """How to fix a folder without a table: often the dataset sits one folder further down."""
    inner = [p.name for p in paths if p.is_dir() and _holds_inputs(p)]
    if len(inner) == 1:
        return f"数据在子文件夹「{inner[0]}」里：请选这个子文件夹"
    return f"放入 zones.csv、towns.csv 等 CSV 文件和 settings.toml，或一个{WORKBOOK_WORDS}"


def _holds_inputs(folder: Path) -> bool:
    try:
        return any(is_input(p.name) for p in folder.iterdir())
    except OSError:
        return False


def read_upload(name: str, data: bytes) -> Source:
    """A workbook or a zip held in memory."""
    if suffix_of(name) in WORKBOOK_SUFFIXES:
        return read_workbook(name, data)
    return _read_zip(name, data)


def _read_files(container: str, files: dict[str, bytes], failed: dict[str, Problem],
                nothing_fix: str = "") -> Source:
    """A folder's or zip's files: CSV tables and settings.toml, or one workbook (settings.toml beside it or
    a settings sheet inside). Files that could not be read are reported once, not as missing tables."""
    names = [*files, *failed]
    tables = [n for n in names if suffix_of(n) == ".csv" and table_stem(n[:-4])]
    workbooks = [n for n in names if suffix_of(n) in WORKBOOK_SUFFIXES]
    unreadable = [n for n in names if suffix_of(n) in UNREADABLE_SUFFIXES]
    if tables or not workbooks:
        source = _read_csv_files(files)
        source.warnings += [Problem(n, None, None, "", "没有读取这个工作簿：这里已有 CSV 表，按 CSV 读取",
                                    "如果要用工作簿，把 CSV 文件移走") for n in workbooks]
    elif len(workbooks) > 1:
        return Source().refuse(Problem(container, None, None, "", f"有 {len(workbooks)} 个工作簿："
                                       f"{'、'.join(workbooks)}，不知道读哪一个", "只留下这个数据集的一个工作簿"))
    elif workbooks[0] in failed:
        return Source(unreadable={"*"}, problems=list(failed.values()))
    else:
        source = read_workbook(workbooks[0], files[workbooks[0]])
        _add_settings_file(source, files)
    for name, problem in failed.items():
        source.problems.append(problem)
        source.unreadable.add(_stem_of_file(name))
    csv_stems = {table_stem(n[:-4]) for n in tables}
    for name in unreadable:  # named when it stands in for a missing table, or for everything
        stem = table_stem(PurePosixPath(name).stem)
        if (stem and tables and stem not in csv_stems) or not (tables or workbooks):
            source.problems.append(Problem(name, None, None, "", "这是 Apple Numbers 格式，无法读取",
                                           "请“导出为 → CSV”或 Excel 工作簿（*.xlsx）"))
            source.unreadable.add(stem or "*")
    if not (tables or workbooks or unreadable or failed):
        found = any(n.lower() == SETTINGS_FILE for n in files)
        return source.refuse(Problem(container, None, None, "", "没有找到任何数据表"
                                     + ("（只有 settings.toml）" if found else ""), nothing_fix or
                                     f"放入 zones.csv、towns.csv 等 CSV 文件和 settings.toml，或一个{WORKBOOK_WORDS}"))
    return source


def _stem_of_file(name: str) -> str:
    """What an unreadable file would have held: a table's stem, the settings, or (a workbook) everything."""
    if name.lower() == SETTINGS_FILE:
        return "settings"
    if suffix_of(name) in WORKBOOK_SUFFIXES:
        return "*"
    return table_stem(PurePosixPath(name).stem) or ""


def _add_settings_file(source: Source, files: dict[str, bytes]) -> None:
    """settings.toml beside a workbook: its settings, unless the workbook has a settings sheet too."""
    name = next((n for n in files if n.lower() == SETTINGS_FILE), None)
    if name is None:
        return
    source.digests[name] = sha256(files[name])
    if source.settings is not None:
        source.problems.append(Problem(name, None, None, "", f"设置写了两处：{name} 和 {source.settings.label}",
                                       f"只保留一处：删掉工作表 {source.settings.label.partition(':')[2]}，"
                                       f"或删掉 {name}"))
        source.unreadable.add("settings")
        return
    source.settings = read_toml(name, files[name], source.problems)
    if source.settings is None:
        source.unreadable.add("settings")


# --- CSV files ------------------------------------------------------------------------------------

def _read_csv_files(files: dict[str, bytes]) -> Source:
    source = Source()
    for name, data in files.items():
        lower = name.lower()
        if lower == SETTINGS_FILE:
            source.digests[name] = sha256(data)
            source.settings = read_toml(name, data, source.problems)
            if source.settings is None:
                source.unreadable.add("settings")
        elif lower.endswith(".csv") and (stem := table_stem(name[:-4])):
            source.digests[name] = sha256(data)
            table = csv_table(name, data, source.problems)
            if table is None:
                source.unreadable.add(stem)
            else:
                source.add(stem, table)
        elif lower.endswith(".csv"):
            source.ignored.append((name, name[:-4]))
    return source


# --- zips -----------------------------------------------------------------------------------------

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
            if info.is_dir() or "__MACOSX" in path or not is_input(base):
                continue
            if base in entries:
                return Source().refuse(Problem(name, None, None, base, f"压缩包里有多个 {base}",
                                               "每张表只放一个文件"))
            entries[base] = info
        if "[Content_Types].xml" in archive.namelist() and not entries:
            return Source().refuse(Problem(name, None, None, "", "这是一个 Excel 工作簿，扩展名却是 .zip",
                                           "把扩展名改回 .xlsx 后重试"))
        refused = unpack_limits(entries.values(), len(data))
        if refused:
            return Source().refuse(Problem(name, None, None, refused[0], refused[1].message, refused[1].fix))
        files: dict[str, bytes] = {}
        failed: dict[str, Problem] = {}
        for base, info in entries.items():
            try:
                files[base] = _zip_entry(archive, info)
            except Refused as why:
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


def _zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One entry's bytes, read in chunks: zipfile caps an entry at its declared size, but one read() would
    let the decompressor build the whole stream in memory first."""
    if info.flag_bits & 0x1:
        raise Refused("设置了密码（加密），无法读取", "压缩时不要设置密码")
    if info.compress_type not in ZIP_METHODS:
        raise Refused(f"用了不支持的压缩方式（编号 {info.compress_type}）",
                      "用 Windows 自带的“发送到 → 压缩(zipped)文件夹”，或 7-Zip 的 zip 格式（Deflate）重新压缩")
    chunks, size = [], 0
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(MB):
                size += len(chunk)
                if size > limits.MAX_FILE_MB * MB:
                    raise Refused(f"解压后超过单个文件 {limits.MAX_FILE_MB} MB 的上限", "检查是否放错了文件")
                chunks.append(chunk)
    except ZIP_ERRORS as error:
        crc = "CRC" in str(error)
        raise Refused("在压缩包里已损坏" + ("（校验失败，CRC 不符）" if crc else "，无法解压"),
                      "压缩包可能没有传完整：请重新压缩后再上传") from None
    return b"".join(chunks)


# --- workbooks ------------------------------------------------------------------------------------

def read_workbook(name: str, data: bytes) -> Source:
    """Every sheet of a workbook named like a table (or settings), hidden ones too — and said to be hidden."""
    source = Source(workbook=name)
    source.digests[name] = sha256(data)
    try:
        book = open_workbook(name, data)
    except Refused as why:
        return source.refuse(Problem(name, None, None, why.value, why.message, why.fix))
    with book:
        for info in book.sheets:
            if _read_sheet(name, book, info.name, source) and info.visibility != "visible":
                hidden = "深度隐藏（在 Excel 的“取消隐藏”里也看不到）" if info.visibility == "very hidden" else "隐藏"
                source.warnings.append(Problem(f"{name}:{info.name}", None, None, "", f"这张工作表是{hidden}的，"
                                               "已经读取：其中的数据会用于计划", "如果不该用，删掉这张表；否则取消隐藏，"
                                               "方便核对（Excel：右键工作表标签 → 取消隐藏）"))
    return source


EMPTY_BECAUSE = {
    "formula": "单元格是公式，但文件里没有保存计算结果（由程序生成、从未在 Excel 中计算过），读到的是空值"
               "|用 Excel 或 WPS 打开这个工作簿，保存一次后再试；或把公式换成要填的值",
    "merged": "这是合并单元格的一部分：只有合并区域的第一格有值，这一格读到的是空值"
              "|取消合并单元格，并把值填到每一行（Excel：开始 → 合并后居中 → 取消单元格合并，再向下填充）",
}


def _read_sheet(name: str, book: Workbook, sheet: str, source: Source) -> bool:
    """Read one sheet named like a table or the settings into `source`; False for a sheet of another name."""
    label = f"{name}:{sheet}"
    is_settings = sheet.strip().lower() in SETTINGS_SHEET_NAMES
    stem = "settings" if is_settings else table_stem(sheet)
    if stem is None:
        source.ignored.append((label, sheet))
        return False
    try:
        rows = book.rows(sheet)
    except Refused as why:
        source.problems.append(Problem(label, None, None, "", why.message, why.fix))
        source.unreadable.add(stem)
        return True
    if is_settings:
        source.settings = _settings_sheet(label, rows, source.problems)
    else:
        rows = _with_errors(rows, book.error_values(sheet))
        source.add(stem, RawTable(label, rows, _empty_because(book, sheet, rows)))
    return True


def _with_errors(rows: list[tuple[int, list[Cell]]], errors: dict[str, str] | None) -> list[tuple[int, list[Cell]]]:
    """The rows with the error values calamine reads as empty put back, so that they are named as such."""
    if not errors:
        return rows
    by_number = {number: cells for number, cells in rows}
    for cell, value in errors.items():
        number, column = cell_position(cell)
        cells = by_number.get(number)
        if cells is not None:
            cells.extend([""] * (column + 1 - len(cells)))
            cells[column] = value
    return rows


def _empty_because(book: Workbook, sheet: str, rows: list[tuple[int, list[Cell]]]) -> dict[tuple[int, int], str]:
    """(row, column index) of the cells that read empty although they are not: a formula never calculated, and
    every cell of a merged range but its first (within the rows and columns that hold data: a range may be
    declared over a whole sheet)."""
    out = {cell_position(cell): EMPTY_BECAUSE["formula"] for cell in book.formulas_without_value(sheet) or ()}
    last_row = rows[-1][0] if rows else 0
    width = max((len(cells) for _, cells in rows), default=0)
    for merged in book.merged_ranges(sheet) or ():
        first, last = (cell_position(c) for c in merged.split(":"))
        for number in range(first[0], min(last[0], last_row) + 1):
            for column in range(first[1], min(last[1], width - 1) + 1):
                if (number, column) != first:
                    out.setdefault((number, column), EMPTY_BECAUSE["merged"])
    return out


def _settings_sheet(label: str, rows: list[tuple[int, list[Cell]]], problems: list[Problem]) -> RawSettings:
    settings = RawSettings(label)
    for start, (_, cells) in enumerate(rows[:HEADER_ROWS]):  # noqa: B007 (read after the loop) title rows may sit above the header
        header = [cell_text(c) for c in cells]
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
        key = cell_text(cells[index["key"]]) if index["key"] < len(cells) else ""
        value = cell_text(cells[index["value"]]) if index["value"] < len(cells) else ""
        if key in settings.entries:
            problems.append(Problem(label, number, header[index["key"]], key, "参数重复",
                                    f"删除重复的一行（第 {settings.entries[key][1]} 行已有）"))
        elif key:
            settings.entries[key] = (value, number, header[index["value"]])
    return settings
