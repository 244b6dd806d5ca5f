"""The dataset's tables and settings keys, declared once: names, Chinese aliases, types, references.

The loader reads these specs; nothing about a column lives anywhere else. Each value parser takes the cell's
stripped text and returns the value, or raises BadValue with what is wrong and how to fix it (简体中文).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.credit_code import credit_code_problem
from models.records import DISPOSAL_LABELS, RESULT_LABELS, RISK_LEVELS

LIST_SEPARATORS = re.compile("[;；]")


class BadValue(ValueError):
    """A cell or setting that cannot be read; `message` says why, `fix` what to write instead."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message = message
        self.fix = fix


# --- cell parsers ---------------------------------------------------------------------------------

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


_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def iso_date(value: str) -> date:
    """YYYY-MM-DD; also YYYY/M/D, which Excel writes when it saves a CSV in a Chinese locale."""
    match = _DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise BadValue("无法识别的日期", "请按 YYYY-MM-DD 填写，例如 2026-10-12") from None


def optional_date(value: str) -> date | None:
    return iso_date(value) if value else None


def id_list(value: str) -> tuple[str, ...]:
    out = tuple(part for part in (p.strip() for p in LIST_SEPARATORS.split(value)) if part)
    if not out:
        raise BadValue("列表为空", "请填写一个或多个编号，用英文分号 ; 分隔")
    return out


def credit_code(value: str) -> str:
    problem = credit_code_problem(value)
    if problem:
        raise BadValue(f"统一社会信用代码无效：{problem}", "请核对营业执照上的 18 位代码")
    return value


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
    aliases: tuple[str, ...]  # Chinese headers accepted for it (the first is the one we write)
    parse: Callable[[str], Any] = text
    required: bool = True  # the column must be present and every cell filled
    default: Any = None  # value of an empty cell (or an absent column) when not required
    ref: str | None = None  # stem of the table whose key this column (or each list element) must name

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
    return Column("lat", ("纬度",), latitude)


def _lon() -> Column:
    return Column("lon", ("经度",), longitude)


TABLES: tuple[Table, ...] = (
    Table("zones", ("片区",), (
        Column("zone_id", ("片区编号",)),
        Column("name", ("片区名称",)),
        Column("hub_town_id", ("中心镇", "中心镇编号")),  # checked against towns by the loader
    ), key=("zone_id",)),
    Table("towns", ("乡镇", "乡镇街道"), (
        Column("town_id", ("乡镇编号", "乡镇街道编号")),
        Column("name", ("乡镇名称", "乡镇街道名称")),
        Column("zone_id", ("所属片区",), ref="zones"),
        _lat(), _lon(),
    ), key=("town_id",)),
    Table("departments", ("部门", "执法主体"), (
        Column("dept_id", ("部门编号",)),
        Column("name", ("部门名称",)),
    ), key=("dept_id",)),
    Table("categories", ("行业", "行业场景"), (
        Column("category_id", ("行业编号",)),
        Column("name", ("行业名称",)),
        Column("lead_dept_id", ("牵头部门",), ref="departments"),
    ), key=("category_id",)),
    Table("items", ("抽查事项", "抽查事项清单"), (
        Column("item_id", ("事项编号",)),
        Column("dept_id", ("实施部门",), ref="departments"),
        Column("name", ("事项名称",)),
        Column("category_ids", ("适用行业",), id_list, ref="categories"),
        *(Column(f"ratio_{r}", (f"{r}类抽查比例", f"抽查比例{r}", f"{r}类比例"), ratio) for r in RISK_LEVELS),
        Column("minutes", ("现场检查时长", "检查时长"), positive_int),
        Column("inspectors", ("检查人数",), positive_int, required=False, default=1),
    ), key=("item_id",)),
    Table("businesses", ("检查对象", "检查对象名录库"), (
        Column("credit_code", ("统一社会信用代码",), credit_code),
        Column("name", ("名称", "企业名称")),
        Column("town_id", ("所属乡镇", "乡镇编号"), ref="towns"),
        Column("category_id", ("行业", "行业编号"), ref="categories"),
        Column("risk_level", ("信用风险等级", "风险等级"), risk_level),
        _lat(), _lon(),
        Column("opened_on", ("成立日期",), optional_date, required=False),
        Column("address", ("地址",), required=False, default=""),
        Column("exempt", ("免检", "白名单"), boolean, required=False, default=False),
    ), key=("credit_code",)),
    Table("inspectors", ("检查人员", "执法检查人员", "执法人员"), (
        Column("inspector_id", ("人员编号",)),
        Column("name", ("姓名",)),
        Column("dept_id", ("所属部门",), ref="departments"),
        Column("zone_id", ("所属片区",), ref="zones"),
        Column("certified", ("持执法证", "持证"), boolean),
        Column("day_minutes", ("每日现场时长",), positive_int, required=False, default=360),
    ), key=("inspector_id",)),
    Table("unavailable", ("请假", "不可用", "缺勤"), (
        Column("inspector_id", ("人员编号",), ref="inspectors"),
        Column("start", ("开始日期",), iso_date),
        Column("end", ("结束日期",), iso_date),
        Column("reason", ("原因",), required=False, default=""),
    ), required=False),
    Table("conflicts", ("回避",), (
        Column("inspector_id", ("人员编号",), ref="inspectors"),
        Column("credit_code", ("统一社会信用代码",), ref="businesses"),
        Column("reason", ("回避原因", "原因"), required=False, default=""),
    ), key=("inspector_id", "credit_code"), required=False),
    Table("history", ("检查记录", "历史检查"), (
        Column("credit_code", ("统一社会信用代码",), ref="businesses"),
        Column("dept_id", ("部门编号", "实施部门"), ref="departments"),
        Column("date", ("检查日期", "日期"), iso_date),
        Column("inspector_ids", ("检查人员", "人员编号"), id_list, required=False, default=(), ref="inspectors"),
    ), required=False),
    Table("calendar", ("日历", "工作日历"), (
        Column("date", ("日期",), iso_date),
        Column("workday", ("是否工作日", "工作日"), boolean),
    ), key=("date",), required=False),
)

TABLE = {t.stem: t for t in TABLES}

# results.csv as departments send it back (contract: the quarter after the plan); not a dataset table
RESULTS = Table("results", ("结果登记", "检查结果"), (
    Column("visit_id", ("检查编号",)),
    Column("item_id", ("事项编号",)),
    Column("checked_on", ("检查日期",), iso_date),
    Column("result", ("检查结果",), result_label),
    Column("disposal", ("后续处置",), disposal_label, required=False, default=""),
    Column("rectify_by", ("整改期限",), optional_date, required=False),
    Column("inspector_ids", ("实际检查人员", "检查人员"), id_list),
    Column("note", ("备注",), required=False, default=""),
), key=("visit_id", "item_id"))
