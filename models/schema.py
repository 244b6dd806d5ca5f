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
from models.problems import BadValue
from models.ranges import EARLIEST_DATE, LATEST_DATE, date_between, in_range, range_text
from models.records import DISPOSAL_LABELS, RESULT_LABELS, RISK_LEVELS, Rate

LIST_SEPARATORS = re.compile("[;；]")


# --- what any text cell may hold -------------------------------------------------------------------

# Invisible characters that ride along when text is pasted from a web page or a chat: removed, so that
# 'SJ001' and 'SJ001' followed by a zero-width space are one id (and then, if both are rows, a duplicate).
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f")
# Direction controls reorder what a reader sees ('许\u202egnp.exe' shows as '许exe.png'): refused.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")
# What Excel, WPS and LibreOffice show in a cell whose formula failed
EXCEL_ERRORS = frozenset(("#N/A", "#DIV/0!", "#REF!", "#NAME?", "#NULL!", "#NUM!", "#VALUE!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#N/A!",
                          "#NV", "Err:502", "Err:504", "Err:522"))
EXCEL_ERROR_FIX = "这是公式出错的结果：改正公式，或把单元格改成要填的值（复制后“选择性粘贴 → 数值”）"


def escaped(value: str) -> str:
    """`value` with every invisible or control character shown as \\uXXXX, for a message."""
    return "".join(ch if ch.isprintable() or ch == " " else f"\\u{ord(ch):04x}" for ch in value)


def visible_text(value: str, multiline: bool = False) -> str:
    """`value` without invisible characters; BadValue for a direction control, a control character, or a line
    break where one is not allowed. Called only for text that is not all printable (str.isprintable is fast)."""
    out = "".join(ch for ch in value if ch not in INVISIBLE and unicodedata.category(ch) != "Cf"
                  or ch in BIDI_CONTROLS)
    for ch in out:
        if ch in BIDI_CONTROLS:
            raise BadValue(f"含有看不见的文字方向控制字符 {escaped(ch)}（会让显示的文字与实际不同）",
                           "删掉这个字符：重新输入这个单元格，不要从网页或聊天软件中复制")
        if ch in LINE_BREAKS:
            if multiline and ch in "\n\r":
                continue
            raise BadValue("单元格里有换行", "把内容写在一行（在 Excel 中按 Alt+Enter 换行的地方删掉换行）")
        if unicodedata.category(ch) == "Cc" and not (multiline and ch == "\t"):
            raise BadValue(f"含有看不见的控制字符 {escaped(ch)}", "删掉这个字符：重新输入这个单元格")
    return out.replace("\r\n", "\n").replace("\r", "\n").strip() if multiline else out.strip()


def text_too_long(value: str, limit: int) -> BadValue:
    return BadValue(f"太长：{len(value)} 个字，最多 {limit} 个字", f"缩短到 {limit} 个字以内（名称、编号还要写进文件名和通知书）")


def checked_text(column: Column, value: str) -> str:
    """What any text cell of `column` may hold, as the loader reads it (and a what-if change that writes one):
    no Excel error value, invisible characters removed, no control or direction character, no line break
    unless the column allows one, at most `max_chars`. Raises BadValue."""
    if value in EXCEL_ERRORS:
        raise BadValue(f"单元格是 Excel 的错误值 {value}，不是要填的内容", EXCEL_ERROR_FIX)
    out = value if value.isprintable() else visible_text(value, column.multiline)
    if len(out) > column.max_chars:
        raise text_too_long(out, column.max_chars)
    return out


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


RATIO_FORMS = "0.05、5%、不低于5%、≥5%、5%;2次/年、10%(20户) 或只写户数 20户"
_FLOOR_WORDS = re.compile(r"^(?:原则上)?(?:不低于|不少于|不小于|至少|大于等于|≥|>=)")
_RATE = re.compile(r"(?P<number>-?\d+(?:\.\d+)?)(?P<percent>%)?(?:\((?P<bracket>\d+)[户家个]?\))?"
                   r"|(?P<count>\d+)[户家个]")
