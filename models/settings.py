"""The period's rules (settings.toml): the typed settings, every default, and the one parser per key.

settings.toml, a workbook's settings sheet, command-line overrides and what-if `set:` changes all go through
`SETTING_KEYS`, so a value refused in one place is refused everywhere with the same message.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from models.schema import BadValue, boolean, iso_date

CROSS_ZONE_MODES = ("forbid", "penalty", "allow")  # inspectors working outside their own 片区
SETTINGS_FILE = "settings.toml"
SETTINGS_SHEET_NAMES = ("settings", "设置")
SETTINGS_SHEET_COLUMNS = {"key": ("key", "参数", "键", "名称"), "value": ("value", "值", "取值")}


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

    def with_changes(self, **changes) -> Settings:
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


# --- one parser per key ---------------------------------------------------------------------------

def _as_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise BadValue("应为单个值", "请只写一个值")
    return str(value).strip()


def _int_setting(minimum: int, example: str) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        wrong = BadValue("应为整数", f"请填写整数，例如 {example}")
        if isinstance(value, bool):
            raise wrong
        try:
            out = value if isinstance(value, int) else float(_as_text(value))
        except ValueError:
            raise wrong from None
        if not math.isfinite(out) or not float(out).is_integer():
            raise wrong
        if out < minimum:
            raise BadValue(f"不能小于 {minimum}", f"请填写不小于 {minimum} 的整数，例如 {example}")
        return int(out)
    return parse


def _shortlist(value: Any) -> int | None:
    if isinstance(value, str) and value.strip().lower() in ("all", "全部"):
        return None
    try:
        return _int_setting(1, "3")(value)
    except BadValue:
        raise BadValue("应为正整数或 \"all\"",
                       "请填写每个部门的随机候选人数，例如 3；或写 \"all\" 表示本部门全部人员") from None


def _cross_zone(value: Any) -> str:
    out = _as_text(value).lower()
    if out not in CROSS_ZONE_MODES:
        raise BadValue("只能是 forbid、penalty 或 allow",
                       "forbid = 不跨片区，penalty = 可跨片区但尽量少，allow = 不限")
    return out


def _positive_seconds(value: Any) -> float:
    wrong = BadValue("应为大于 0 的秒数", "请填写大于 0 的秒数，例如 60")
    if isinstance(value, bool):
        raise wrong
    try:
        out = float(value) if isinstance(value, (int, float)) else float(_as_text(value))
    except ValueError:
        raise wrong from None
    if not math.isfinite(out) or out <= 0:
        raise wrong
    return out


def _setting_bool(value: Any) -> bool:
    return value if isinstance(value, bool) else boolean(_as_text(value))


def _setting_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return iso_date(_as_text(value))


def _seed(value: Any) -> str | None:
    return _as_text(value) or None


@dataclass(frozen=True, slots=True)
class SettingKey:
    name: str
    parse: Callable[[Any], Any]
    meaning: str  # 简体中文, for docs and messages
    changeable: bool = False  # a what-if (`set:KEY=VALUE`) or a command-line flag may change it


SETTING_KEYS: dict[str, SettingKey] = {k.name: k for k in (
    SettingKey("period", _as_text, "计划期间，季度如 2026Q4"),
    SettingKey("start", _setting_date, "计划开始日期（与 end 一起代替 period）"),
    SettingKey("end", _setting_date, "计划结束日期（含当天）"),
    SettingKey("seed", _seed, "公开随机种子"),
    SettingKey("yearly_cap", _int_setting(0, "2"), "同一部门每年对同一对象的现场检查上限", True),
    SettingKey("min_certified", _int_setting(0, "2"), "每次检查至少的持证人员数", True),
    SettingKey("shortlist", _shortlist, "每个部门每次检查随机候选人数，或 all", True),
    SettingKey("cross_zone", _cross_zone, "跨片区规则 forbid|penalty|allow", True),
    SettingKey("time_limit_s", _positive_seconds, "求解时限（秒）", True),
    SettingKey("same_zone_first", _setting_bool, "候选人先取本片区"),
)}


def with_setting(settings: Settings, key: str, value: Any, *, changeable_only: bool = True) -> Settings:
    """`settings` with one key set from raw text or a value, parsed as settings.toml would be. What-ifs and
    command-line flags may set only changeable keys. Raises BadValue for the caller to name where it was written."""
    spec = SETTING_KEYS.get(key)
    if spec is None or (changeable_only and not spec.changeable):
        allowed = "、".join(k for k, s in SETTING_KEYS.items() if s.changeable)
        raise BadValue(f"不能修改参数「{key}」", f"可修改的参数：{allowed}")
    return replace(settings, **{key: spec.parse(value)})
