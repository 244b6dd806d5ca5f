"""The scheduling problem: what each visit asks for (departments, team sizes, minutes, candidates, days).

One request per drawn business (综合查一次: all its drawn items in one visit), plus the coordinator's urgent
visits. Candidates always come from the draw's random shortlists — the scheduler never looks outside them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from models.dataset import Dataset
from models.problems import UserError
from models.records import Business
from planner.draw import Draw
from planner.draw.orders import order_and_shortlist
from planner.schedule.day_rules import VisitFacts, allowed_days, day_rules, no_day_reason

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
    days: tuple[date, ...]  # the working days its day rules allow (day_rules)
    blocker: str = ""  # why no legal team or day can exist (简体中文); empty when one may
    kind: str = "routine"  # routine (drawn) | urgent (added by a change) | recheck (集成改一次)
    facts: VisitFacts | None = None  # what its day rules were derived from
    preferred: frozenset[str] = frozenset()  # a re-check's officers of choice (continuity, or a fresh pair of eyes)
    late: str = ""  # a re-check placed after its window closed: why (简体中文)

    @property
    def credit_code(self) -> str:
        return self.business.credit_code

    @property
    def visit_id(self) -> str:
        return f"{'R' if self.kind == 'recheck' else 'V'}{self.business.credit_code}"

    @property
    def dept_ids(self) -> tuple[str, ...]:
        return tuple(self.needs)

    def all_candidates(self) -> list[str]:
        return [p for people in self.candidates.values() for p in people]


def build_request(dataset: Dataset, business: Business, item_ids, shortlists: dict[str, tuple[str, ...]],
                  *, kind: str = "routine", not_before: date | None = None,
                  not_after: date | None = None) -> VisitRequest:
    """A visit's departments, team sizes, candidates (`shortlists`: department -> its shortlist) and the days its
    day rules allow; `not_before`/`not_after` bound its date (first unlocked day, a deadline)."""
    item_ids = tuple(sorted(set(item_ids)))
    lead = dataset.lead_dept_of(business)
    needs = dataset.officers_needed(item_ids, lead)
    # departments check side by side (a joining department alongside the item's own) and the team arrives and
    # leaves together
    minutes = max(dataset.minutes_on_site(item_ids, d) for d in needs)
    candidates = {d: tuple(shortlists.get(d, ())) for d in needs}
    facts = VisitFacts(business.credit_code, item_ids, tuple(needs), kind, not_before, not_after)
    rules = day_rules(dataset, facts)
    days = allowed_days(dataset.workdays, rules)
    blocker = next((_too_few_reason(dataset, business, d, needs[d], len(candidates[d]))
                    for d in needs if len(candidates[d]) < needs[d]), "") or ("" if days else no_day_reason(rules, dataset.workdays))
    return VisitRequest(business, dataset.zone_of_business(business), lead, item_ids, needs, candidates, minutes,
                        days, blocker, kind, facts)


def visit_requests(dataset: Dataset, draw: Draw, urgent: dict[str, date | None] | None = None, *,
                   not_before: date | None = None, skip: frozenset[str] = frozenset()) -> list[VisitRequest]:
    """One request per drawn business (all its drawn items), plus the coordinator's urgent visits (credit code
    -> deadline or None); none for the businesses in `skip` (visits a re-plan keeps as they are)."""
    requests = []
    for code, pairs in draw.by_business().items():
        if code in skip:
            continue
        shortlists = {d: draw.shortlist(code, d) for p in pairs for d in dataset.item[p.item_id].dept_ids}
        requests.append(build_request(dataset, dataset.business[code], [p.item_id for p in pairs], shortlists,
                                      not_before=not_before))
    drawn = set(draw.by_business()) | skip
    for code, deadline in sorted((urgent or {}).items()):
        if code not in drawn:
            requests.append(urgent_request(dataset, draw.seed, code, not_before=not_before, not_after=deadline))
    return requests


def urgent_request(dataset: Dataset, seed: str, credit_code: str, *, not_before: date | None = None,
                   not_after: date | None = None) -> VisitRequest:
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
        shortlists[dept_id] = order_and_shortlist(dataset, seed, business, dept_id, need)[1]
    return build_request(dataset, business, items, shortlists, kind="urgent", not_before=not_before,
                         not_after=not_after)


def week_of(day: date) -> tuple[int, int]:
    return day.isocalendar()[:2]


@dataclass
class Held:
    """What visits kept as they are (a re-plan's pinned visits) already hold, so that only the others are
    modelled: each officer's visits and minutes, each inspector-day's minutes and town, each 片区-week's visits."""
    visits: Counter[str] = field(default_factory=Counter)
    minutes: Counter[str] = field(default_factory=Counter)
    day_minutes: Counter[tuple[str, date]] = field(default_factory=Counter)
    day_town: dict[tuple[str, date], str] = field(default_factory=dict)
    zone_week: Counter[tuple[str, tuple[int, int]]] = field(default_factory=Counter)
    zone_visits: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, requests: list[VisitRequest], placements: dict[int, Placement]) -> Held:
        held = cls()
        for r, (day, team) in sorted(placements.items()):
            request = requests[r]
            held.zone_week[request.zone_id, week_of(day)] += 1
            held.zone_visits[request.zone_id] += 1
            for p in team:
                held.visits[p] += 1
                held.minutes[p] += request.minutes
                held.day_minutes[p, day] += request.minutes
                held.day_town[p, day] = request.business.town_id
        return held

    def room(self, dataset: Dataset, request: VisitRequest, team, day: date) -> bool:
        """Whether every member still has the minutes and is in no other town that day."""
        town = request.business.town_id
        return all(self.day_minutes[p, day] + request.minutes <= dataset.inspector[p].day_minutes
                   and self.day_town.get((p, day), town) == town for p in team)


def common_days(request: VisitRequest, presence: dict[str, frozenset[date]], members) -> tuple[date, ...]:
    """The request's allowed days on which every member is present."""
    return tuple(day for day in request.days if all(day in presence[p] for p in members))


def _too_few_reason(dataset, business, dept_id, need, have) -> str:
    zone = dataset.zone[dataset.zone_of_business(business)].name
    dept = dataset.department[dept_id].name
    where = zone if dataset.settings.cross_zone == "forbid" else f"{zone}及可借调片区"
    return (f"{where}可派的持证{dept}执法人员只有 {have} 名（已排除回避和全期缺勤人员），"
            f"本次检查需要 {need} 名；请增加该部门持证人员、调整 cross_zone 设置或将此事项转为下期")
