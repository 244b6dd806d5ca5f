"""What a dataset holds, as tables the CLI prints and the app shows (`python -m planner validate`)."""
from __future__ import annotations

from collections import Counter

import pandas as pd

from models.dataset import Dataset
from models.problems import Problem
from models.records import RISK_LEVELS, Item
from planner.draw.frames import Registry, item_sample_size

PROBLEM_COLUMNS = ["文件", "行", "列", "值", "问题", "修改建议"]


def dataset_summary(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Frames keyed tables, zones, departments, categories; headers in 简体中文."""
    return {"tables": _table_counts(ds), "zones": _zones(ds), "departments": _departments(ds),
            "categories": _categories(ds), "items": _items(ds)}


def _table_counts(ds: Dataset) -> pd.DataFrame:
    rows = [("片区", len(ds.zones)), ("乡镇", len(ds.towns)), ("部门", len(ds.departments)),
            ("行业", len(ds.categories)), ("抽查事项", len(ds.items)), ("检查对象", len(ds.businesses)),
            ("检查人员", len(ds.inspectors)), ("请假", len(ds.absences)), ("回避", len(ds.conflicts)),
            ("历史检查", len(ds.history))]
    return pd.DataFrame(rows, columns=["表", "行数"])


def _zones(ds: Dataset) -> pd.DataFrame:
    businesses = Counter(ds.town[b.town_id].zone_id for b in ds.businesses)
    inspectors = Counter(p.zone_id for p in ds.inspectors)
    certified = Counter(p.zone_id for p in ds.inspectors if p.certified)
    rows = [(z.zone_id, z.name, ds.town[z.hub_town_id].name, len(ds.towns_by_zone.get(z.zone_id, [])),
             businesses[z.zone_id], inspectors[z.zone_id], certified[z.zone_id]) for z in ds.zones]
    return pd.DataFrame(rows, columns=["片区编号", "片区名称", "中心镇", "乡镇数", "检查对象数", "检查人员数", "持证人员数"])


def _departments(ds: Dataset) -> pd.DataFrame:
    items = Counter(i.dept_id for i in ds.items)
    joined = Counter(d for i in ds.items for d in i.co_dept_ids)
    inspectors = Counter(p.dept_id for p in ds.inspectors)
    certified = Counter(p.dept_id for p in ds.inspectors if p.certified)
    rows = [(d.dept_id, d.name, items[d.dept_id], joined[d.dept_id], inspectors[d.dept_id], certified[d.dept_id])
            for d in ds.departments]
    return pd.DataFrame(rows, columns=["部门编号", "部门名称", "抽查事项数", "配合事项数", "检查人员数", "持证人员数"])


def _items(ds: Dataset) -> pd.DataFrame:
    """Each item as read: its departments, its ratio per class as the list wrote it, and the frame each class
    gives on this registry (eligible businesses → drawn), as the draw will compute them."""
    registry = Registry(ds)
    rows = []
    for item in ds.items:
        frames = [len(registry.frame(item, r)) for r in RISK_LEVELS]
        drawn = [item_sample_size(item, r, n) for r, n in zip(RISK_LEVELS, frames, strict=True)]
        rows.append((item.item_id, item.name, ds.department[item.dept_id].name,
                     "、".join(ds.department[d].name for d in item.co_dept_ids) or "—",
                     *(_rate_text(item, r) for r in RISK_LEVELS),
                     " ".join(f"{n}→{k}" for n, k in zip(frames, drawn, strict=True))))
    return pd.DataFrame(rows, columns=["事项编号", "事项名称", "实施部门", "配合部门", *(f"{r}类" for r in RISK_LEVELS),
                                       "对象框→抽取（A B C D）"])


def _rate_text(item: Item, risk_level: str) -> str:
    """'5%', '3%;2次/年', '3户' (a fixed count)."""
    if risk_level in item.sample_counts:
        rate = f"{item.sample_counts[risk_level]}户"
    else:
        rate = f"{item.ratio(risk_level) * 100:g}%"
    frequency = item.per_year.get(risk_level)
    return f"{rate};{frequency}次/年" if frequency else rate


def _categories(ds: Dataset) -> pd.DataFrame:
    """Businesses per category and credit-risk class (exempt ones counted apart: they are in no frame)."""
    counts = Counter((b.category_id, b.risk_level) for b in ds.businesses)
    exempt = Counter(b.category_id for b in ds.businesses if b.exempt)
    rows = []
    for c in ds.categories:
        by_risk = [counts[(c.category_id, r)] for r in RISK_LEVELS]
        rows.append((c.category_id, c.name, ds.department[c.lead_dept_id].name, *by_risk, sum(by_risk),
                     exempt[c.category_id]))
    return pd.DataFrame(rows, columns=["行业编号", "行业名称", "牵头部门", *(f"{r}类" for r in RISK_LEVELS),
                                       "合计", "免检"])


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """One row per problem, for the app's table (columns 文件, 行, 列, 值, 问题, 修改建议)."""
    rows = [(p.file, p.row, p.column or "", p.value, p.message, p.fix) for p in problems]
    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    frame["行"] = frame["行"].astype("Int64")  # whole-file problems have no row
    return frame


def summary_text(ds: Dataset, name: str) -> str:
    s = ds.settings
    frames = dataset_summary(ds)
    counts = "，".join(f"{table} {n}" for table, n in frames["tables"].itertuples(index=False))
    certified = sum(p.certified for p in ds.inspectors)
    exempt = sum(b.exempt for b in ds.businesses)
    lines = [
        f"数据集 {name} 检查通过。",
        f"计划期间：{_period_text(s)}，工作日 {len(ds.workdays)} 天",
        f"数量：{counts}",
        f"其中持证人员 {certified} 人，协管员 {len(ds.inspectors) - certified} 人；免检对象 {exempt} 家",
        "",
        "按片区：",
        _frame_text(frames["zones"]),
        "",
        "按部门：",
        _frame_text(frames["departments"]),
        "",
        "按行业（牵头部门带队检查）：",
        _frame_text(frames["categories"]),
        "",
        "按抽查事项（配合部门随实施部门一同上门；对象框为可抽对象数）：",
        _frame_text(frames["items"]),
    ]
    if ds.notes:
        lines += ["", "读取说明："] + [f"  - {note.file}：{note.message}" for note in ds.notes]
    return "\n".join(lines)


def _period_text(s) -> str:
    days = s.period.days_text
    return days if s.period.quarter is None else f"{s.period}（{days}）"


def _frame_text(frame: pd.DataFrame) -> str:
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200):
        return frame.to_string(index=False)


