"""What each drawn business asks of the schedule: departments, team sizes, minutes and candidates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.dataset import Dataset
from models.records import Business


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
    needs: dict[str, int]  # dept_id -> officers of that department on the team
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
    items = [dataset.item[i] for i in sorted(set(item_ids))]
    lead = dataset.category[business.category_id].lead_dept_id
    dept_order = sorted({i.dept_id for i in items}, key=lambda d: (d != lead, d))
    needs = {d: max(i.inspectors for i in items if i.dept_id == d) for d in dept_order}
    shortfall = dataset.settings.min_certified - sum(needs.values())
    if shortfall > 0:  # at least two certified officers on site: the lead (or first) department sends more
        needs[dept_order[0]] += shortfall
    # departments check side by side and the team arrives and leaves together
    minutes = max(sum(i.minutes for i in items if i.dept_id == d) for d in dept_order)
    candidates = {d: tuple(shortlists.get(d, ())) for d in dept_order}
    blocker = next((_too_few_reason(dataset, business, d, needs[d], len(candidates[d]))
                    for d in dept_order if len(candidates[d]) < needs[d]), "")
    return VisitRequest(business, dataset.zone_of_business(business), lead, tuple(i.item_id for i in items),
                        needs, candidates, minutes, blocker, urgent)


def common_days(dataset: Dataset, members) -> tuple[date, ...]:
    """Working days on which every member is present."""
    return tuple(sorted(frozenset(dataset.workdays).intersection(*(dataset.presence[p] for p in members))))


def _too_few_reason(dataset, business, dept_id, need, have) -> str:
    zone = dataset.zone[dataset.zone_of_business(business)].name
    dept = dataset.department[dept_id].name
    where = zone if dataset.settings.cross_zone == "forbid" else f"{zone}及可借调片区"
    return (f"{where}可派的持证{dept}执法人员只有 {have} 名（已排除回避和全期缺勤人员），"
            f"本次检查需要 {need} 名；请增加该部门持证人员、调整 cross_zone 设置或将此事项转为下期")
