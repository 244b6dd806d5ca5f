"""The period's rules (settings.toml): the typed settings, every default, the one parser per key, and the
settings assembled from what a dataset wrote (settings.toml or a settings sheet) and the run's overrides.

settings.toml, a workbook's settings sheet, command-line overrides and what-if `set:` changes all go through
`SETTING_KEYS`, so a value refused in one place is refused everywhere with the same message.
"""
from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from models.period import Period
from models.problems import Problem
from models.ranges import range_text
from models.schema import BadValue, boolean, iso_date

CROSS_ZONE_MODES = ("forbid", "penalty", "allow")  # inspectors working outside their own 片区
ZONE_BALANCE_MODES = ("off", "ratio", "best")  # balance of load per officer between the 片区 of a department
RECHECK_TEAMS = ("same", "different")  # 集成改一次: per department, an officer of the first visit, or another one
RATIO_BASES = ("period", "year")  # items' ratios are the period's shares, or the year's (年度抽查计划, plan-year)
SETTINGS_FILE = "settings.toml"
SETTINGS_SHEET_NAMES = ("settings", "设置")
SETTINGS_SHEET_COLUMNS = {"key": ("key", "参数", "键", "名称"), "value": ("value", "值", "取值")}
OVERRIDES_LABEL = "运行参数"  # where problems in settings overrides (CLI flags, the app) are reported
MAX_SECONDS = 86_400  # a solve never needs more than a day; CP-SAT's own budget is derived from it
MAX_SHORTLIST = 100  # candidates per visit and department; "all" for the whole department


@dataclass(frozen=True, slots=True)
class QuietDays:
    """宁静日: days of every month (e.g. 1–15, as in 浏阳) and single dates without routine on-site checks."""
    days_of_month: frozenset[int] = frozenset()
    dates: frozenset[date] = frozenset()

    def __contains__(self, day: date) -> bool:
        return day.day in self.days_of_month or day in self.dates

    def __bool__(self) -> bool:
        return bool(self.days_of_month or self.dates)


@dataclass(frozen=True, slots=True)
class ZoneBalance:
    """How much balance between 片区 is worth in loans: off, at most a ratio (busiest ÷ quietest), or the best."""
    mode: str  # one of ZONE_BALANCE_MODES
    ratio: float | None = None  # with mode "ratio"

    def __str__(self) -> str:
        return f"ratio:{self.ratio:g}" if self.mode == "ratio" else self.mode


@dataclass(frozen=True, slots=True)
class Settings:
    period: Period
    seed: str | None = None
    yearly_cap: int = 2
    min_certified: int = 2
    shortlist: int | None = 3  # None means "all": the draw's randomness is switched off
    cross_zone: str = "penalty"
    time_limit_s: float = 60.0
    same_zone_first: bool = True
    lock_days: int = 2  # working days from today whose visits never move (the business may have been told)
    publish_within_days: int = 20  # 结果公示: working days after the check
    recheck_within_days: int = 10  # 集成改一次: the re-check within this many working days of the latest deadline
    recheck_team: str = "same"
    min_days_between_departments: int | None = None  # no department within N days of another's visit (衢州: 30)
    quiet_days: QuietDays = field(default_factory=lambda: QuietDays())  # 宁静日: no routine on-site checks
    zone_balance: ZoneBalance = field(default_factory=lambda: ZoneBalance("ratio", 1.25))
    loan_zones: int = 3  # with zone balance: the nearest 片区 that each offer one random officer for a loan
    joint_rate_target: float = 0.6  # 联合检查率 target (浙江: 60% in 2025, 80% by 2027)
    notice_days: int = 5  # 检查通知书: the exact date only for visits at most this many days after the export
    frequency_warning_bodies: int = 2  # 频次预警 when more bodies than this checked one enterprise in a year
    ratio_basis: str = "period"  # "year": each quarter draws its share of the annual plan (planner.draw.year)
    notice_contact: str = ""  # 检查通知书: whom a business asks for another day or tells its rating (default: lead dept)
    rating_url: str = ""  # 检查通知书: the address of the app's rating page (企业评价), when the county serves it
    today: date | None = None  # a demonstration dataset's "today" (fixtures): plans as if made that day (planner.plan.today)

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        """The period's last day (inclusive)."""
        return self.period.end

    def with_changes(self, **changes) -> Settings:
        return replace(self, **changes)


# --- one parser per key ---------------------------------------------------------------------------

def _as_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise BadValue("应为单个值", "请只写一个值")
    return str(value).strip()


