"""The plan's period, parsed once: a quarter ("2026Q4") or an explicit range ("2026-10-01..2026-12-31").

settings.toml and record.json write it as text; everything else (settings, the loader, the record, the exports)
holds this value: its days, its year, the quarter's name, its working days on the statutory calendar.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from models.calendar import working_days
from models.schema import BadValue, iso_date

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
RANGE_SEPARATOR = ".."
_QUARTER = re.compile(r"(\d{4})Q([1-4])")
UNREADABLE_FIX = '写成季度如 "2026Q4"，或删去 period，改写 start = 2026-10-01 和 end = 2026-12-31'


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive
    text: str  # as settings.toml and record.json write it: "2026Q4" or "2026-10-01..2026-12-31"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BadValue("结束日期早于开始日期", "检查 start 和 end 是否填反")

    @classmethod
    def quarter_of(cls, year: int, quarter: int) -> Period:
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
        return cls(start, end, f"{year}Q{quarter}")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        """An explicit range; BadValue when it ends before it starts."""
        return cls(start, end, f"{start.isoformat()}{RANGE_SEPARATOR}{end.isoformat()}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2026Q4' (any case, stray spaces) or 'YYYY-MM-DD..YYYY-MM-DD'; BadValue on anything else."""
        text = str(text).strip()
        if RANGE_SEPARATOR in text:
            first, _, last = text.partition(RANGE_SEPARATOR)
            try:
                start, end = iso_date(first.strip()), iso_date(last.strip())
            except BadValue:
                raise BadValue("无法识别的期间", UNREADABLE_FIX) from None
            return cls.between(start, end)
        match = _QUARTER.fullmatch(text.upper())
        if match is None:
            raise BadValue("无法识别的期间", UNREADABLE_FIX)
        return cls.quarter_of(int(match.group(1)), int(match.group(2)))

    @property
    def quarter(self) -> int | None:
        """1–4 for a quarter, None for an explicit range."""
        match = _QUARTER.fullmatch(self.text)
        return int(match.group(2)) if match else None

    @property
    def year(self) -> int:
        """The year the period starts in (the year of the yearly inspection cap)."""
        return self.start.year

    @property
    def label(self) -> str:
        """'2026年第四季度'; an explicit range shows its days: '2026-10-01 至 2026-12-31'."""
        if self.quarter is not None:
            return f"{self.year}年{QUARTER_NAMES[self.quarter - 1]}"
        return self.days_text

    @property
    def days_text(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    def working_days(self, overrides: dict[date, bool] | None = None) -> list[date]:
        """Its working days on the statutory calendar, `overrides` (calendar.csv) applied; CalendarNotCovered
        for a year the packaged calendar does not know and calendar.csv does not list."""
        return working_days(self.start, self.end, overrides)

    def __str__(self) -> str:
        return self.text
