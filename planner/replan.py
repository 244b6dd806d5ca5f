"""What-if changes to a dataset, and what a re-plan moved compared with the plan before it."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from models.dataset import Dataset
from models.problems import UserError
from models.records import Absence, Inspector
from planner.plan import Plan

SETTABLE = {"cross_zone": str, "shortlist": int, "min_certified": int, "yearly_cap": int, "time_limit_s": float}


@dataclass
class Change:
    """One coordinator's change. kind: absent | add | remove | urgent | set | ratio | day_minutes."""
    kind: str
    args: tuple[str, ...]
    text: str = field(default="")


def parse_change(text: str) -> Change:
    """'absent:I001:2026-10-12:2026-10-16', 'add:I999:张三:SJ:Z1[:certified]', 'remove:I002',
    'urgent:<credit code>', 'set:cross_zone=forbid', 'ratio:<item>:<A-D>:0.2', 'day_minutes:I001:300'."""
    kind, _, rest = text.partition(":")
    args = tuple(rest.split(":")) if rest else ()
    arity = {"absent": (3,), "add": (4, 5), "remove": (1,), "urgent": (1,), "set": (1,), "ratio": (3,),
             "day_minutes": (2,)}
    if kind not in arity or len(args) not in arity[kind]:
        raise UserError(f"无法识别的变化「{text}」；格式见 `python -m planner plan --help`")
    return Change(kind, args, text)


def apply_changes(dataset: Dataset, changes: list[Change]) -> tuple[Dataset, list[str]]:
    """A new dataset with the changes applied, and the urgent credit codes they add."""
    absences, inspectors = list(dataset.absences), list(dataset.inspectors)
    items, settings, urgent = list(dataset.items), dataset.settings, []
    for change in changes:
        a = change.args
        if change.kind == "absent":
            _known_inspector(dataset, a[0])
            absences.append(Absence(a[0], _day(a[1]), _day(a[2]), "假设分析"))
        elif change.kind == "add":
            if a[0] in dataset.inspector:
                raise UserError(f"新增人员编号 {a[0]} 已在执法检查人员名录库中，请换一个编号")
            if a[2] not in dataset.department or a[3] not in dataset.zone:
                raise UserError(f"新增人员 {a[0]} 的部门 {a[2]} 或片区 {a[3]} 不存在")
            certified = len(a) < 5 or a[4].lower() not in ("false", "0", "否", "uncertified")
            inspectors.append(Inspector(a[0], a[1], a[2], a[3], certified))
        elif change.kind == "remove":
            _known_inspector(dataset, a[0])
            inspectors = [p for p in inspectors if p.inspector_id != a[0]]
        elif change.kind == "urgent":
            urgent.append(a[0])
        elif change.kind == "day_minutes":
            _known_inspector(dataset, a[0])
            minutes = int(_number(a[1], change.text))
            inspectors = [replace(p, day_minutes=minutes) if p.inspector_id == a[0] else p for p in inspectors]
        elif change.kind == "ratio":
            if a[0] not in dataset.item:
                raise UserError(f"抽查事项 {a[0]} 不在抽查事项清单中")
            items = [_with_ratio(i, a[1], _number(a[2], change.text)) if i.item_id == a[0] else i for i in items]
        else:
            settings = _set(settings, a[0])
    changed = replace(dataset, inspectors=inspectors, absences=absences, items=items, settings=settings)
    return changed, urgent


def dataset_as_planned(dataset: Dataset, changes: list[str]) -> Dataset:
    """The base dataset with a plan's recorded what-if changes (record.json → changes) applied."""
    return apply_changes(dataset, [parse_change(c) for c in changes])[0]


def _known_inspector(dataset: Dataset, inspector_id: str) -> None:
    if inspector_id not in dataset.inspector:
        raise UserError(f"人员编号 {inspector_id} 不在执法检查人员名录库中")


def _number(text: str, change: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise UserError(f"「{change}」中的「{text}」不是数字") from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期「{text}」应写成 YYYY-MM-DD") from None


def _with_ratio(item, level: str, value: float):
    if level not in item.ratios or not 0 <= value <= 1:
        raise UserError(f"事项 {item.item_id} 的比例应为 A–D 风险等级上 0–1 之间的数")
    return replace(item, ratios={**item.ratios, level: value})


def _set(settings, assignment: str):
    key, _, value = assignment.partition("=")
    if key not in SETTABLE:
        raise UserError(f"不能在假设分析中修改「{key}」；可修改：{'、'.join(SETTABLE)}")
    if key == "cross_zone" and value not in ("forbid", "penalty", "allow"):
        raise UserError("cross_zone 只能是 forbid、penalty 或 allow")
    if key == "shortlist" and value == "all":
        return replace(settings, shortlist=None)
    try:
        return replace(settings, **{key: SETTABLE[key](value)})
    except ValueError:
        raise UserError(f"「{assignment}」的值无法识别") from None


@dataclass(frozen=True, slots=True)
class Move:
    credit_code: str
    business_name: str
    before_date: date | None
    after_date: date | None
    before_team: tuple[str, ...]
    after_team: tuple[str, ...]
    reason: str


MOVE_COLUMNS = ["credit_code", "business_name", "before_date", "after_date", "before_team", "after_team", "reason"]


def plan_moves(dataset: Dataset, before: Plan, after: Plan) -> list[Move]:
    """Visits whose date or team changed (or that appeared or went), with the rule that forced it."""
    old = {v.credit_code: v for v in before.visits}
    new = {v.credit_code: v for v in after.visits}
    moves = []
    for code in sorted(old.keys() | new.keys()):
        a, b = old.get(code), new.get(code)
        if a and b and a.date == b.date and set(a.inspector_ids) == set(b.inspector_ids):
            continue
        name = (a or b).business_name
        moves.append(Move(code, name, a.date if a else None, b.date if b else None,
                          a.inspector_ids if a else (), b.inspector_ids if b else (), _why(dataset, a, b)))
    return moves


def _why(dataset: Dataset, before, after) -> str:
    if before is None:
        return "新增检查（紧急检查或抽取变化）"
    if after is None:
        return "本次未能排入（见 unscheduled.csv）或已不在抽取结果中"
    for p in before.inspector_ids:
        if p not in dataset.inspector:
            return f"{p} 已移出执法检查人员名录库"
        if not dataset.is_present(p, before.date):
            return f"{dataset.inspector[p].name} 在 {before.date} 不在岗"
        if dataset.settings.cross_zone == "forbid" and dataset.inspector[p].zone_id != before.zone_id:
            return f"cross_zone = forbid：{dataset.inspector[p].name} 不得跨片区"
    return "为给受影响的检查腾出时间而联动调整"
