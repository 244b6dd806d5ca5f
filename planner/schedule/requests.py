"""What each drawn business asks of the schedule: departments, team sizes, minutes and team options."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import combinations, product

from models.dataset import Dataset
from models.records import Business

MAX_TEAM_OPTIONS = 64  # per visit; beyond it, options are taken in the order of the random draw


@dataclass(frozen=True, slots=True)
class TeamOption:
    """One legal team for a visit: members and the working days on which all of them are present."""
    members: tuple[str, ...]  # inspector ids, grouped by department in the visit's department order
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
    options: tuple[TeamOption, ...]
    blocker: str = ""  # why no option exists (简体中文), when options is empty
    urgent: bool = False  # added by the coordinator outside the draw (个案/紧急)

    @property
    def credit_code(self) -> str:
        return self.business.credit_code

    @property
    def dept_ids(self) -> tuple[str, ...]:
        return tuple(self.needs)


def build_request(dataset: Dataset, business: Business, item_ids, shortlists: dict[str, tuple[str, ...]],
                  *, urgent: bool = False) -> VisitRequest:
    """A visit's departments, team sizes and options; `shortlists` maps each department to its shortlist."""
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
    options, blocker = _team_options(dataset, business, needs, candidates)
    return VisitRequest(business, dataset.zone_of_business(business), lead, tuple(i.item_id for i in items),
                        needs, candidates, minutes, options, blocker, urgent)


def _team_options(dataset, business, needs, candidates) -> tuple[tuple[TeamOption, ...], str]:
    for dept_id, need in needs.items():
        if len(candidates[dept_id]) < need:
            return (), _too_few_reason(dataset, business, dept_id, need, len(candidates[dept_id]))
    present = {p: set(dataset.present_days(p)) for ids in candidates.values() for p in ids}
    per_dept = [list(combinations(candidates[d], needs[d])) for d in needs]
    options = []
    for combo in product(*per_dept):
        members = tuple(p for group in combo for p in group)
        days = set.intersection(*(present[p] for p in members))
        if days:
            options.append(TeamOption(members, tuple(sorted(days))))
            if len(options) == MAX_TEAM_OPTIONS:
                break
    if not options:
        names = "、".join(dataset.inspector[p].name for ids in candidates.values() for p in ids)
        return (), f"抽中的检查人员（{names}）在本期没有能凑齐一个检查组的共同在岗工作日"
    return tuple(options), ""


def _too_few_reason(dataset, business, dept_id, need, have) -> str:
    zone = dataset.zone[dataset.zone_of_business(business)].name
    dept = dataset.department[dept_id].name
    mode = dataset.settings.cross_zone
    where = f"{zone}" if mode == "forbid" else f"{zone}及可借调片区"
    return (f"{where}可派的持证{dept}执法人员只有 {have} 名（已排除回避和全期缺勤人员），"
            f"本次检查需要 {need} 名；请增加该部门持证人员、调整 cross_zone 设置或将此事项转为下期")
