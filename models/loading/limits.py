"""What one dataset or workbook may weigh, checked before anything is read into memory.

A county's registry is a few MB; these stop a mistaken file or a zip bomb (2 MB that expand to GBs). Messages
quote them. A zip (the dataset's, or the zip inside an .xlsx or .ods) is judged from the sizes it declares,
before any byte is unpacked.
"""
from __future__ import annotations

import lzma
import zipfile
import zlib

MB = 1024 * 1024
MAX_FILE_MB = 100  # one file: a CSV, the workbook, the zip, or one file inside the zip or workbook, unpacked
MAX_TOTAL_MB = 200  # everything unpacked from one zip or workbook
MAX_RATIO = 100  # unpacked / packed size of one file inside a zip or workbook …
RATIO_FLOOR_MB = 1  # … checked above this unpacked size: a small file is harmless whatever its ratio
MAX_ROWS = 300_000  # rows of one table: a county's 检查对象名录库 holds tens of thousands; this bounds memory
MAX_CELLS = 6_000_000  # cells of one table (300,000 rows of 20 columns): 95 MB of one-letter cells stay bounded

# What zipfile raises on a damaged archive or entry: each codec has its own kind (bz2 raises OSError).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, RuntimeError,
              NotImplementedError, OSError, EOFError, ValueError, KeyError)


class Refused(Exception):
    """A file that cannot or should not be read: what is wrong and the fix (简体中文)."""

    def __init__(self, message: str, fix: str, value: str = ""):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.value = value  # what it is about, when not the whole file (an entry of a zip)


def check_size(size: int) -> None:
    """Refused when one file of `size` bytes is past MAX_FILE_MB."""
    if size > MAX_FILE_MB * MB:
        raise too_big(size)


def too_many_rows() -> Refused:
    return Refused(f"超过每张表 {MAX_ROWS:,} 行或 {MAX_CELLS:,} 个单元格的上限，没有继续读取",
                   "检查是否选错了文件；一个县的名录通常只有几万行、十几列。确需更多时，请按县（市、区）分成几个数据集，"
                   "并删掉不用的列")


class RowBudget:
    """Counts the rows and cells a table has read; too_many_rows() once past MAX_ROWS or MAX_CELLS (the rows
    above the header are allowed on top)."""

    def __init__(self, spare_rows: int = 0):
        self.rows, self.cells, self.spare = 0, 0, spare_rows

    def take(self, cells: int) -> None:
        self.rows += 1
        self.cells += cells
        if self.rows > MAX_ROWS + self.spare or self.cells > MAX_CELLS:
            raise too_many_rows()


def too_big(size: int) -> Refused:
    return Refused(f"文件有 {size / MB:.0f} MB，超过单个文件 {MAX_FILE_MB} MB 的上限",
                   "检查是否选错了文件；一个县的名录通常只有几 MB")


def unpack_limits(infos, packed_size: int) -> tuple[str, Refused] | None:
    """(entry, why) when unpacking would pass a limit; decided from the sizes the zip declares, before any
    byte is unpacked (zipfile never unpacks more than an entry declares)."""
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_FILE_MB * MB:
            return info.filename, Refused(f"解压后有 {info.file_size / MB:.0f} MB，超过单个文件 {MAX_FILE_MB} MB 的上限，"
                                          "没有解压", "检查是否放错了文件；一个县的名录通常只有几 MB")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_MB * MB and ratio > MAX_RATIO:
            return info.filename, Refused(f"压缩比异常（{ratio:.0f} 倍，上限 {MAX_RATIO} 倍），像是“压缩炸弹”，没有解压",
                                          "请直接压缩原始的 CSV 文件")
    if total > MAX_TOTAL_MB * MB:
        return "", Refused(f"解压后共 {total / MB:.0f} MB，超过 {MAX_TOTAL_MB} MB 的上限（压缩包只有 "
                           f"{packed_size / MB:.1f} MB），没有解压", "只压缩这个数据集的 CSV 文件和 settings.toml")
    return None
