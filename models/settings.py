"""The period's rules (settings.toml), with every default in one place."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

CROSS_ZONE_MODES = ("forbid", "penalty", "allow")


@dataclass(frozen=True, slots=True)
class Settings:
    start: date
    end: date  # inclusive
    period: str  # "2026Q4" or "2026-10-01..2026-12-31"
    seed: str | None = None
    yearly_cap: int = 2
    min_certified: int = 2
    shortlist: int | None = 3  # None means "all": the draw's randomness is switched off
    cross_zone: str = "penalty"
    time_limit_s: float = 60.0
    same_zone_first: bool = True

    def with_changes(self, **changes) -> "Settings":
        return replace(self, **changes)


def parse_quarter(text: str) -> tuple[date, date]:
    """'2026Q4' -> (2026-10-01, 2026-12-31). Raises ValueError on anything else."""
    text = text.strip().upper()
    if len(text) != 6 or text[4] != "Q" or not text[:4].isdigit() or text[5] not in "1234":
        raise ValueError(f"not a quarter like 2026Q4: {text!r}")
    year, quarter = int(text[:4]), int(text[5])
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end
