"""Every hard rule of a plan, checked independently of the solver that made it (used by `verify`)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date

from models.dataset import Dataset
from models.rectification import recheck_need_before
from planner.draw import Draw
from planner.plan.model import Plan
from planner.schedule.day_rules import VisitFacts, broken_rules, day_rules
from planner.schedule.problem import urgent_request
from planner.schedule.rechecks import recheck_candidates, recheck_window

RULE_NAMES = {"bounds": "期限", "task_window": "时间窗口", "quiet_days": "宁静日", "department_spacing": "部门间隔",
              "exemption_lapse": "免检"}


@dataclass(frozen=True)
class Judge:
    """What some of a plan's visits are judged by: the dataset as planned when they were last free to move (its
    recorded changes applied), its draw and the urgent visits those changes add (credit code -> deadline)."""
    dataset: Dataset
    draw: Draw | None
    urgent: dict[str, date | None]
    rows: tuple[int, ...]  # indices into plan.visits


def check_plan(dataset: Dataset, plan: Plan, draw: Draw | None = None,
               urgent: dict[str, date | None] | None = None, *, kept: list[Judge] = (),
               carried: frozenset[str] = frozenset()) -> list[str]:
    """Broken rules, one sentence each (简体中文) naming the rule and the row; [] when the plan is sound.

    `dataset` is the dataset as planned (recorded what-if changes applied) and `urgent` the urgent visits those
    changes add (credit code -> deadline): nothing is exempted because the plan says so about itself. A re-plan's
    past and locked visits (`kept`: planner.check.versions) are judged by the version of the plan that last
    placed them — every other visit by `dataset` — and the plan as a whole (one visit per business, every drawn
    pair, assignments) by `dataset` and `draw`. `carried`: the visits carried over from earlier quarters, whose
    draw and re-check rules planner.check.carried checks against the earlier plans instead.
    """
    taken = {row for judge in kept for row in judge.rows}
    judges = [Judge(dataset, draw, urgent or {}, tuple(r for r in range(len(plan.visits)) if r not in taken)),
              *kept]
    problems: list[str] = []
    for judge in judges:
        for check in (_visit_rows, _team_rules, _inspector_days):
            problems += check(judge.dataset, plan, judge.rows)
    problems += _one_visit_per_business(plan) + _assignments_match(plan)
    for judge in judges:
        problems += _day_rules(judge.dataset, plan, judge.rows, judge.urgent)
    if draw is not None:
        problems += _draw_covered(plan, draw)
        for judge in judges:
            if judge.draw is not None:
                rows = tuple(r for r in judge.rows if plan.visits[r].visit_id not in carried)
                problems += _shortlists(replace(judge, rows=rows), plan) + _rechecks(judge.dataset, plan, judge.draw, rows)
    return problems


def _row(index: int) -> str:
    return f"visits.csv 第{index + 2}行"


def _visit_rows(dataset: Dataset, plan: Plan, rows: tuple[int, ...]) -> list[str]:
    workdays = set(dataset.workdays)
    out = []
    for i, v in _visits(plan, rows):
        if v.date not in workdays:
            out.append(f"[工作日] {_row(i)}：{v.date} 不是本期的工作日（法定节假日/调休日历）")
        business = dataset.business.get(v.credit_code)
        if business is None:
            out.append(f"[名录] {_row(i)}：{v.credit_code} 不在检查对象名录库中")
            continue
        if v.town_id != business.town_id or v.zone_id != dataset.zone_of_business(business):
            out.append(f"[名录] {_row(i)}：{business.name} 的乡镇或片区与名录不一致")
    return out


def _day_rules(dataset: Dataset, plan: Plan, rows: tuple[int, ...], urgent: dict[str, date | None]) -> list[str]:
    """Task windows, quiet days, spacing between departments, exemptions, deadlines: planner.schedule.day_rules."""
    out = []
    for i, v in _visits(plan, rows):
        deadline = urgent.get(v.credit_code) if v.kind == "urgent" else None
        facts = VisitFacts(v.credit_code, v.item_ids, v.dept_ids, v.kind, not_after=deadline)
        out += [f"[{RULE_NAMES.get(rule.name, rule.name)}] {_row(i)}：{v.date} 不符合：{rule.words}"
                for rule in broken_rules(v.date, day_rules(dataset, facts))]
    return out


def _team_rules(dataset: Dataset, plan: Plan, rows: tuple[int, ...]) -> list[str]:
    s = dataset.settings
    out = []
    for i, v in _visits(plan, rows):
        team = [dataset.inspector.get(p) for p in v.inspector_ids]
        if None in team:
            out.append(f"[人员] {_row(i)}：检查组中有不在执法检查人员名录库中的人员")
            continue
        depts = Counter(p.dept_id for p in team)
        for item_id in v.item_ids:
            item = dataset.item.get(item_id)
            if item is not None and depts[item.dept_id] < item.inspectors:
                out.append(f"[部门到场] {_row(i)}：事项 {item_id} 需要 {item.inspectors} 名"
                           f"{dataset.department[item.dept_id].name}人员，检查组只有 {depts[item.dept_id]} 名")
            out += [f"[配合部门] {_row(i)}：事项 {item_id} 的配合部门{dataset.department[d].name}应派人参加，检查组中没有"
                    for d in (item.co_dept_ids if item is not None else ()) if depts[d] < 1]
        certified = sum(p.certified for p in team)
        if certified < s.min_certified:
            out.append(f"[持证人数] {_row(i)}：检查组只有 {certified} 名持证执法人员，至少需要 {s.min_certified} 名")
        for p in team:
            if (p.inspector_id, v.credit_code) in dataset.conflict_pairs:
                out.append(f"[回避] {_row(i)}：{p.name} 与 {v.business_name} 有回避关系，不得参加该检查")
            if not dataset.is_present(p.inspector_id, v.date):
                out.append(f"[缺勤] {_row(i)}：{p.name} 在 {v.date} 不在岗")
            if s.cross_zone == "forbid" and p.zone_id != v.zone_id:
                out.append(f"[片区] {_row(i)}：cross_zone = forbid，但 {p.name} 属于其他片区")
    return out


def _inspector_days(dataset: Dataset, plan: Plan, rows: tuple[int, ...]) -> list[str]:
    """Minutes and towns per inspector-day (a day's visits are all judged together: the version that judges a
    visit depends on its day only)."""
    minutes = defaultdict(int)
    towns = defaultdict(set)
    for _, v in _visits(plan, rows):
        for p in v.inspector_ids:
            minutes[p, v.date] += v.minutes
            towns[p, v.date].add(v.town_id)
    out = []
    for (p, day), total in sorted(minutes.items()):
        inspector = dataset.inspector.get(p)
        if inspector and total > inspector.day_minutes:
            out.append(f"[每日时长] {inspector.name} 在 {day} 现场检查 {total} 分钟，超过每日上限 {inspector.day_minutes} 分钟")
    for (p, day), t in sorted(towns.items()):
        if len(t) > 1:
            out.append(f"[一日一镇] {p} 在 {day} 去了 {len(t)} 个乡镇（{'、'.join(sorted(t))}）")
    return out


def _one_visit_per_business(plan: Plan) -> list[str]:
    counts = Counter(v.credit_code for v in plan.visits if v.kind != "recheck")
    out = [f"[进一次门] {code} 在本期有 {n} 次检查，应合并为一次" for code, n in sorted(counts.items()) if n > 1]
    both = counts.keys() & {u.credit_code for u in plan.unscheduled if u.kind != "recheck"}
    out += [f"[进一次门] {code} 既已排程又列入未排程清单" for code in sorted(both)]
    return out


def _rechecks(dataset: Dataset, plan: Plan, draw: Draw, rows: tuple[int, ...]) -> list[str]:
    """集成改一次: each re-check answers the results that call for it — those departments, after the latest
    deadline and within recheck_within_days (or later, marked late with the reason, when its window closed
    before it could be placed), staffed from the business's random order or its first team. The results it
    answers are those checked before it: its own (a closing 未发现问题 among them) come after."""
    out = []
    for i, v in _visits(plan, rows):
        if v.kind != "recheck":
            continue
        need = recheck_need_before(plan.visits, plan.results, v.credit_code, v.date)
        if need is None:
            out.append(f"[复查] {_row(i)}：{v.credit_code} 的检查结果中没有需要复查的整改事项")
            continue
        if set(v.item_ids) != set(need.item_ids):
            out.append(f"[复查] {_row(i)}：复查事项应为 {'、'.join(need.item_ids)}（发现问题的事项）")
        first, last = recheck_window(dataset.workdays, dataset.settings, need.deadline)
        if v.date < first or (v.date > last and not v.late):
            out.append(f"[复查] {_row(i)}：复查日期应在整改期限 {need.deadline} 之后、{last} 之前"
                       + ("（逾期的复查须在 visits.csv 的 late 列写明原因）" if v.date > last else ""))
        elif v.late and v.date <= last:
            out.append(f"[复查] {_row(i)}：标为逾期复查（late），但 {v.date} 在复查期限 {last} 之内")
        candidates = recheck_candidates(dataset, draw.seed, need)
        out += [f"[复查] {_row(i)}：{p} 既不在随机候选名单内，也不是首次检查的人员" for p in v.inspector_ids
                if p not in candidates.get(dataset.inspector[p].dept_id if p in dataset.inspector else "", ())]
    return out


def _assignments_match(plan: Plan) -> list[str]:
    from_visits = {(v.visit_id, p) for v in plan.visits for p in v.inspector_ids}
    from_rows = {(a.visit_id, a.inspector_id) for a in plan.assignments}
    by_id = {v.visit_id: v for v in plan.visits}
    out = [f"[人员安排] assignments.csv 缺少 {vid} 的 {p}" for vid, p in sorted(from_visits - from_rows)]
    out += [f"[人员安排] assignments.csv 多出 {vid} 的 {p}" for vid, p in sorted(from_rows - from_visits)]
    for i, a in enumerate(plan.assignments):
        v = by_id.get(a.visit_id)
        if v and (a.date != v.date or a.credit_code != v.credit_code or a.town_id != v.town_id):
            out.append(f"[人员安排] assignments.csv 第{i + 2}行：日期、企业或乡镇与 visits.csv 不一致")
    return out


def _draw_covered(plan: Plan, draw: Draw) -> list[str]:
    """Every drawn (item, business) is in exactly one visit or unscheduled (a re-check is neither: it follows
    the results)."""
    visited = {(i, v.credit_code) for v in plan.visits if v.kind != "recheck" for i in v.item_ids}
    left = {(i, u.credit_code) for u in plan.unscheduled if u.kind != "recheck" for i in u.item_ids}
    out = []
    for pair in draw.pairs:
        key = (pair.item_id, pair.credit_code)
        if (key in visited) == (key in left):
            where = "都有" if key in visited else "都没有"
            out.append(f"[抽取全覆盖] 抽中的 {pair.item_id} / {pair.credit_code} 在 visits.csv 与 unscheduled.csv 中{where}")
    return out


def _shortlists(judge: Judge, plan: Plan) -> list[str]:
    """Teams come from the shortlists — the draw's, or for an urgent visit its own random order from the same
    seed."""
    dataset, draw = judge.dataset, judge.draw
    drawn = {p.credit_code for p in draw.pairs}
    urgent_lists = {code: urgent_request(dataset, draw.seed, code).candidates for code in judge.urgent
                    if code not in drawn}
    out = []
    for i, v in _visits(plan, judge.rows):
        if v.kind == "recheck":
            continue  # checked against the results that call for it (_rechecks)
        if v.credit_code not in drawn and v.credit_code not in urgent_lists:
            out.append(f"[双随机] {_row(i)}：{v.credit_code} 既未被抽中，也不是记录的紧急检查")
            continue
        for p in v.inspector_ids:
            dept = dataset.inspector[p].dept_id if p in dataset.inspector else ""
            shortlist = urgent_lists[v.credit_code].get(dept, ()) if v.credit_code in urgent_lists \
                else draw.shortlist(v.credit_code, dept)
            if p not in shortlist:
                out.append(f"[双随机] {_row(i)}：{p} 不在该企业{dept}部门的随机候选名单内")
    return out


def _visits(plan: Plan, rows: tuple[int, ...]):
    return ((i, plan.visits[i]) for i in rows)