# --- what cannot be planned -----------------------------------------------------------------------

def plan_shortfall(dataset: Dataset, visits: int, unscheduled) -> str | None:
    """One sentence when most of the period could not be planned (more unscheduled businesses than visits):
    the common cause, in words; None otherwise. `unscheduled`: the plan's Unscheduled rows."""
    unscheduled = list(unscheduled)
    drawn = visits + len(unscheduled)
    if not unscheduled or 2 * len(unscheduled) <= drawn:
        return None
    head = f"本期抽中的 {drawn} 家检查对象中有 {len(unscheduled)} 家未能排程"
    if not any(dataset.presence.values()):
        return f"{head}：所有检查人员在本期的每个工作日都不在岗（见 unavailable.csv 或请假变化），没有人可以派出。"
    causes = Counter(_cause(u.reason) for u in unscheduled)
    cause, count = causes.most_common(1)[0]
    example = next(u.reason for u in unscheduled if _cause(u.reason) == cause)
    return f"{head}，其中 {count} 家的原因是：{example.rstrip('。')}。各家的原因见 unscheduled.csv。"


def _shortage(ds: Dataset, item_ids: list[str], lead_dept_id: str, certified: Counter) -> tuple[str, int] | None:
    """The first department that cannot send what a visit with these items needs (Dataset.officers_needed), and
    its need; None when every department can."""
    needs = ds.officers_needed(item_ids, lead_dept_id)
    return next(((d, n) for d, n in needs.items() if certified[d] < n), None)


def _cause(reason: str) -> str:
    """A reason without the names and numbers that differ between businesses: what it advises."""
    return reason.rpartition("；")[2] or reason


def unsatisfiable(ds: Dataset) -> list[Problem]:
    """Settings and data that no plan can satisfy (validate warns; the plan would leave businesses out)."""
    s, out = ds.settings, []
    where = "设置（settings.toml）"
    present = {p.inspector_id for p in ds.inspectors if ds.presence[p.inspector_id]}
    if s.yearly_cap == 0:
        out.append(Problem(where, None, "yearly_cap", "0", "yearly_cap = 0：每个对象今年都已到检查上限，抽不到任何对象",
                           "通常为 1 或 2"))
    if ds.inspectors and not present:
        out.append(Problem("unavailable.csv", None, None, "", "所有检查人员在本期的每个工作日都不在岗，无法安排任何检查",
                           "检查请假记录的日期，或本期的期间设置"))
        return out  # nothing else matters then
    certified = Counter(p.dept_id for p in ds.inspectors if p.certified and p.inspector_id in present)
    for category in ds.categories:
        shortages = [_shortage(ds, [item.item_id], category.lead_dept_id, certified)
                     for item in ds.items_by_category.get(category.category_id, [])]
        if shortages and all(shortages):
            dept_id, need = shortages[0]
            out.append(Problem(where, None, "min_certified", str(s.min_certified),
                               f"行业「{category.name}」的检查需要{ds.department[dept_id].name}派出 {need} 名持证人员"
                               f"（每次检查至少 {s.min_certified} 名持证人员，不足的由牵头部门补足），该部门在岗的持证人员"
                               f"只有 {certified[dept_id]} 名：这个行业的对象都无法排程",
                               "降低 min_certified（行政处罚法要求至少 2 名），或在这个部门补充持证人员"))
    workdays = [d for d in ds.workdays if d not in s.quiet_days]
    if ds.workdays and not workdays:
        out.append(Problem(where, None, "quiet_days", "", "宁静日覆盖了本期的全部工作日，没有日子可以安排例行检查",
                           "缩小 quiet_days 的范围"))
    for item in ds.items:
        if (item.window_end and item.window_end < s.start) or (item.window_start and item.window_start > s.end):
            out.append(Problem("items.csv", None, "window_end", item.item_id,
                               f"事项 {item.item_id} 的时间窗口不在本期（{s.start} 至 {s.end}）内，抽中的对象都无法排程",
                               "改正任务的开始、截止日期，或把事项移到对应的期间"))
    return out
