"""Helpers shared by every export: display widths, period labels, the fixed timestamp, file names, writing."""
from __future__ import annotations

import codecs
import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

from models.period import Period
from planner.output import csv_bytes, display_width  # noqa: F401  (sheets and tests read it here)

CONFIDENTIAL = "内部资料，检查实施前不得公开"
LIST_JOIN = "、"  # between names in one cell
ITEM_JOIN = "；"  # between check items, which may themselves contain 、

# A cell starting so is run as a formula by Excel, WPS and LibreOffice (CSV injection); the tab and carriage
# return are on OWASP's list too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
# of a file name's stem: file systems allow 255 bytes (a Chinese character takes 3), a suffix and a "~2" must fit
MAX_FILE_NAME_BYTES = 150
_UNSAFE_SHEET_CHARS = re.compile(r"[\\/:*?\[\]]+")


def group_by_dept(pairs) -> list[tuple[str, list[str]]]:
    """(department, name) pairs as [(department, [names])], departments in the order they first appear."""
    groups: dict[str, list[str]] = {}
    for dept, name in pairs:
        groups.setdefault(dept, []).append(name)
    return list(groups.items())


def dept_items_text(pairs) -> str:
    """'应急管理局：危化品安全、消防通道；市场监管局：计量器具' (grouped: department names are long)."""
    return ITEM_JOIN.join(f"{dept}：{LIST_JOIN.join(names)}" for dept, names in group_by_dept(pairs))


def period_label(period: Period) -> str:
    """'2026年第四季度'; a custom range keeps its bounds (models.period.Period.label)."""
    return period.label


def fixed_timestamp(period: Period) -> datetime:
    """The one timestamp written into files: midnight UTC of the period's first day.

    Office files, PDFs and calendars all want a 'created' or 'stamp' time; taking it from the plan instead of
    the clock keeps re-exports of the same plan byte-identical.
    """
    start = period.start
    return datetime(start.year, start.month, start.day, tzinfo=UTC)


def safe_file_name(text: str) -> str:
    """`text` usable as a file name on Windows, macOS and Linux (keeps Chinese characters): no character a file
    system refuses or that hides or reorders text (a right-to-left override), and at most MAX_FILE_NAME_BYTES —
    a longer one keeps its beginning and ends in a short digest of the whole, so that names stay distinct."""
    cleaned = "".join(ch for ch in _UNSAFE_FILE_CHARS.sub("_", text) if ch.isprintable()).strip(" .")
    encoded = cleaned.encode("utf-8")
    if len(encoded) > MAX_FILE_NAME_BYTES:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        head = encoded[:MAX_FILE_NAME_BYTES - len(digest) - 1].decode("utf-8", "ignore").rstrip(" .")
        cleaned = f"{head}~{digest}"
    return cleaned or "_"


def export_csv_bytes(header: list[str], rows) -> bytes:
    """A CSV for people, who open it in Excel: UTF-8 with a BOM (so Excel reads the Chinese text), and every cell
    that a spreadsheet would run as a formula written as text, behind the quote mark Excel itself uses."""
    safe = ([f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in row] for row in rows)
    return codecs.BOM_UTF8 + csv_bytes(header, safe)


def write_files(folder: Path, files) -> list[Path]:
    """Write (file name, bytes) pairs into `folder`, made if missing; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files:
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique worksheet title (≤31 characters, none of \\ / : * ? [ ])."""
    base = _UNSAFE_SHEET_CHARS.sub("_", text).strip("'") or "表"
    title, n = base[:31], 2
    while title.lower() in taken:
        suffix = f"~{n}"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def coordinates(lat: float, lon: float) -> str:
    """'28.901234, 118.512345' (latitude first, as map apps take it)."""
    return f"{lat:.6f}, {lon:.6f}"
