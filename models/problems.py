"""Problems found in a dataset, each naming file, row, column, value and the fix."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    file: str  # file name, or "workbook.xlsx:sheet"
    row: int | None  # row number as a spreadsheet shows it (header = 1), None for a whole-file problem
    column: str | None  # the column header as written in the file
    value: str  # the offending value ('' when missing)
    message: str  # what is wrong, in 简体中文
    fix: str  # what would fix it, in 简体中文

    def __str__(self) -> str:
        where = self.file + (f" 第{self.row}行" if self.row is not None else "")
        where += f" 列「{self.column}」" if self.column else ""
        value = f"（值：{self.value!r}）" if self.value else ""
        return f"{where}：{self.message}{value}。{self.fix}"


class BadValue(ValueError):
    """A cell or setting that cannot be read; `message` says why, `fix` what to write instead (简体中文)."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message = message
        self.fix = fix


class DatasetError(Exception):
    """Raised by the loader with every problem it found, never just the first; `warnings` are what it would
    have reported on a loaded dataset (a column it ignored that looks like a known one, …)."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = problems
        self.warnings = warnings or []
        super().__init__("\n".join(str(p) for p in problems))


class UserError(Exception):
    """A clear, actionable message for the coordinator (简体中文); the CLI prints it without a traceback."""