def _int_setting(minimum: int, maximum: int, example: str) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        wrong = BadValue("应为整数", f"请填写 {range_text(minimum, maximum)}的整数，例如 {example}")
        if isinstance(value, bool):
            raise wrong
        try:
            out = value if isinstance(value, int) else float(_as_text(value))
        except ValueError:
            raise wrong from None
        if not math.isfinite(out) or not float(out).is_integer():
            raise wrong
        if not minimum <= out <= maximum:
            bound = f"不能小于 {minimum}" if out < minimum else f"不能大于 {maximum}"
            raise BadValue(f"{bound}（应为 {range_text(minimum, maximum)}的整数）",
                           f"请填写 {range_text(minimum, maximum)}的整数，例如 {example}")
        return int(out)
    return parse


def _shortlist(value: Any) -> int | None:
    if isinstance(value, str) and value.strip().lower() in ("all", "全部"):
        return None
    try:
        return _int_setting(1, MAX_SHORTLIST, "3")(value)
    except BadValue:
        raise BadValue(f"应为正整数（{range_text(1, MAX_SHORTLIST)}）或 \"all\"",
                       "请填写每个部门的随机候选人数，例如 3；或写 \"all\" 表示本部门全部人员") from None


def _cross_zone(value: Any) -> str:
    out = _as_text(value).lower()
    if out not in CROSS_ZONE_MODES:
        raise BadValue("只能是 forbid、penalty 或 allow",
                       "forbid = 不跨片区，penalty = 可跨片区但尽量少，allow = 不限")
    return out


def _positive_seconds(value: Any) -> float:
    wrong = BadValue(f"应为大于 0、不超过 {MAX_SECONDS:,} 的秒数（一天）", "请填写秒数，例如 60")
    if isinstance(value, bool):
        raise wrong
    try:
        out = float(value) if isinstance(value, (int, float)) else float(_as_text(value))
    except ValueError:
        raise wrong from None
    if not math.isfinite(out) or not 0 < out <= MAX_SECONDS:
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


def _period(value: Any) -> Period:
    return value if isinstance(value, Period) else Period.parse(_as_text(value))


def _seed(value: Any) -> str | None:
    return _as_text(value) or None


def _notice_text(value: Any) -> str:
    """A line the 检查通知书 prints as written (a contact, an address): one line, not too long."""
    text = _as_text(value)
    if len(text) > 120 or any(ch in text for ch in "\r\n"):
        raise BadValue("应为一行、不超过 120 个字的文字", '例如 "县综合执法指挥中心，电话 0570-5012345"')
    return text


