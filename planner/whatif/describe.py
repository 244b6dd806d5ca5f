"""What-if changes in words: "市场监督管理局 廖利民 10-12 至 10-14 请假" instead of absent:SJ001:2026-10-12:….

One home for the sentences the app shows (and the CLI's notes may print). A change is described against the
dataset it applies to (the base with the changes before it); an inspector or business the dataset does not know
is named by its code.
"""
from __future__ import annotations

import os
import re
from datetime import date

from models.dataset import Dataset
from models.schema import BadValue, iso_date
from models.settings import SETTING_KEYS
from planner.plan.changes import Change, parse_change

SETTING_WORDS = {  # values whose code means nothing to a coordinator
    "cross_zone": {"forbid": "不得跨片区", "penalty": "尽量不跨片区", "allow": "可以跨片区"},
    "recheck_team": {"same": "优先原检查人员", "different": "换人复查"},
    "shortlist": {"all": "不限（全部人员）"},
    "zone_balance": {"off": "不考虑", "best": "尽量均衡"},
}
SETTING_NAMES = {  # short names of the settings a what-if may change (SETTING_KEYS' meanings are for docs)
    "yearly_cap": "同一部门每年对同一对象的检查上限", "min_certified": "每次检查至少的持证人员数",
    "shortlist": "每部门随机候选人数", "cross_zone": "跨片区规则", "time_limit_s": "求解时限（秒）",
    "lock_days": "锁定的工作日数", "recheck_within_days": "整改期限后完成复查的工作日数", "recheck_team": "复查人员",
    "min_days_between_departments": "两个部门检查同一对象的最短间隔（天）", "quiet_days": "宁静日",
    "zone_balance": "片区间均衡", "loan_zones": "可借调的邻近片区数",
}


def describe_change(dataset: Dataset, text: str) -> str:
    """The change `text` as one sentence (简体中文); a UserError for text that is not a change."""
    change = parse_change(text)
    return _SENTENCES[change.kind](dataset, change)


def dept_short_names(dataset: Dataset) -> dict[str, str]:
    """Department names without the county prefix they all share (常山县市场监督管理局 -> 市场监督管理局)."""
    names = {d.dept_id: d.name for d in dataset.departments}
    prefix = os.path.commonprefix(list(names.values())) if len(names) > 1 else ""
    cut = max(prefix.rfind(mark) for mark in "县市区旗") + 1 if prefix else 0
    return {k: (v[cut:] or v) for k, v in names.items()}


def day_text(day: date) -> str:
    """'10-12': the period is one quarter, the year goes without saying."""
    return day.strftime("%m-%d")


def inspector_text(dataset: Dataset, inspector_id: str) -> str:
    """'市场监督管理局 廖利民' (the department tells two people of one name apart), or the code."""
    person = dataset.inspector.get(inspector_id)
    if person is None:
        return f"人员 {inspector_id}"
    return f"{dept_short_names(dataset).get(person.dept_id, person.dept_id)} {person.name}"


def business_text(dataset: Dataset, credit_code: str) -> str:
    business = dataset.business.get(credit_code)
    return business.name if business else credit_code


def _days(a: str, b: str | None = None) -> str:
    try:
        first = iso_date(a)
        last = iso_date(b) if b is not None else first
    except BadValue:
        return f"{a} 至 {b}" if b is not None else a
    return day_text(first) if first == last else f"{day_text(first)} 至 {day_text(last)}"


def _absent(ds: Dataset, c: Change) -> str:
    return f"{inspector_text(ds, c.args[0])} {_days(c.args[1], c.args[2])} 请假"


def _add(ds: Dataset, c: Change) -> str:
    person_id, name, dept_id, zone_id = c.args[:4]
    dept = dept_short_names(ds).get(dept_id, dept_id)
    zone = ds.zone[zone_id].name if zone_id in ds.zone else zone_id
    uncertified = len(c.args) > 4 and c.args[4].strip().lower() in ("false", "0", "否", "no")
    return f"新增{dept}人员 {name}（{person_id}），{zone}" + ("，无执法证" if uncertified else "")


def _remove(ds: Dataset, c: Change) -> str:
    return f"{inspector_text(ds, c.args[0])}调离，不再安排检查"


def _urgent(ds: Dataset, c: Change) -> str:
    deadline = f"，{_days(c.args[1])} 前完成" if len(c.args) > 1 and c.args[1] else ""
    return f"紧急检查：{business_text(ds, c.args[0])}{deadline}"


def _missed(ds: Dataset, c: Change) -> str:
    return f"{business_text(ds, c.args[0])}的检查未能成行，改排到之后的工作日"


def _move(ds: Dataset, c: Change) -> str:
    return f"{business_text(ds, c.args[0])}的检查改到 {_days(c.args[1])}"


def _swap(ds: Dataset, c: Change) -> str:
    out, into = (ds.inspector[p].name if p in ds.inspector else p for p in c.args[1:])
    return f"{business_text(ds, c.args[0])}的检查由{out}换成{into}"


def _set(ds: Dataset, c: Change) -> str:
    key, _, value = c.args[0].partition("=")
    key, value = key.strip(), value.strip()
    meaning = setting_name(key)
    mode, _, number = value.lower().partition(":")
    words = SETTING_WORDS.get(key, {}).get(mode)
    if key == "zone_balance" and mode == "ratio":
        words = f"最忙与最闲片区人均负荷之比不超过 {number}"
    return f"{meaning}改为：{words or value}"


def setting_name(key: str) -> str:
    if key in SETTING_NAMES:
        return SETTING_NAMES[key]
    return re.split(r"[：， ]", SETTING_KEYS[key].meaning)[0] if key in SETTING_KEYS else key


def _ratio(ds: Dataset, c: Change) -> str:
    item_id, level, value = c.args
    item = ds.item[item_id].name if item_id in ds.item else item_id
    try:
        shown = f"{round(float(value) * 100, 2):g}%"
    except ValueError:
        shown = value
    return f"{item}：{level.upper()}类对象抽查比例改为 {shown}"


def _day_minutes(ds: Dataset, c: Change) -> str:
    return f"{inspector_text(ds, c.args[0])}每天现场检查时间改为 {c.args[1]} 分钟"


def _prefer(ds: Dataset, c: Change) -> str:
    return f"企业预约：{business_text(ds, c.args[0])}希望在 {_days(c.args[1], c.args[2])} 接受检查"


def _avoid(ds: Dataset, c: Change) -> str:
    return f"企业预约：{business_text(ds, c.args[0])}在 {_days(c.args[1], c.args[2])} 不便接受检查"


_SENTENCES = {"absent": _absent, "add": _add, "remove": _remove, "urgent": _urgent, "missed": _missed,
              "move": _move, "swap": _swap, "set": _set, "ratio": _ratio, "day_minutes": _day_minutes,
              "prefer": _prefer, "avoid": _avoid}
