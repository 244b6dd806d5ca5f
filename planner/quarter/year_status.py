"""status --year: the year over its quarters' plans — per enterprise the checks by each body against the yearly
cap with 频次预警, the year's 联合检查率, 计划完成率, 公示率 and door knocks saved, and the table the year's
enforcement statistics ask for (checks per body and type: 双随机 / 个案 / 整改复查).

A check is one department's done part of a visit (status's rule); history.csv's checks of the year count toward
the cap too (their type is not known: they are listed as 历史记录). 整改复查 are counted but exempt from the cap.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from models.dataset import Dataset
from planner.quarter.results import PlanFacts
from planner.quarter.status import done_on, results_by_visit
from planner.quarter.year import done_checks, read_plans

CHECK_TYPES = {"routine": "双随机", "urgent": "个案", "recheck": "整改复查", "history": "历史记录"}
CAPPED = ("routine", "urgent", "history")


@dataclass
class EnterpriseYear:
    credit_code: str
    name: str
    checks: dict[str, int]  # dept -> checks this year that count toward the cap
    rechecks: int  # 整改复查 (exempt)
    warnings: list[str]  # 频次预警, in words

    def to_json(self) -> dict:
        return {"credit_code": self.credit_code, "name": self.name, "checks_by_dept": self.checks,
                "rechecks": self.rechecks, "bodies": len(self.checks), "warnings": self.warnings}


@dataclass
class YearStatus:
    year: int
    plans: list[str]  # periods read
    yearly_cap: int
    max_bodies: int
    visits_planned: int
    visits_done: int
    joint_visits_done: int
    results_due: int
    results_published: int
    door_knocks: int
    door_knocks_separately: int
    statistics: dict[str, dict[str, int]]  # dept -> check type -> count
    enterprises: list[EnterpriseYear] = field(default_factory=list)  # with a warning, by credit code

    @property
    def joint_rate(self) -> float | None:
        return self.joint_visits_done / self.visits_done if self.visits_done else None

    @property
    def completion_rate(self) -> float | None:
        return self.visits_done / self.visits_planned if self.visits_planned else None

    @property
    def publication_rate(self) -> float | None:
        return self.results_published / self.results_due if self.results_due else None

    def to_json(self) -> dict:
        def rate(x: float | None) -> float | None:
            return None if x is None else round(x, 4)
        return {"year": self.year, "plans": self.plans, "yearly_cap": self.yearly_cap, "max_bodies": self.max_bodies,
                "visits_planned": self.visits_planned, "visits_done": self.visits_done,
                "joint_visits_done": self.joint_visits_done, "joint_rate": rate(self.joint_rate),
                "completion_rate": rate(self.completion_rate), "results_due": self.results_due,
                "results_published": self.results_published, "publication_rate": rate(self.publication_rate),
                "door_knocks": self.door_knocks, "door_knocks_separately": self.door_knocks_separately,
                "door_knocks_saved": self.door_knocks_separately - self.door_knocks,
                "statistics": self.statistics, "frequency_warnings": [e.to_json() for e in self.enterprises]}


def year_status(year: int, folders: list[str | Path], dataset: Dataset | None = None,
                max_bodies: int | None = None) -> YearStatus:
    """The year's figures over the plans in `folders` whose period starts in `year` (a folder of the year's
    plans will do); `max_bodies`: warn when more bodies than this checked one enterprise (the setting
    frequency_warning_bodies by default)."""
    if max_bodies is None:
        max_bodies = dataset.settings.frequency_warning_bodies if dataset else 2
    plans = [(f, p) for f, p in read_plans(folders) if p.saved_record.period.year == year]
    cap = dataset.settings.yearly_cap if dataset else (plans[-1][1].saved_record.draw.parameters.get("yearly_cap", 2)
                                                       if plans else 2)
    stats: dict[str, Counter] = defaultdict(Counter)
    capped: dict[str, Counter] = defaultdict(Counter)
    rechecks: Counter = Counter()
    seen: set[tuple[str, str, object]] = set()  # (business, department, day): history.csv may repeat a check
    planned = done = joint = due = published = knocks = separately = 0
    carried_on = {(c["period"], c["credit_code"], c["kind"] == "recheck") for _, p in plans
                  for c in p.saved_record.previous_quarters.get("carried", [])}  # counted in the plan that carried them
    for folder, plan in plans:
        facts = PlanFacts.of(folder, plan, dataset)
        found = results_by_visit(plan.results)
        for check in done_checks(plan, facts):
            seen.add((check.credit_code, check.dept_id, check.day))
            stats[check.dept_id][CHECK_TYPES[check.kind]] += 1
            if check.kind in CAPPED:
                capped[check.credit_code][check.dept_id] += 1
            else:
                rechecks[check.credit_code] += 1
        finished = [v for v in plan.visits if done_on(v, found.get(v.visit_id, {})) is not None]
        period = plan.saved_record.draw.period
        planned += sum((period, v.credit_code, v.kind == "recheck") not in carried_on or v in finished
                       for v in plan.visits)
        done += len(finished)
        joint += sum(len(v.dept_ids) >= 2 for v in finished)
        knocks, separately = knocks + len(finished), separately + sum(len(v.dept_ids) for v in finished)
        due, published = due + len(plan.results), published + sum(r.published_on is not None for r in plan.results)
    for h in dataset.history if dataset else ():
        if h.date.year == year and (h.credit_code, h.dept_id, h.date) not in seen:
            stats[h.dept_id][CHECK_TYPES["history"]] += 1
            capped[h.credit_code][h.dept_id] += 1
    names = {b.credit_code: b.name for b in dataset.businesses} if dataset else {}
    bodies = {d.dept_id: d.name for d in dataset.departments} if dataset else {}
    return YearStatus(year, [p.saved_record.draw.period for _, p in plans], cap, max_bodies, planned, done, joint, due,
                      published, knocks, separately, {d: dict(sorted(c.items())) for d, c in sorted(stats.items())},
                      frequency_warnings(capped, rechecks, names, bodies, cap, max_bodies))


def frequency_warnings(capped: dict[str, Counter], rechecks: Counter, names: dict[str, str],
                       bodies: dict[str, str], cap: int, max_bodies: int) -> list[EnterpriseYear]:
    """频次预警: an enterprise some body checked `cap` times or more, or more than `max_bodies` bodies checked."""
    out = []
    for code in sorted(capped):
        by_dept = dict(sorted(capped[code].items()))
        words = [f"{bodies.get(dept, dept)} 已检查 {n} 次（上限 {cap}）" for dept, n in by_dept.items() if n >= cap]
        if len(by_dept) > max_bodies:
            words.append(f"{len(by_dept)} 个执法主体检查过（超过 {max_bodies} 个）")
        if words:
            out.append(EnterpriseYear(code, names.get(code, ""), by_dept, rechecks[code], words))
    return out

