"""The dataset's tables and settings keys, declared once: names, Chinese aliases, types, references.

The loader reads these specs; nothing about a column lives anywhere else. Each value parser takes the cell's
stripped text and returns the value, or raises BadValue with what is wrong and how to fix it (简体中文).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.credit_code import credit_code_problem, normalise_credit_code
from models.records import DISPOSAL_LABELS, RESULT_LABELS, RISK_LEVELS

LIST_SEPARATORS = re.compile("[;；]")


class BadValue(ValueError):
    """A cell or setting that cannot be read; `message` says why, `fix` what to write instead."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message = message
        self.fix = fix


# --- cell parsers ---------------------------------------------------------------------------------

def number_text(value: float) -> str:
    """A number cell as the text a parser reads: 45.0 is '45', as Excel shows it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text(value: str) -> str:
    return value


def number(value: str) -> float:
    try:
        out = float(value)
    except ValueError:
        raise BadValue("不是数字", "请填写阿拉伯数字，例如 28.9") from None
    if not math.isfinite(out):
        raise BadValue("不是有限的数字", "请填写阿拉伯数字，例如 28.9")
    return out


def latitude(value: str) -> float:
    out = number(value)
    if not -90 <= out <= 90:
        raise BadValue("纬度超出 -90 到 90 的范围", "请填写十进制纬度，例如 28.91；检查经纬度是否填反")
    return out


def longitude(value: str) -> float:
    out = number(value)
    if not -180 <= out <= 180:
        raise BadValue("经度超出 -180 到 180 的范围", "请填写十进制经度，例如 118.52；检查经纬度是否填反")
    return out


def ratio(value: str) -> float:
    """A fraction 0–1; '5%' is read as 0.05 because that is how coordinators often write it."""
    percent = value.endswith("%")
    try:
        out = float(value[:-1] if percent else value)
    except ValueError:
        raise BadValue("抽查比例不是数字", "请填写 0 到 1 之间的小数，例如 0.05（即 5%）") from None
    out = out / 100 if percent else out
    if not 0 <= out <= 1:
        raise BadValue("抽查比例超出 0 到 1 的范围", "请填写 0 到 1 之间的小数，例如 0.05（即 5%）")
    return out


def positive_int(value: str) -> int:
    try:
        out = float(value)
    except ValueError:
        raise BadValue("不是整数", "请填写大于 0 的整数") from None
    if not out.is_integer() or out <= 0:
        raise BadValue("应为大于 0 的整数", "请填写大于 0 的整数")
    return int(out)


def risk_level(value: str) -> str:
    out = value.upper()
    if out not in RISK_LEVELS:
        raise BadValue("信用风险等级只能是 A、B、C、D", "请填写 A（低风险）、B、C 或 D（高风险）")
    return out


TRUE_WORDS = {"true", "1", "是", "yes", "y", "对", "√"}
FALSE_WORDS = {"false", "0", "否", "no", "n", "不", "×"}


def boolean(value: str) -> bool:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadValue("不是“是/否”值", "请填写 true 或 false（也可写 是/否、1/0）")


# YYYY-MM-DD; also YYYY/M/D (Excel's CSV in a Chinese locale), 2026年10月9日, and a midnight time that tools
# exporting a date cell append ("2026-10-09 00:00:00").
_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)(?:[ T]0?0:00(?::00)?)?")
_EXCEL_SERIAL = re.compile(r"[1-9]\d{4}(\.0+)?")  # 1927–2173 as Excel's day numbers


def iso_date(value: str) -> date:
    """YYYY-MM-DD, leniently (see _DATE); full-width digits are folded first."""
    match = _DATE.fullmatch(value if value.isascii() else unicodedata.normalize("NFKC", value))
    try:
        if match is None:
            raise ValueError
        year, *parts = (g for g in match.groups() if g is not None)
        return date(int(year), *(int(p) for p in parts))
    except ValueError:
        if _EXCEL_SERIAL.fullmatch(value):
            raise BadValue("这是 Excel 的日期序号，不是日期（单元格格式被改成了“常规”或“数值”）",
                           "把这一列的单元格格式设为“日期”后另存，或按 YYYY-MM-DD 填写，例如 2026-10-12") from None
        raise BadValue("无法识别的日期", "请按 YYYY-MM-DD 填写，例如 2026-10-12") from None


def optional_date(value: str) -> date | None:
    return iso_date(value) if value else None


def id_list(value: str) -> tuple[str, ...]:
    out = tuple(part for part in (p.strip() for p in LIST_SEPARATORS.split(value)) if part)
    if not out:
        raise BadValue("列表为空", "请填写一个或多个编号，用英文分号 ; 分隔")
    return out


AS_TEXT_FIX = "把这一列设置为文本格式后重新粘贴正确的 18 位代码（或在代码前加英文单引号 '）"
_SCIENTIFIC = re.compile(r"\d+\.\d+E[+-]?\d+|\d+E[+-]\d+")  # Excel's 9.13308E+17: a decimal point or a sign


def credit_code(value: str) -> str:
    """A 统一社会信用代码, normalised (full-width, lowercase, separators); the ways Excel mangles one as a number
    are named — only for a code that is not valid: a valid one (913301821951706E81) is never taken for a number."""
    code = normalise_credit_code(value)
    problem = credit_code_problem(code)
    if problem is None:
        return code
    if _SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", value).strip().upper()):
        raise BadValue("统一社会信用代码被 Excel 当成了数字，写成了科学计数法，后几位已经丢失", AS_TEXT_FIX)
    if code.isdigit() and len(code) < 18:
        raise BadValue(f"统一社会信用代码只有 {len(code)} 位且全是数字：多半是 Excel 把它当成数字，去掉了开头的 0",
                       AS_TEXT_FIX)
    if code.isdigit() and code.endswith("000"):
        raise BadValue(f"统一社会信用代码无效：{problem}；末尾是 000，多半是 Excel 把它当成数字，"
                       "只保留了 15 位有效数字", AS_TEXT_FIX)
    raise BadValue(f"统一社会信用代码无效：{problem}", "请核对营业执照上的 18 位代码")


def credit_code_number(value: float) -> str:
    """A code cell Excel holds as a number: it keeps 15 significant digits, so the code is already lost."""
    raise BadValue("统一社会信用代码的单元格是数字格式：Excel 只保留 15 位有效数字，代码已经不准确", AS_TEXT_FIX)


# --- header aliases -------------------------------------------------------------------------------

# Every header that means one thing, in any table: a column names its concept, so towns.zone_id and
# inspectors.zone_id accept the same headers. A column's own name and title are accepted as well.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    # ids, shared by a table's key and every column that refers to it
    "zone": ("片区编号", "所属片区", "zone_id"),
    "town": ("乡镇编号", "所属乡镇", "乡镇街道编号", "town_id"),
    "dept": ("部门编号", "所属部门", "实施部门", "dept_id"),
    "category": ("行业编号", "行业", "所属行业", "category_id"),
    "item": ("事项编号", "item_id"),
    "inspector": ("人员编号", "检查人员编号", "执法人员编号", "inspector_id"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "credit_code"),
    "hub_town": ("中心镇", "中心镇编号", "hub_town_id"),
    "lead_dept": ("牵头部门", "牵头部门编号", "lead_dept_id"),
    # names
    "zone_name": ("片区名称",),
    "town_name": ("乡镇名称", "乡镇街道名称"),
    "dept_name": ("部门名称",),
    "category_name": ("行业名称",),
    "item_name": ("事项名称",),
    "business_name": ("名称", "企业名称"),
    "person_name": ("姓名",),
    # everything else
    "lat": ("纬度",),
    "lon": ("经度",),
    **{f"ratio_{r}": (f"{r}类抽查比例", f"抽查比例{r}", f"{r}类比例") for r in RISK_LEVELS},
    "minutes": ("现场检查时长", "检查时长"),
    "team_size": ("检查人数",),
    "risk_level": ("信用风险等级", "风险等级"),
    "opened_on": ("成立日期",),
    "address": ("地址",),
    "exempt": ("免检", "白名单"),
    "certified": ("持执法证", "持证"),
    "day_minutes": ("每日现场时长",),
    "badge_no": ("执法证号", "执法证编号", "badge_no"),
    "basis": ("法律依据", "检查依据", "basis"),
    "checklist": ("检查内容", "检查要点", "checklist"),
    "start": ("开始日期",),
    "end": ("结束日期",),
    "reason": ("原因",),
    "date": ("日期",),
    "workday": ("是否工作日", "工作日"),
    "window_start": ("任务开始日期", "时间窗口开始"),
    "window_end": ("完成时间", "截止日期", "任务截止日期", "时间窗口结束"),
    "exempt_reason": ("免检原因", "白名单原因"),
    "exempt_until": ("免检截止日期", "免检期限", "白名单截止日期"),
    # results.csv (the quarter after the plan)
    "visit": ("检查编号", "visit_id"),
    "checked_on": ("检查日期", "checked_on"),
    "result": ("检查结果", "result"),
    "disposal": ("后续处置", "disposal"),
    "rectify_by": ("整改期限", "rectify_by"),
    "went": ("实际检查人员", "检查人员", "inspector_ids"),
    "planned_on": ("计划日期", "planned_on"),  # a department workbook's row: the visit's date when exported
    "note": ("备注", "note"),
}


def _label(choices: tuple[str, ...], what: str) -> Callable[[str], str]:
    """One of `choices`, written exactly (half-width brackets and stray spaces, as typed by hand, are forgiven)."""
    def parse(value: str) -> str:
        out = re.sub(r"\s+", "", value).replace("(", "（").replace(")", "）")
        if out not in choices:
            raise BadValue(f"不是规定的{what}", f"请从下拉列表中选择，只能是：{'；'.join(choices)}")
        return out
    return parse


result_label = _label(RESULT_LABELS, "检查结果")
disposal_label = _label(DISPOSAL_LABELS, "后续处置")


# --- tables ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Column:
    name: str  # English header of the contract; also the field name the loader hands on
    concept: str  # key in HEADER_ALIASES: the other headers accepted for it
    parse: Callable[[str], Any] = text
    required: bool = True  # the column must be present and every cell filled
    default: Any = None  # value of an empty cell (or an absent column) when not required
    ref: str | None = None  # stem of the table whose key this column (or each list element) must name
    title: str | None = None  # Chinese header we write and name it by; None = the concept's first alias
    from_number: Callable[[float], Any] | None = None  # parser of a cell stored as a number (xlsx)

    @property
    def aliases(self) -> tuple[str, ...]:
        """Chinese headers first (the first is the one we write), then English ones; the name is accepted too."""
        concept = HEADER_ALIASES[self.concept]
        return tuple(dict.fromkeys((self.title or concept[0], *concept)))

    @property
    def label(self) -> str:
        return f"{self.name}（{self.aliases[0]}）"


@dataclass(frozen=True, slots=True)
class Table:
    stem: str  # file stem (zones → zones.csv) and sheet name
    names: tuple[str, ...]  # Chinese names accepted for the file or sheet
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns whose values must be unique together
    required: bool = True

    @property
    def file_name(self) -> str:
        return f"{self.stem}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _lat() -> Column:
    return Column("lat", "lat", latitude)


def _lon() -> Column:
    return Column("lon", "lon", longitude)


def _credit_code(**kwargs) -> Column:
    return Column("credit_code", "credit_code", credit_code, from_number=credit_code_number, **kwargs)


TABLES: tuple[Table, ...] = (
    Table("zones", ("片区",), (
        Column("zone_id", "zone"),
        Column("name", "zone_name"),
        Column("hub_town_id", "hub_town"),  # checked against towns by the loader
    ), key=("zone_id",)),
    Table("towns", ("乡镇", "乡镇街道"), (
        Column("town_id", "town"),
        Column("name", "town_name"),
        Column("zone_id", "zone", ref="zones", title="所属片区"),
        _lat(), _lon(),
    ), key=("town_id",)),
    Table("departments", ("部门", "执法主体"), (
        Column("dept_id", "dept"),
        Column("name", "dept_name"),
    ), key=("dept_id",)),
    Table("categories", ("行业", "行业场景"), (
        Column("category_id", "category"),
        Column("name", "category_name"),
        Column("lead_dept_id", "lead_dept", ref="departments"),
    ), key=("category_id",)),
    Table("items", ("抽查事项", "抽查事项清单"), (
        Column("item_id", "item"),
        Column("dept_id", "dept", ref="departments", title="实施部门"),
        Column("name", "item_name"),
        Column("category_ids", "category", id_list, ref="categories", title="适用行业"),
        *(Column(f"ratio_{r}", f"ratio_{r}", ratio) for r in RISK_LEVELS),
        Column("minutes", "minutes", positive_int),
        Column("inspectors", "team_size", positive_int, required=False, default=1),
        Column("window_start", "window_start", optional_date, required=False),
        Column("window_end", "window_end", optional_date, required=False),
        Column("basis", "basis", required=False, default=""),
        Column("checklist", "checklist", required=False, default=""),
    ), key=("item_id",)),
    Table("businesses", ("检查对象", "检查对象名录库"), (
        _credit_code(),
        Column("name", "business_name"),
        Column("town_id", "town", ref="towns", title="所属乡镇"),
        Column("category_id", "category", ref="categories", title="行业"),
        Column("risk_level", "risk_level", risk_level),
        _lat(), _lon(),
        Column("opened_on", "opened_on", optional_date, required=False),
        Column("address", "address", required=False, default=""),
        Column("exempt", "exempt", boolean, required=False, default=False),
        Column("exempt_reason", "exempt_reason", required=False, default=""),
        Column("exempt_until", "exempt_until", optional_date, required=False),
    ), key=("credit_code",)),
    Table("inspectors", ("检查人员", "执法检查人员", "执法人员"), (
        Column("inspector_id", "inspector"),
        Column("name", "person_name"),
        Column("dept_id", "dept", ref="departments", title="所属部门"),
        Column("zone_id", "zone", ref="zones", title="所属片区"),
        Column("certified", "certified", boolean),
        Column("day_minutes", "day_minutes", positive_int, required=False, default=360),
        Column("badge_no", "badge_no", required=False, default=""),
    ), key=("inspector_id",)),
    Table("unavailable", ("请假", "不可用", "缺勤"), (
        Column("inspector_id", "inspector", ref="inspectors"),
        Column("start", "start", iso_date),
        Column("end", "end", iso_date),
        Column("reason", "reason", required=False, default=""),
    ), required=False),
    Table("conflicts", ("回避",), (
        Column("inspector_id", "inspector", ref="inspectors"),
        _credit_code(ref="businesses"),
        Column("reason", "reason", required=False, default="", title="回避原因"),
    ), key=("inspector_id", "credit_code"), required=False),
    Table("history", ("检查记录", "历史检查"), (
        _credit_code(ref="businesses"),
        Column("dept_id", "dept", ref="departments"),
        Column("date", "date", iso_date, title="检查日期"),
        Column("inspector_ids", "inspector", id_list, required=False, default=(), ref="inspectors", title="检查人员"),
    ), required=False),
    Table("calendar", ("日历", "工作日历"), (
        Column("date", "date", iso_date),
        Column("workday", "workday", boolean),
    ), key=("date",), required=False),
)

TABLE = {t.stem: t for t in TABLES}

# results.csv as departments send it back (contract: the quarter after the plan); not a dataset table
RESULTS = Table("results", ("结果登记", "检查结果"), (
    Column("visit_id", "visit"),
    Column("item_id", "item"),
    Column("checked_on", "checked_on", iso_date),
    Column("result", "result", result_label),
    Column("disposal", "disposal", disposal_label, required=False, default=""),
    Column("rectify_by", "rectify_by", optional_date, required=False),
    Column("inspector_ids", "went", id_list),
    Column("note", "note", required=False, default=""),
    Column("planned_on", "planned_on", optional_date, required=False),
), key=("visit_id", "item_id"))