_FREQUENCY = re.compile(r"[;,、/]?(?:(?P<n>\d+|[一二两三四五六七八九十])次/年|每年(?P<m>\d+|[一二两三四五六七八九十])次)$")
_CHINESE_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九十", start=1)} | {"两": 2}


def published_rate(value: str) -> Rate:
    """A 抽查比例 cell as governments write it: a fraction or a percentage (full-width digits too), after
    不低于/≥ (the floor is the ratio), with a count in brackets (the ratio decides) or a count alone (the sample
    size itself), and a frequency ('2次/年')."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).replace("％", "%")
    frequency = _FREQUENCY.search(text)
    per_year = None
    if frequency:
        n = frequency.group("n") or frequency.group("m")
        per_year = int(n) if n.isdigit() else _CHINESE_DIGITS[n]
        text = text[:frequency.start()]
        if not 1 <= per_year <= 12:
            raise BadValue(f"抽查频次 {per_year}次/年 超出范围（应在 1 到 12 次/年之间）", f"请写成 {RATIO_FORMS}")
    match = _RATE.fullmatch(_FLOOR_WORDS.sub("", text))
    if match is None:
        what = "只写了频次，没有抽查比例" if frequency and not text else "抽查比例不是数字或百分比"
        raise BadValue(what, f"请写成 {RATIO_FORMS}")
    if match.group("count"):
        return Rate(None, _count(match.group("count")), per_year)
    out = float(match.group("number")) / (100 if match.group("percent") else 1)
    if not 0 <= out <= 1:
        raise BadValue("抽查比例超出 0 到 1 的范围（即 0% 到 100%）", f"请写成 {RATIO_FORMS}")
    bracket = match.group("bracket")
    return Rate(out, _count(bracket) if bracket else None, per_year)


def _count(text: str) -> int:
    count = int(text)
    if count > MAX_SAMPLE_COUNT:
        raise BadValue(f"抽查户数 {count} 超出范围（应在 0 到 {MAX_SAMPLE_COUNT:,} 之间）", f"请写成 {RATIO_FORMS}")
    return count


MAX_SAMPLE_COUNT = 1_000_000


def ratio(value: str) -> float:
    """A fraction 0–1, written as published lists write it (see published_rate), without a count or frequency:
    a what-if `ratio:` change."""
    rate = published_rate(value)
    if rate.ratio is None or rate.per_year is not None or rate.count is not None:
        raise BadValue("这里只能写比例", "请填写 0 到 1 之间的小数或百分比，例如 0.05 或 5%")
    return rate.ratio


_LEADING_COUNT = re.compile(r"\s*(\d+)\s*[户家个]?")


def sample_count(value: str) -> int:
    """抽查户数: how many businesses, used when the row gives no ratio; a remark after the number, as lists
    publish it ('1户(实际以牵头单位抽查数为准)'), is left aside."""
    match = _LEADING_COUNT.match(unicodedata.normalize("NFKC", value))
    if match is None:
        raise BadValue("抽查户数不是整数", "请填写整数，例如 20（或 20户）")
    return _count(match.group(1))


def positive_int(value: str) -> int:
    try:
        out = float(value)
    except ValueError:
        raise BadValue("不是整数", "请填写大于 0 的整数") from None
    if not out.is_integer() or out <= 0:
        raise BadValue("应为大于 0 的整数", "请填写大于 0 的整数")
    return int(out)


def int_between(low: int, high: int, what: str, unit: str = "") -> Callable[[str], int]:
    """A whole number in [low, high], the range stated in the message (minutes of a day, a team's size)."""
    def parse(value: str) -> int:
        try:
            out = float(value)
        except ValueError:
            raise BadValue(f"{what}不是整数", f"请填写 {range_text(low, high, unit)}的整数") from None
        if not math.isfinite(out) or not out.is_integer():
            raise BadValue(f"{what}应为整数", f"请填写 {range_text(low, high, unit)}的整数")
        in_range(out, low, high, what, unit, "整数")
        return int(out)
    return parse


day_minutes = int_between(1, 1440, "每日现场时长", "分钟")  # a day has 1,440 minutes
item_minutes = int_between(1, 1440, "现场检查时长", "分钟")
team_size = int_between(1, 20, "检查人数", "人")


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
        day = date(int(year), *(int(p) for p in parts))
    except ValueError:
        if _EXCEL_SERIAL.fullmatch(value):
            raise BadValue("这是 Excel 的日期序号，不是日期（单元格格式被改成了“常规”或“数值”）",
                           "把这一列的单元格格式设为“日期”后另存，或按 YYYY-MM-DD 填写，例如 2026-10-12") from None
        raise BadValue("无法识别的日期", "请按 YYYY-MM-DD 填写，例如 2026-10-12") from None
    return date_between(day, EARLIEST_DATE, LATEST_DATE)


def optional_date(value: str) -> date | None:
    return iso_date(value) if value else None


def id_list(value: str) -> tuple[str, ...]:
    out = tuple(part for part in (p.strip() for p in LIST_SEPARATORS.split(value)) if part)
    if not out:
        raise BadValue("列表为空", "请填写一个或多个编号，用英文分号 ; 分隔")
    return out


NAME_SEPARATORS = re.compile(r"[;；、,，/\n]+")


def name_list(value: str) -> tuple[str, ...]:
    """Departments as published lists write them: '市邮政管理局、市公安局' (also ; , / or a line break between)."""
    out = tuple(dict.fromkeys(part for part in (p.strip() for p in NAME_SEPARATORS.split(value)) if part))
    if not out:
        raise BadValue("列表为空", "请填写一个或多个部门的编号或名称，用 ; 或 、 分隔")
    return out


def optional_name_list(value: str) -> tuple[str, ...]:
    return name_list(value) if value.strip(" 无/-—") else ()  # '无' or '—': no joining department


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
    "co_dept": ("配合部门", "参检单位", "参检部门", "参与部门", "配合单位", "联合部门", "co_dept_ids"),
    # names
    "zone_name": ("片区名称",),
    "town_name": ("乡镇名称", "乡镇街道名称"),
    "dept_name": ("部门名称",),
    "short_names": ("简称", "部门简称", "short_names"),
    "category_name": ("行业名称",),
    "item_name": ("事项名称",),
    "business_name": ("名称", "企业名称"),
    "person_name": ("姓名",),
    # everything else
    "lat": ("纬度",),
    "lon": ("经度",),
    **{f"ratio_{r}": (f"{r}类抽查比例", f"抽查比例{r}", f"{r}类比例") for r in RISK_LEVELS},
    "ratio": ("抽查比例", "抽查比例及频次", "抽查比例和频次", "抽查比例（频次）", "ratio"),
    "sample_count": ("抽查户数", "抽查数量", "抽取户数", "sample_count"),
    "method": ("检查方式", "抽查方式", "method"),
    "scope": ("抽查对象范围", "检查对象范围", "抽查对象", "scope"),
    "minutes": ("现场检查时长", "检查时长"),
    **{f"per_year_{r}": (f"{r}类抽查频次", f"抽查频次{r}", f"{r}类每年次数") for r in RISK_LEVELS},
    "team_size": ("检查人数",),
    "risk_level": ("信用风险等级", "风险等级"),
    "opened_on": ("成立日期",),
    "address": ("地址",),
    "exempt": ("免检", "白名单"),
    "certified": ("持执法证", "持证"),
    "day_minutes": ("每日现场时长",),
    "badge_no": ("执法证号", "执法证编号", "badge_no"),
    "basis": ("法律依据", "检查依据", "抽查依据", "basis"),
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
    extra: tuple[str, ...] = ()  # headers this column alone accepts beyond its concept's (published lists' words)
    max_chars: int = 200  # longer text is refused: it would not fit a file name, a notice or a calendar line
    multiline: bool = False  # line breaks allowed (a checklist, one point a line); elsewhere they are refused

    @property
    def aliases(self) -> tuple[str, ...]:
        """Chinese headers first (the first is the one we write), then English ones; the name is accepted too."""
        concept = HEADER_ALIASES[self.concept]
        return tuple(dict.fromkeys((self.title or concept[0], *concept, *self.extra)))

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
    ignored: tuple[str, ...] = ()  # headers published lists carry that the planner knowingly does not read

    @property
    def file_name(self) -> str:
        return f"{self.stem}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


ID_CHARS = 40  # an id: short, it goes into file names and 检查码
NAME_CHARS = 100  # a name: the longest 企业名称 are about 60 characters
TEXT_CHARS = 2000  # 法律依据, 检查内容: a few paragraphs
ALWAYS_IGNORED = ("序号", "备注", "说明")  # in any table: numbering and remarks


def _id(name: str, concept: str, **kwargs) -> Column:
    return Column(name, concept, max_chars=ID_CHARS, **kwargs)


def _name(concept: str, **kwargs) -> Column:
    return Column("name", concept, max_chars=NAME_CHARS, **kwargs)


def _lat() -> Column:
    return Column("lat", "lat", latitude)


def _lon() -> Column:
    return Column("lon", "lon", longitude)


def _credit_code(**kwargs) -> Column:
    return Column("credit_code", "credit_code", credit_code, from_number=credit_code_number, max_chars=ID_CHARS,
                  **kwargs)


TABLES: tuple[Table, ...] = (
    Table("zones", ("片区",), (
        _id("zone_id", "zone"),
        _name("zone_name"),
        _id("hub_town_id", "hub_town"),  # checked against towns by the loader
    ), key=("zone_id",)),
    Table("towns", ("乡镇", "乡镇街道"), (
        _id("town_id", "town"),
        _name("town_name"),
        _id("zone_id", "zone", ref="zones", title="所属片区"),
        _lat(), _lon(),
    ), key=("town_id",)),
    Table("departments", ("部门", "执法主体"), (
        _id("dept_id", "dept"),
        _name("dept_name"),
        Column("short_names", "short_names", optional_name_list, required=False, default=(), max_chars=NAME_CHARS),
    ), key=("dept_id",)),
    Table("categories", ("行业", "行业场景"), (
        _id("category_id", "category"),
        _name("category_name"),
        Column("lead_dept_id", "lead_dept", ref="departments", max_chars=NAME_CHARS),  # an id, or a name (loader)
    ), key=("category_id",)),
    Table("items", ("抽查事项", "抽查事项清单"), (
        _id("item_id", "item"),
        Column("dept_id", "dept", ref="departments", title="实施部门", max_chars=NAME_CHARS,
               extra=("发起部门", "牵头部门", "检查主体", "实施主体", "牵头单位", "发起单位", "责任单位")),
        _name("item_name", extra=("抽查事项", "抽查事项名称", "检查事项", "抽查内容")),
        Column("category_ids", "category", id_list, ref="categories", title="适用行业", max_chars=TEXT_CHARS),
        *(Column(f"ratio_{r}", f"ratio_{r}", published_rate, required=False) for r in RISK_LEVELS),
        Column("ratio", "ratio", published_rate, required=False),  # one ratio for every class: the loader copies it
        Column("sample_count", "sample_count", sample_count, required=False),  # used only without a ratio
        Column("minutes", "minutes", item_minutes),
        Column("inspectors", "team_size", team_size, required=False, default=1),
        Column("window_start", "window_start", optional_date, required=False),
        Column("window_end", "window_end", optional_date, required=False),
        Column("basis", "basis", required=False, default="", max_chars=TEXT_CHARS, multiline=True),
        Column("checklist", "checklist", required=False, default="", max_chars=TEXT_CHARS, multiline=True),
        Column("co_dept_ids", "co_dept", optional_name_list, required=False, default=(), ref="departments",
               max_chars=TEXT_CHARS, multiline=True),
        Column("method", "method", required=False, default="", max_chars=NAME_CHARS, multiline=True),
        Column("scope", "scope", required=False, default="", max_chars=TEXT_CHARS, multiline=True),
        *(Column(f"per_year_{r}", f"per_year_{r}", positive_int, required=False) for r in RISK_LEVELS),
    ), key=("item_id",), ignored=("抽查任务名称", "任务名称", "智慧监管（信用风险分类）要求", "信用风险分类要求",
                                 "抽查检查起止时间", "抽查时间", "抽查检查模式", "组织层级", "实施层级", "抽取类型",
                                 "抽取日期", "抽取日期至", "抽查完成时限", "抽查类别", "股室", "年度计划名称",
                                 "抽查频次")),
    Table("businesses", ("检查对象", "检查对象名录库"), (
        _credit_code(),
        _name("business_name"),
        _id("town_id", "town", ref="towns", title="所属乡镇"),
        _id("category_id", "category", ref="categories", title="行业"),
        Column("risk_level", "risk_level", risk_level),
        _lat(), _lon(),
        Column("opened_on", "opened_on", optional_date, required=False),
        Column("address", "address", required=False, default=""),
        Column("exempt", "exempt", boolean, required=False, default=False),
        Column("exempt_reason", "exempt_reason", required=False, default=""),
        Column("exempt_until", "exempt_until", optional_date, required=False),
    ), key=("credit_code",)),
    Table("inspectors", ("检查人员", "执法检查人员", "执法人员"), (
        _id("inspector_id", "inspector"),
        _name("person_name"),
        Column("dept_id", "dept", ref="departments", title="所属部门", max_chars=NAME_CHARS),
        _id("zone_id", "zone", ref="zones", title="所属片区"),
        Column("certified", "certified", boolean),
        Column("day_minutes", "day_minutes", day_minutes, required=False, default=360),
        _id("badge_no", "badge_no", required=False, default=""),
    ), key=("inspector_id",)),
    Table("unavailable", ("请假", "不可用", "缺勤"), (
        _id("inspector_id", "inspector", ref="inspectors"),
        Column("start", "start", iso_date),
        Column("end", "end", iso_date),
        Column("reason", "reason", required=False, default=""),
    ), required=False),
    Table("conflicts", ("回避",), (
        _id("inspector_id", "inspector", ref="inspectors"),
        _credit_code(ref="businesses"),
        Column("reason", "reason", required=False, default="", title="回避原因"),
    ), key=("inspector_id", "credit_code"), required=False),
    Table("history", ("检查记录", "历史检查"), (
        _credit_code(ref="businesses"),
        Column("dept_id", "dept", ref="departments", max_chars=NAME_CHARS),
        Column("date", "date", iso_date, title="检查日期"),
        Column("inspector_ids", "inspector", id_list, required=False, default=(), ref="inspectors", title="检查人员",
               max_chars=TEXT_CHARS),
    ), required=False),
    Table("calendar", ("日历", "工作日历"), (
        Column("date", "date", iso_date),
        Column("workday", "workday", boolean),
        Column("note", "note", required=False, default="", title="说明"),  # e.g. the festival (calendar-draft)
    ), key=("date",), required=False),
)

TABLE = {t.stem: t for t in TABLES}

# results.csv as departments send it back (contract: the quarter after the plan); not a dataset table
RESULTS = Table("results", ("结果登记", "检查结果"), (
    _id("visit_id", "visit"),
    _id("item_id", "item"),
    Column("checked_on", "checked_on", iso_date),
    Column("result", "result", result_label),
    Column("disposal", "disposal", disposal_label, required=False, default=""),
    Column("rectify_by", "rectify_by", optional_date, required=False),
    Column("inspector_ids", "went", id_list, max_chars=TEXT_CHARS),
    Column("note", "note", required=False, default="", max_chars=TEXT_CHARS, multiline=True),
    Column("planned_on", "planned_on", optional_date, required=False),
), key=("visit_id", "item_id"))
