"""The scheduling problem: what each visit asks for (departments, team sizes, minutes, candidates, days).

One request per drawn business (综合查一次: all its drawn items in one visit), plus the coordinator's urgent
visits. Candidates always come from the draw's random shortlists — the scheduler never looks outside them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.dataset import Dataset
from models.problems import UserError
from models.records import Business
from planner.draw import Draw
from planner.draw.orders import order_and_shortlist

Placement = tuple[date, tuple[str, ...]]  # a visit's date and team in the plan being revised


@dataclass(frozen=True, slots=True)
class Team:
    """A visit's chosen team and the working days on which all of its members are present."""
    members: tuple[str, ...]
    days: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class VisitRequest:
    """One joint visit (综合查一次) to schedule: every drawn item at one business."""
    business: Business
    zone_id: str
    lead_dept_id: str
    item_ids: tuple[str, ...]
    needs: dict[str, int]  # dept_id -> officers of that department on the team (Dataset.officers_needed)
    candidates: dict[str, tuple[str, ...]]  # dept_id -> the draw's shortlist, in draw order
    minutes: int
    blocker: str = ""  # why no legal team can exist (简体中文); empty when one may
    urgent: bool = False  # added by the coordinator outside the draw (个案/紧急)

    @property
    def credit_code(self) -> str:
        return self.business.credit_code

    @property
    def dept_ids(self) -> tuple[str, ...]:
        return tuple(self.needs)

    def all_candidates(self) -> list[str]:
        return [p for people in self.candidates.values() for p in people]


def build_request(dataset: Dataset, business: Business, item_ids, shortlists: dict[str, tuple[str, ...]],
                  *, urgent: bool = False) -> VisitRequest:
    """A visit's departments, team sizes and candidates; `shortlists` maps each department to its shortlist."""
    item_ids = tuple(sorted(set(item_ids)))
    lead = dataset.lead_dept_of(business)
    needs = dataset.officers_needed(item_ids, lead)
    items = [dataset.item[i] for i in item_ids]
    # departments check side by side and the team arrives and leaves together
    minutes = max(sum(i.minutes for i in items if i.dept_id == d) for d in needs)
    candidates = {d: tuple(shortlists.get(d, ())) for d in needs}
    blocker = next((_too_few_reason(dataset, business, d, needs[d], len(candidates[d]))
                    for d in needs if len(candidates[d]) < needs[d]), "")
    return VisitRequest(business, dataset.zone_of_business(business), lead, item_ids, needs, candidates, minutes,
                        blocker, urgent)


def visit_requests(dataset: Dataset, draw: Draw, urgent: list[str] | None = None) -> list[VisitRequest]:
    """One request per drawn business (all its drawn items), plus the coordinator's urgent visits."""
    requests = []
    for code, pairs in draw.by_business().items():
        shortlists = {p.dept_id: draw.shortlist(code, p.dept_id) for p in pairs}
        requests.append(build_request(dataset, dataset.business[code], [p.item_id for p in pairs], shortlists))
    drawn = {r.credit_code for r in requests}
    for code in urgent or []:
        if code not in drawn:
            requests.append(urgent_request(dataset, draw.seed, code))
    return requests


def urgent_request(dataset: Dataset, seed: str, credit_code: str) -> VisitRequest:
    """An added urgent visit: every item of its category; inspectors still from the seed's random orders."""
    business = dataset.business.get(credit_code)
    if business is None:
        raise UserError(f"紧急检查的统一社会信用代码 {credit_code} 不在检查对象名录库（businesses.csv）中")
    items = [i.item_id for i in dataset.items_by_category.get(business.category_id, [])]
    if not items:
        raise UserError(f"{business.name} 的行业 {business.category_id} 没有适用的抽查事项，无法安排检查")
    needs = dataset.officers_needed(items, dataset.lead_dept_of(business))
    shortlists = {}
    for dept_id, need in needs.items():
        order, size = order_and_shortlist(dataset, seed, business, dept_id, need)
        shortlists[dept_id] = order[:size]
    return build_request(dataset, business, items, shortlists, urgent=True)


def common_days(dataset: Dataset, members) -> tuple[date, ...]:
    """Working days on which every member is present."""
    return tuple(sorted(frozenset(dataset.workdays).intersection(*(dataset.presence[p] for p in members))))


def _too_few_reason(dataset, business, dept_id, need, have) -> str:
    zone = dataset.zone[dataset.zone_of_business(business)].name
    dept = dataset.department[dept_id].name
    where = zone if dataset.settings.cross_zone == "forbid" else f"{zone}及可借调片区"
    return (f"{where}可派的持证{dept}执法人员只有 {have} 名（已排除回避和全期缺勤人员），"
            f"本次检查需要 {need} 名；请增加该部门持证人员、调整 cross_zone 设置或将此事项转为下期")
