"""Domain records of one county dataset: plain, immutable, validated by the loader."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

RISK_LEVELS = ("A", "B", "C", "D")  # 信用风险等级: A low … D high

# 抽查检查结果, written exactly as the enterprise credit publicity system's 抽查 module names them
RESULT_LABELS = ("未发现问题", "发现问题已责令改正", "发现问题待后续处理", "未按规定公示应当公示的信息",
                 "公示信息隐瞒真实情况弄虚作假", "通过登记的住所（经营场所）无法联系", "未发现开展本次抽查涉及的经营活动",
                 "已关闭停业或正在组织清算", "不配合检查情节严重", "已注销、被吊销或撤销、已迁出")
# results that close a visit without a second knock: the business cannot be checked at all
CLOSING_RESULTS = ("通过登记的住所（经营场所）无法联系", "已关闭停业或正在组织清算", "已注销、被吊销或撤销、已迁出")
# 后续处置
DISPOSAL_LABELS = ("无需处置", "责令改正", "移送案件线索", "抄告其他部门", "停止检查并移交日常监管")
RECTIFY = "责令改正"  # the disposal that sets a deadline (rectify_by) and calls for a re-check (集成改一次)
PENDING = "发现问题待后续处理"  # a result that, with a deadline, also calls for a re-check
NO_PROBLEM = "未发现问题"  # the one result by which a re-check finds a problem resolved
VISIT_KINDS = ("routine", "urgent", "recheck")  # drawn; added by a change (个案/紧急); 集成改一次


@dataclass(frozen=True, slots=True)
class Zone:
    """片区 of the "1+X" layout: one hub town (中心镇) and its satellite towns."""
    zone_id: str
    name: str
    hub_town_id: str


@dataclass(frozen=True, slots=True)
class Town:
    """乡镇/街道."""
    town_id: str
    name: str
    zone_id: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Department:
    """执法主体 (综合执法, 市场监管, …); `short_names` (简称, e.g. 市场监管局) are names a published list may use."""
    dept_id: str
    name: str
    short_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Category:
    """行业场景 (一业一查); its lead department (牵头部门) leads every joint visit."""
    category_id: str
    name: str
    lead_dept_id: str


@dataclass(frozen=True, slots=True)
class Rate:
    """One 抽查比例 cell as a list publishes it ('不低于3%', '3%;2次/年', '10%(20户)', '20户'): a fraction, or a
    fixed number of businesses when no fraction is given, and the yearly frequency when it is stated."""
    ratio: float | None  # fraction 0–1 of the class's eligible businesses; None: only a count was given
    count: int | None = None  # '20户': the sample size itself (used only without a ratio)
    per_year: int | None = None  # '2次/年': checks a year per business (None: not stated)


@dataclass(frozen=True, slots=True)
class Item:
    """抽查事项: one department checks one thing on some categories, at a ratio per risk class; departments that
    join it (配合部门, co_dept_ids) send officers on each of its visits."""
    item_id: str
    dept_id: str
    name: str
    category_ids: tuple[str, ...]
    ratios: dict[str, float]  # risk level -> fraction of that class's eligible businesses (0.0 for a fixed count)
    minutes: int  # 现场检查时长
    inspectors: int = 1  # officers of dept_id this item needs on site
    window_start: date | None = None  # a task's window (e.g. a provincial joint task "11 月 10 日前")
    window_end: date | None = None
    basis: str = ""  # 法律依据, shown on the 检查通知书
    checklist: str = ""  # 检查内容: what to check, one point a line (现场检查记录 / 一表通查)
    co_dept_ids: tuple[str, ...] = ()  # 配合部门: one officer of each joins every visit of this item
    sample_counts: dict[str, int] = field(default_factory=dict)  # risk level -> a fixed sample size ('20户')
    per_year: dict[str, int] = field(default_factory=dict)  # risk level -> checks a year per business ('2次/年'
    # in the ratio, or items.csv per_year_A … per_year_D); a class absent here: once a year. With ratio_basis =
    # "year", how often the year may draw one business
    method: str = ""  # 检查方式 as published (现场检查, 书面检查 …): shown, not used to plan
    scope: str = ""  # 抽查对象范围 as published: shown; the frame is decided by category_ids

    def ratio(self, risk_level: str) -> float:
        return self.ratios[risk_level]

    def yearly_frequency(self, risk_level: str) -> int:
        """Checks a year per business of this class (the published '2次/年'; 1 when not stated)."""
        return self.per_year.get(risk_level, 1)

    @property
    def dept_ids(self) -> tuple[str, ...]:
        """The implementing department, then the joining ones: every department on this item's visits."""
        return (self.dept_id, *self.co_dept_ids)


@dataclass(frozen=True, slots=True)
class Business:
    """检查对象 on the 检查对象名录库."""
    credit_code: str  # 统一社会信用代码
    name: str
    town_id: str
    category_id: str
    risk_level: str
    lat: float
    lon: float
    opened_on: date | None = None
    address: str = ""
    exempt: bool = False  # 白名单 / 无事不扰: outside every frame
    exempt_reason: str = ""
    exempt_until: date | None = None  # the exemption lapses after this day (None: no end)

    def exempt_through(self, day: date) -> bool:
        """白名单 / 无事不扰 still in force on `day`."""
        return self.exempt and (self.exempt_until is None or day <= self.exempt_until)


@dataclass(frozen=True, slots=True)
class Inspector:
    """A person on the 执法检查人员名录库; uncertified ones are 协管员."""
    inspector_id: str
    name: str
    dept_id: str
    zone_id: str
    certified: bool
    day_minutes: int = 360
    badge_no: str = ""  # 执法证号, shown on the 检查通知书 and committed in the 检查码


@dataclass(frozen=True, slots=True)
class Absence:
    inspector_id: str
    start: date
    end: date  # inclusive
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Conflict:
    """回避: the inspector must never inspect this business."""
    inspector_id: str
    credit_code: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PastInspection:
    """One department's past on-site check of one business (history.csv)."""
    credit_code: str
    dept_id: str
    date: date
    inspector_ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Result:
    """What one department found for one item of one visit (results.csv, contract: the quarter after the plan)."""
    visit_id: str
    item_id: str
    checked_on: date
    result: str  # one of models.records.RESULT_LABELS
    disposal: str = ""  # one of DISPOSAL_LABELS, or empty
    rectify_by: date | None = None  # required when disposal is 责令改正; allowed with 发现问题待后续处理
    inspector_ids: tuple[str, ...] = ()  # who actually went
    note: str = ""
    published_on: date | None = None  # 结果公示: the day export put it on the publicity list (None: not yet)

    @property
    def to_rectify(self) -> bool:
        """A problem to put right by a deadline (集成改一次): 责令改正, or 发现问题待后续处理 with a deadline."""
        return self.rectify_by is not None and (self.disposal == RECTIFY or self.result == PENDING)

    def same_finding(self, other: Result) -> bool:
        """Whether `other` records the same finding, whatever its publication."""
        return replace(self, published_on=None) == replace(other, published_on=None)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One change to results.csv (results_log.csv, append-only): who, when, from which file."""
    logged_at: str  # ISO timestamp of the import
    user: str
    source: str  # file name (and sheet) the rows came from
    source_sha256: str
    added: int
    changed: int
    team_changes: str = ""  # visit/item of the rows whose recorded team is not the planned one, ';'-separated
