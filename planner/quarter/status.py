"""进度: the quarter's figures for the county, each department and 片区, the weekly series behind them, and the
re-checks that found a problem unresolved (rechecks.py).

A visit is done when every item has a result, or when any item's result closes it (无法联系, 已关闭, 已注销: no
second knock). For a department, a visit is done when its own items have results (or the visit is closed). Door
knocks: each done visit is one knock on the business's door; department by department it would have been one
knock per department on it — the difference is what the joint visits saved so far.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from models.dataset import Dataset
from models.period import Period
from models.records import CLOSING_RESULTS, Result
from planner.plan.folder import read_plan
from planner.plan.model import Plan, Visit
from planner.quarter.publication import Due, dues
from planner.quarter.rechecks import RecheckFlag, unresolved_rechecks
from planner.quarter.results import PlanFacts


@dataclass
class Figures:
    """One group's figures; the keys of `status --json` (contract: the quarter after the plan)."""
    visits_planned: int
    visits_done: int
    visits_overdue: int  # dated before today, not done
    joint_visits_done: int  # done with two or more departments
    joint_rate: float | None  # 联合检查率: joint_visits_done / visits_done (None before any visit is done)
    joint_rate_target: float
    completion_rate: float | None  # 计划完成率: visits_done / visits_planned
    results_due: int  # results recorded: each must be published
    results_published: int
    results_published_on_time: int
    results_overdue: int  # not published within publish_within_days working days of the check (late or still not)
    results_overdue_unpublished: int  # of which still not published
    door_knocks: int  # done visits: one knock each
    door_knocks_separately: int  # the same work department by department: one knock per department
    door_knocks_saved: int
    rechecks_planned: int
    rechecks_done: int
    # 部分完成: the county's visits with some results but not all; a department's, done on its side while another
    # department of the joint visit has not reported (the visit counts as done only when every one has)
    visits_partly_done: int = 0

    def to_json(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass
class Status:
    today: date
    county: Figures
    by_dept: dict[str, Figures]
    by_zone: dict[str, Figures]
    by_week: list[dict]  # week_start, planned, done and both cumulated
    publish_within_days: int
    rechecks_unresolved: list[RecheckFlag] = field(default_factory=list)
    deadlines_estimated: int = 0  # publication deadlines counted Monday–Friday (a year the calendar lacks)

    def to_json(self) -> dict:
        return {"today": self.today.isoformat(), **self.county.to_json(),
                "by_dept": {k: f.to_json() for k, f in self.by_dept.items()},
                "by_zone": {k: f.to_json() for k, f in self.by_zone.items()},
                "by_week": self.by_week, "publish_within_days": self.publish_within_days,
                "rechecks_unresolved": [f.to_json() for f in self.rechecks_unresolved],
                "deadlines_estimated": self.deadlines_estimated}


def folder_status(folder: str | Path, today: date, dataset: Dataset | None = None, *,
                  dept_id: str | None = None) -> Status:
    """The figures of the plan in `folder` on `today` (the dataset adds item departments and calendar.csv);
    with `dept_id`, that department's own (quarter_status)."""
    plan = read_plan(folder)
    facts = PlanFacts.of(folder, plan, dataset)
    return quarter_status(plan, today, facts, dataset.calendar if dataset else None, dept_id=dept_id)


def quarter_status(plan: Plan, today: date, facts: PlanFacts, calendar: dict[date, bool] | None = None, *,
                   dept_id: str | None = None) -> Status:
    """The quarter's figures; with `dept_id`, that department's own only (its figures as the headline, its 片区,
    its weeks: what a department's page shows). The figures as they stood on `today`: results checked after
    it, and publications after it, not yet."""
    plan = as_of(plan, today)
    found = results_by_visit(plan.results)
    all_dues = dues(plan, calendar)
    assert plan.record is not None  # read_plan always reads it
    target = plan.record.setting("joint_rate_target")

    def visit_done(visit: Visit) -> bool:
        return done_on(visit, found.get(visit.visit_id, {})) is not None

    def dept_done(dept_id: str):
        def done(visit: Visit) -> bool:
            mine = {i for i in visit.item_ids if facts.dept_of(visit, i) == dept_id}
            return done_on(visit, found.get(visit.visit_id, {}), mine) is not None
        return done

    def item_dept(due: Due) -> str | None:
        return facts.dept_of(due.visit, due.result.item_id)

    def started_only(visit: Visit) -> bool:
        return visit.visit_id in found and not visit_done(visit)

    def dept_figures(d: str, visits: list[Visit]) -> Figures:
        done, ids = dept_done(d), {v.visit_id for v in visits}
        return figures([v for v in visits if d in v.dept_ids], done,
                       [x for x in all_dues if item_dept(x) == d and x.visit.visit_id in ids], today, target,
                       partly=lambda v: done(v) and not visit_done(v))

    county = figures(plan.visits, visit_done, all_dues, today, target, partly=started_only)
    by_dept = {d: dept_figures(d, plan.visits) for d in sorted({d for v in plan.visits for d in v.dept_ids})}
    by_zone = {z: figures([v for v in plan.visits if v.zone_id == z], visit_done,
                          [x for x in all_dues if x.visit.zone_id == z], today, target, partly=started_only)
               for z in sorted({v.zone_id for v in plan.visits})}
    status = Status(today, county, by_dept, by_zone, weekly(plan.visits, found), plan.record.setting("publish_within_days"),
                    unresolved_rechecks(plan, facts.dept_of), sum(d.estimated for d in all_dues))
    if dept_id is None:
        return status
    # a department's own figures only: its visits, its items' results, per 片区 and week as it sees them
    own = [v for v in plan.visits if dept_id in v.dept_ids]
    mine = {v.visit_id: {i for i in v.item_ids if facts.dept_of(v, i) == dept_id} for v in own}
    return Status(today, by_dept.get(dept_id, dept_figures(dept_id, [])), {d: f for d, f in by_dept.items() if d == dept_id},
                  {z: dept_figures(dept_id, [v for v in own if v.zone_id == z]) for z in sorted({v.zone_id for v in own})},
                  weekly(own, found, mine), status.publish_within_days,
                  [f for f in status.rechecks_unresolved if f.dept_id == dept_id],
                  sum(d.estimated for d in all_dues if item_dept(d) == dept_id))


def as_of(plan: Plan, today: date) -> Plan:
    """The plan as it stood on `today`: only results checked by then, published only if published by then."""
    results = [r if r.published_on is None or r.published_on <= today else replace(r, published_on=None)
               for r in plan.results if r.checked_on <= today]
    return replace(plan, results=results)


def outside_period(period: Period, today: date) -> str | None:
    """A sentence saying that `today` lies outside the plan's period (None when inside): results, figures and
    公示 count only what was done by today."""
    if period.start <= today <= period.end:
        return None
    when = "尚未开始" if today < period.start else "已经结束"
    shown = period.label if period.label == period.days_text else f"{period.label}：{period.days_text}"
    return (f"注意：今天（{today.isoformat()}）不在本方案的期间（{shown}）内，期间{when}；"
            f"只计入检查日期不晚于今天的结果。")


def results_by_visit(results: list[Result]) -> dict[str, dict[str, Result]]:
    out: dict[str, dict[str, Result]] = defaultdict(dict)
    for r in results:
        out[r.visit_id][r.item_id] = r
    return dict(out)


def done_on(visit: Visit, found: dict[str, Result], items: set[str] | None = None) -> date | None:
    """The day `items` of the visit (all of them by default) were done: the first closing result's date, or
    the last check's once every item has a result; None while not done."""
    closing = [r.checked_on for r in found.values() if r.result in CLOSING_RESULTS]
    if closing:
        return min(closing)
    wanted = set(visit.item_ids) if items is None else items
    if wanted and wanted <= found.keys():
        return max(found[i].checked_on for i in wanted)
    return None


def figures(visits: list[Visit], done, group_dues: list[Due], today: date, target: float, *,
            partly=lambda visit: False) -> Figures:
    finished = [v for v in visits if done(v)]
    joint = sum(len(v.dept_ids) >= 2 for v in finished)
    separately = sum(len(v.dept_ids) for v in finished)
    rechecks = [v for v in visits if v.kind == "recheck"]
    return Figures(
        visits_planned=len(visits), visits_done=len(finished),
        visits_overdue=sum(v.date < today and not done(v) for v in visits),
        joint_visits_done=joint, joint_rate=joint / len(finished) if finished else None, joint_rate_target=target,
        completion_rate=len(finished) / len(visits) if visits else None,
        results_due=len(group_dues), results_published=sum(d.result.published_on is not None for d in group_dues),
        results_published_on_time=sum(d.on_time for d in group_dues),
        results_overdue=sum(d.late(today) for d in group_dues),
        results_overdue_unpublished=sum(d.late(today) and d.result.published_on is None for d in group_dues),
        door_knocks=len(finished), door_knocks_separately=separately, door_knocks_saved=separately - len(finished),
        rechecks_planned=len(rechecks), rechecks_done=sum(done(v) for v in rechecks),
        visits_partly_done=sum(partly(v) for v in visits))


def weekly(visits: list[Visit], found: dict[str, dict[str, Result]],
           items: dict[str, set[str]] | None = None) -> list[dict]:
    """Visits planned and done per week (Monday first), and both cumulated: the 进度 page's series; `items`
    (visit id -> items) counts a visit done when those are (a department's own)."""
    planned: dict[date, int] = defaultdict(int)
    finished: dict[date, int] = defaultdict(int)
    for v in visits:
        planned[monday(v.date)] += 1
        day = done_on(v, found.get(v.visit_id, {}), None if items is None else items[v.visit_id])
        if day is not None:
            finished[monday(day)] += 1
    weeks = sorted(planned.keys() | finished.keys())
    if not weeks:
        return []
    out, total_planned, total_done, week = [], 0, 0, weeks[0]
    while week <= weeks[-1]:
        total_planned += planned[week]
        total_done += finished[week]
        out.append({"week_start": week.isoformat(), "planned": planned[week], "done": finished[week],
                    "planned_cumulative": total_planned, "done_cumulative": total_done})
        week += timedelta(days=7)
    return out


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
