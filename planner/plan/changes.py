"""What-if changes (假设分析) to a dataset: parsed, checked and applied one after another.

Each change is checked against the dataset as the changes before it left it, so `add:N1` then `absent:N1:…`
works and `add:N1` twice is refused. Values go through the same parsers as the dataset's own files.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from models.dataset import Dataset
from models.problems import UserError
from models.records import RISK_LEVELS, Absence, Inspector
from models.schema import TABLE, BadValue, boolean, checked_text, day_minutes, iso_date, ratio
from models.settings import with_setting
from planner.plan.model import HandEdit
from planner.schedule.appointments import Appointment

REMOVED = "移出名录（假设分析）"  # the reason of the absence a `remove:` change records
ARITY = {"absent": (3,), "add": (4, 5), "remove": (1,), "urgent": (1, 2), "missed": (1,), "move": (2,),
         "swap": (3,), "set": (1,), "ratio": (3,), "day_minutes": (2,), "prefer": (3,), "avoid": (3,)}


@dataclass(frozen=True)
class Change:
    """One coordinator's change. kind: absent | add | remove | urgent | missed | move | swap | set | ratio |
    day_minutes | prefer | avoid."""
    kind: str
    args: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Applied:
    dataset: Dataset  # the base dataset with every change applied
    urgent: dict[str, date | None]  # urgent visits the changes add: credit code -> deadline (or None)
    missed: list[str]  # visits whose team could not go: credit codes, to be placed again on a later day
    hand_edits: list[HandEdit] = field(default_factory=list)  # visits moved or re-staffed by hand, in order
    appointments: list[Appointment] = field(default_factory=list)  # 企业预约 (prefer/avoid), in order


def parse_change(text: str) -> Change:
    """'absent:I001:2026-10-12:2026-10-16', 'add:I999:张三:SJ:Z1[:certified]', 'remove:I002',
    'urgent:<credit code>[:<deadline>]', 'missed:<credit code>' (the team could not go: place it again later),
    'move:<credit code>:<day>', 'swap:<credit code>:<officer out>:<officer in>' (hand edits of one visit),
    'set:cross_zone=forbid', 'ratio:<item>:<A-D>:0.2', 'day_minutes:I001:300', 'prefer:<credit code>:<from>:<to>'
    (the business asks for those days), 'avoid:<credit code>:<from>:<to>' (days it cannot receive a check)."""
    text = text.strip()
    kind, _, rest = text.partition(":")
    args = tuple(part.strip() for part in rest.split(":")) if rest else ()
    if kind == "set" and rest:  # a value may hold a colon itself (zone_balance=ratio:1.25)
        args = (rest.strip(),)
    if kind not in ARITY or len(args) not in ARITY[kind]:
        raise UserError(f"无法识别的变化「{text}」；格式见 `python -m planner plan --help`")
    return Change(kind, args, text)


def apply_changes(dataset: Dataset, changes: list[str], *, after: Applied | None = None) -> Applied:
    """The dataset with `changes` applied in order — to `dataset`, or continuing from `after` (the changes
    already applied, which stays as it is); a change that does not fit is a UserError naming it."""
    applied = Applied(dataset, {}, []) if after is None else \
        Applied(after.dataset, dict(after.urgent), list(after.missed), list(after.hand_edits),
                list(after.appointments))
    for text in changes:
        change = parse_change(text)
        try:
            applied = replace(applied, dataset=_apply(applied, change))
        except BadValue as bad:
            raise UserError(f"变化「{change.text}」：{bad.message}。{bad.fix}") from None
    return applied


def dataset_as_planned(dataset: Dataset, changes: list[str]) -> Dataset:
    """The base dataset with a plan's recorded what-if changes (record.json → changes) applied."""
    return apply_changes(dataset, changes).dataset