def _choice(choices: tuple[str, ...], meaning: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        out = _as_text(value).lower()
        if out not in choices:
            raise BadValue(f"只能是 {'、'.join(choices)}", meaning)
        return out
    return parse


def _optional_days(value: Any) -> int | None:
    if isinstance(value, str) and value.strip().lower() in ("", "none", "无", "不限"):
        return None
    return _int_setting(1, 366, "30")(value)


def _fraction(value: Any) -> float:
    wrong = BadValue("应为 0 到 1 之间的小数", "例如 0.6（即 60%）")
    try:
        text = _as_text(value)
        out = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise wrong from None
    if not math.isfinite(out) or not 0 <= out <= 1:
        raise wrong
    return out


def _quiet_days(value: Any) -> QuietDays:
    """"1-15" or "1-5,20": days of every month; a list of ISO dates; or both in one list."""
    fix = '写成每月的日期范围如 "1-15" 或 "1-5,20"，或日期列表如 ["2026-10-09", "2026-11-02"]'
    parts = value if isinstance(value, list) else [p for p in _as_text(value).replace("，", ",").split(",")]
    days: set[int] = set()
    dates: set[date] = set()
    for part in parts:
        if isinstance(part, date):
            dates.add(part)
            continue
        text = _as_text(part)
        if not text:
            continue
        if re.match(r"\d{4}[-/.]", text):
            dates.add(iso_date(text))
            continue
        first, _, last = text.partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError:
            raise BadValue(f"无法识别「{text}」", fix) from None
        if not 1 <= low <= high <= 31:
            raise BadValue(f"「{text}」不是 1 到 31 之间的日期范围", fix)
        days.update(range(low, high + 1))
    return QuietDays(frozenset(days), frozenset(dates))


def _zone_balance(value: Any) -> ZoneBalance:
    fix = 'off = 不考虑片区间均衡；ratio:1.25 = 最忙与最闲片区人均负荷之比不超过 1.25；best = 尽量均衡'
    text = _as_text(value).lower().replace("：", ":")
    mode, _, number = text.partition(":")
    if mode not in ZONE_BALANCE_MODES or (mode == "ratio") != bool(number):
        raise BadValue("只能是 off、ratio:比值 或 best", fix)
    if mode != "ratio":
        return ZoneBalance(mode)
    try:
        ratio = float(number)
    except ValueError:
        raise BadValue(f"比值「{number}」不是数字", fix) from None
    if not math.isfinite(ratio) or not 1 <= ratio <= 10:
        raise BadValue("比值应在 1 到 10 之间", fix)
    return ZoneBalance("ratio", ratio)


@dataclass(frozen=True, slots=True)
class SettingKey:
    name: str
    parse: Callable[[Any], Any]
    meaning: str  # 简体中文, for docs and messages
    changeable: bool = False  # a what-if (`set:KEY=VALUE`) or a command-line flag may change it


SETTING_KEYS: dict[str, SettingKey] = {k.name: k for k in (
    SettingKey("period", _period, "计划期间，季度如 2026Q4"),
    SettingKey("start", _setting_date, "计划开始日期（与 end 一起代替 period）"),
    SettingKey("end", _setting_date, "计划结束日期（含当天）"),
    SettingKey("seed", _seed, "公开随机种子"),
    SettingKey("yearly_cap", _int_setting(0, 52, "2"), "同一部门每年对同一对象的现场检查上限", True),
    SettingKey("min_certified", _int_setting(0, 10, "2"), "每次检查至少的持证人员数", True),
    SettingKey("shortlist", _shortlist, "每个部门每次检查随机候选人数，或 all", True),
    SettingKey("cross_zone", _cross_zone, "跨片区规则 forbid|penalty|allow", True),
    SettingKey("time_limit_s", _positive_seconds, "求解时限（秒）", True),
    SettingKey("same_zone_first", _setting_bool, "候选人先取本片区"),
    SettingKey("lock_days", _int_setting(0, 60, "2"), "今天起多少个工作日内的检查不再调整", True),
    SettingKey("publish_within_days", _int_setting(1, 120, "20"), "检查结果应在多少个工作日内公示"),
    SettingKey("recheck_within_days", _int_setting(1, 120, "10"), "整改期限后多少个工作日内完成联合复查", True),
    SettingKey("recheck_team", _choice(RECHECK_TEAMS, "same = 优先首次检查的人员，different = 换人复查"),
               "复查人员：same 或 different", True),
    SettingKey("min_days_between_departments", _optional_days,
               "同一对象两个部门检查之间至少间隔的天数（含历史记录）", True),
    SettingKey("quiet_days", _quiet_days, "宁静日：不安排例行现场检查的日期", True),
    SettingKey("zone_balance", _zone_balance, "片区间均衡：off、ratio:1.25 或 best", True),
    SettingKey("loan_zones", _int_setting(0, 20, "2"), "片区间均衡时，每次检查从最近的几个片区各随机候选一名可借调人员", True),
    SettingKey("joint_rate_target", _fraction, "联合检查率目标，例如 0.6"),
    SettingKey("notice_days", _int_setting(0, 90, "5"), "检查通知书提前多少天写明具体检查日期（更早只写所在的周）"),
    SettingKey("frequency_warning_bodies", _int_setting(1, 20, "2"), "频次预警：一年内检查同一企业的执法主体超过几个时预警"),
    SettingKey("ratio_basis", _choice(RATIO_BASES, "period = 抽查比例按本期计算；year = 按年度计算，各季度抽取年度抽查计划中的份额"),
               "抽查比例的基数：period（本期）或 year（年度）"),
    SettingKey("notice_contact", _notice_text, "检查通知书上预约和评价的联系方式（默认写牵头部门）"),
    SettingKey("rating_url", _notice_text, "企业评价页面的网址（应用地址加 ?page=rate），印在检查通知书上"),
    SettingKey("today", _setting_date, "演示用的“今天”（示例数据用）：没有指定今天时，按这一天排程并注明是演示日期"),
)}


PLAN_KEYS = ("time_limit_s", "lock_days", "publish_within_days", "recheck_within_days", "recheck_team",
             "min_days_between_departments", "quiet_days", "joint_rate_target")


def plan_parameters(settings: Settings) -> dict:
    """The settings a plan was made with (beyond the draw's), as record.json keeps them: each value written so
    that its key's parser reads it back."""
    out: dict[str, Any] = {}
    for key in PLAN_KEYS:
        value = getattr(settings, key)
        if isinstance(value, QuietDays):
            value = ",".join(str(d) for d in sorted(value.days_of_month)) + "".join(
                f",{d.isoformat()}" for d in sorted(value.dates))
            value = value.lstrip(",")
        elif isinstance(value, ZoneBalance):
            value = str(value)
        out[key] = value
    return out


def recorded_setting(parameters: dict, key: str) -> Any:
    """A plan setting as record.json keeps it (plan_parameters), read back by its key's parser; the default when
    the plan was made before the key existed. Raises BadValue for a hand-edited value."""
    value = parameters.get(key)
    if value is None:
        return getattr(Settings(Period.between(date.min, date.min)), key)  # the default, from the one place defaults live
    return SETTING_KEYS[key].parse(value)


def with_setting(settings: Settings, key: str, value: Any, *, changeable_only: bool = True) -> Settings:
    """`settings` with one key set from raw text or a value, parsed as settings.toml would be. What-ifs and
    command-line flags may set only changeable keys. Raises BadValue for the caller to name where it was written."""
    spec = SETTING_KEYS.get(key)
    if spec is None or (changeable_only and not spec.changeable):
        allowed = "、".join(k for k, s in SETTING_KEYS.items() if s.changeable)
        raise BadValue(f"不能修改参数「{key}」", f"可修改的参数：{allowed}")
    return replace(settings, **{key: spec.parse(value)})


# --- settings as a dataset wrote them ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Written:
    """Where a setting was written: file (or workbook:sheet), row, and the key or column as written."""
    file: str
    row: int | None
    column: str


@dataclass
class RawSettings:
    """Settings as read from settings.toml or a settings sheet, before any is parsed."""
    label: str
    entries: dict[str, tuple[Any, int | None, str]] = field(default_factory=dict)  # key -> (value, row, as written)


def read_settings(raw: RawSettings | None, overrides: dict | None, problems: list[Problem],
                  default_label: str) -> tuple[Settings | None, Written | None]:
    """Settings from the file, then the overrides (None values ignored), each value parsed by its key's parser;
    setting `period` drops the file's start/end and vice versa. Every problem is added to `problems`.

    Returns the settings (None when any is wrong) and where the period was written, for calendar problems.
    """
    before = len(problems)
    entries: dict[str, tuple[Any, Written]] = {}
    if raw is not None:
        entries = {k: (v, Written(raw.label, row, written)) for k, (v, row, written) in raw.entries.items()}
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key == "period":
            entries.pop("start", None), entries.pop("end", None)
        elif key in ("start", "end"):
            entries.pop("period", None)
        entries[key] = (value, Written(OVERRIDES_LABEL, None, key))
    values: dict[str, Any] = {}
    for key, (value, where) in entries.items():
        spec = SETTING_KEYS.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, SETTING_KEYS, n=1)
            fix = f"是否想写 {close[0]}？" if close else f"可用的参数：{'、'.join(SETTING_KEYS)}"
            problems.append(Problem(where.file, where.row, where.column, key, f"未知的参数 {key}", fix))
            continue
        try:
            values[key] = spec.parse(value)
        except BadValue as bad:
            problems.append(Problem(where.file, where.row, where.column, _shown(value), bad.message, bad.fix))
    period_where = _period_of(values, entries, problems, default_label, settings_missing=raw is None)
    if len(problems) > before:
        return None, period_where
    return Settings(**values), period_where


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _period_of(values: dict, entries: dict, problems: list[Problem], default_label: str,
               settings_missing: bool) -> Written | None:
    """Turn period, or start and end, into values['period'] in place; report what is wrong."""
    def where(key: str) -> Written:
        return entries[key][1] if key in entries else Written(default_label, None, key)

    def report(key: str, value: str, message: str, fix: str) -> None:
        w = where(key)
        problems.append(Problem(w.file, w.row, w.column, value, message, fix))

    given = [k for k in ("period", "start", "end") if k in entries]
    start, end = values.pop("start", None), values.pop("end", None)
    if not given:
        if settings_missing:
            problems.append(Problem(default_label, None, None, "", "缺少设置（settings.toml）",
                                    '加入 settings.toml，至少写一行 period = "2026Q4"'))
        else:
            problems.append(Problem(default_label, None, None, "", "没有写计划期间 period",
                                    '加入一行 period = "2026Q4"'))
        return None
    if "period" in given and len(given) > 1:
        report("period", _shown(entries["period"][0]), "同时写了 period 和 start/end",
               "只保留一种：period，或 start 和 end")
    elif len(given) == 1 and "period" not in given:
        missing = "end" if given == ["start"] else "start"
        report(given[0], _shown(entries[given[0]][0]), f"写了 {given[0]} 但缺少 {missing}",
               "start 和 end 要一起写，或改写 period")
    elif start is not None and end is not None:
        try:
            values["period"] = Period.between(start, end)
        except BadValue as bad:
            report("end", end.isoformat(), bad.message, bad.fix)
    return where(given[0])