def _apply(applied: Applied, change: Change) -> Dataset:
    """The dataset after `change`; urgent visits, missed visits and hand edits are collected in `applied`."""
    dataset, a = applied.dataset, change.args
    if change.kind == "absent":
        _known_inspector(dataset, a[0])
        start, end = iso_date(a[1]), iso_date(a[2])
        if end < start:
            raise BadValue(f"结束日期 {end} 早于开始日期 {start}", "检查两个日期是否填反")
        if end < dataset.settings.start or start > dataset.settings.end:
            raise BadValue(f"请假 {start} 至 {end} 不在本期（{dataset.settings.start} 至 {dataset.settings.end}）内",
                           "请填写本期内的日期")
        return replace(dataset, absences=[*dataset.absences, Absence(a[0], start, end, "假设分析")])
    if change.kind == "add":
        if a[0] in dataset.inspector:
            raise BadValue(f"人员编号 {a[0]} 已在执法检查人员名录库中", "请换一个编号")
        if a[2] not in dataset.department:
            raise BadValue(f"部门 {a[2]} 不存在", f"可用的部门：{'、'.join(dataset.department)}")
        if a[3] not in dataset.zone:
            raise BadValue(f"片区 {a[3]} 不存在", f"可用的片区：{'、'.join(dataset.zone)}")
        certified = boolean(a[4]) if len(a) > 4 else True
        columns = TABLE["inspectors"].column  # the same rules as inspectors.csv: no line break, not too long …
        new = Inspector(checked_text(columns("inspector_id"), a[0]), checked_text(columns("name"), a[1]), a[2], a[3],
                        certified)
        return replace(dataset, inspectors=[*dataset.inspectors, new])
    if change.kind == "remove":
        _known_inspector(dataset, a[0])
        if removed(dataset, a[0]):
            raise BadValue(f"人员 {a[0]} 已移出", "同一人员只需移出一次")
        # kept on the roster, away for the whole period: the visits they made (past, locked) stay theirs, named
        # as they were; no random order holds them any more, exactly as if they had never been listed
        gone = Absence(a[0], dataset.settings.start, dataset.settings.end, REMOVED)
        return replace(dataset, absences=[*dataset.absences, gone])
    if change.kind in ("prefer", "avoid"):
        applied.appointments.append(appointment(dataset, change, applied.appointments))
        return dataset
    if change.kind in ("urgent", "missed", "move", "swap"):
        if a[0] not in dataset.business:
            raise BadValue(f"统一社会信用代码 {a[0]} 不在检查对象名录库中", "请核对代码，或先把该对象加入 businesses.csv")
        if change.kind == "missed":
            applied.missed.append(a[0])
            return dataset
        if change.kind in ("move", "swap"):
            applied.hand_edits.append(_hand_edit(dataset, change))
            return dataset
        deadline = iso_date(a[1]) if len(a) > 1 else None
        if deadline is not None and not dataset.settings.start <= deadline <= dataset.settings.end:
            raise BadValue(f"期限 {deadline} 不在本期（{dataset.settings.start} 至 {dataset.settings.end}）内",
                           "请填写本期内的日期，或不写期限")
        applied.urgent[a[0]] = deadline
        return dataset
    if change.kind == "day_minutes":
        _known_inspector(dataset, a[0])
        minutes = day_minutes(a[1])
        return replace(dataset, inspectors=[replace(p, day_minutes=minutes) if p.inspector_id == a[0] else p
                                            for p in dataset.inspectors])
    if change.kind == "ratio":
        if a[0] not in dataset.item:
            raise BadValue(f"抽查事项 {a[0]} 不在抽查事项清单中", "请核对事项编号")
        if a[1].upper() not in RISK_LEVELS:
            raise BadValue(f"风险等级 {a[1]} 不存在", "请填写 A、B、C 或 D")
        value = ratio(a[2])
        return replace(dataset, items=[replace(i, ratios={**i.ratios, a[1].upper(): value}) if i.item_id == a[0]
                                       else i for i in dataset.items])
    key, _, value = a[0].partition("=")
    return replace(dataset, settings=with_setting(dataset.settings, key.strip(), value.strip()))


def _hand_edit(dataset: Dataset, change: Change) -> HandEdit:
    a = change.args
    if change.kind == "move":
        day = iso_date(a[1])
        if day not in dataset.workdays:
            raise BadValue(f"{day} 不是本期的工作日", "请选择本期内的工作日（法定节假日、调休见日历）")
        return HandEdit(a[0], day=day)
    _known_inspector(dataset, a[1])
    _known_inspector(dataset, a[2])
    if dataset.inspector[a[1]].dept_id != dataset.inspector[a[2]].dept_id:
        raise BadValue(f"{a[1]} 与 {a[2]} 不是同一部门的人员", "只能换成同一部门、在随机候选名单内的人员")
    return HandEdit(a[0], out=a[1], into=a[2])


def appointment(dataset: Dataset, change: Change, earlier: list[Appointment]) -> Appointment:
    """'prefer:<credit code>:<from>:<to>' or 'avoid:…' (企业预约): a business of the registry, two dates in order
    and inside the period; the same request twice is refused."""
    code, start, end = change.args[0], iso_date(change.args[1]), iso_date(change.args[2])
    if code not in dataset.business:
        raise BadValue(f"统一社会信用代码 {code} 不在检查对象名录库中", "请核对代码")
    if end < start:
        raise BadValue(f"结束日期 {end} 早于开始日期 {start}", "检查两个日期是否填反")
    settings = dataset.settings
    if end < settings.start or start > settings.end:
        raise BadValue(f"预约 {start} 至 {end} 不在本期（{settings.start} 至 {settings.end}）内", "请填写本期内的日期")
    made = Appointment(code, change.kind, start, end, change.text)
    if any((a.credit_code, a.kind, a.start, a.end) == (code, made.kind, start, end) for a in earlier):
        raise BadValue("同一预约已经登记过", "无需重复登记")
    return made


def removed(dataset: Dataset, inspector_id: str) -> bool:
    """Whether a `remove:` change took the officer off the roster (for every day of the period)."""
    return any(a.reason == REMOVED for a in dataset.absences_by_inspector.get(inspector_id, ()))


def _known_inspector(dataset: Dataset, inspector_id: str) -> None:
    if inspector_id not in dataset.inspector:
        raise BadValue(f"人员编号 {inspector_id} 不在执法检查人员名录库中", "请核对人员编号")

