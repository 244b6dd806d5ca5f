"""Quarters that know each other: what the earlier quarters of the year did, as the next plan uses it.

`plan DATASET --previous-quarter PLAN_DIR …` reads the earlier quarters' plans (planner.quarter.year reads the
folders); this module is what the plan makes of them, as plain data recorded in `record.json →
previous_quarters`:

- the checks that happened (`Check`): every visit done in an earlier quarter, per department whose items have
  results (routine and urgent visits; a 整改复查 is exempt from the cap), joined to history.csv for the yearly cap
  (`with_counted_checks`: a (business, department, day) counts once, whether history.csv lists it too or not);
- the visits carried over (`CarriedVisit`): items planned but not done (overdue or `missed:`) and re-checks still
  open, each placed again in the new quarter with its kind and `carried_from` (the earlier plan's commitment) —
  early, within recheck_within_days working days of its first possible day, unless its own window (a
  rectification deadline still ahead) says later.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date

from models.dataset import Dataset
from models.problems import UserError
from models.records import PastInspection
from models.rectification import RecheckNeed
from planner.draw import Draw
from planner.draw.orders import order_and_shortlist
from planner.plan.model import Visit
from planner.schedule.problem import VisitRequest, build_request
from planner.schedule.rechecks import recheck_request

CAPPED_KINDS = ("routine", "urgent")  # checks that count toward yearly_cap; 整改复查 (recheck) is exempt
OVERDUE, MISSED, OPEN_RECHECK = "overdue", "missed", "open_recheck"
REASON_WORDS = {OVERDUE: "上季度计划未完成", MISSED: "上季度检查组未能前往（missed）", OPEN_RECHECK: "上季度整改复查未完成"}


@dataclass(frozen=True, slots=True)
class Check:
    """One department's on-site check of one business on one day, done in an earlier quarter."""
    credit_code: str
    dept_id: str
    day: date
    kind: str  # routine | urgent | recheck
    period: str  # the earlier quarter, e.g. "2026Q3"

    @property
    def capped(self) -> bool:
        return self.kind in CAPPED_KINDS


@dataclass(frozen=True, slots=True)
class CarriedVisit:
    """Items of an earlier quarter still to be checked, or a re-check still open, carried into this quarter."""
    credit_code: str
    item_ids: tuple[str, ...]
    kind: str  # routine | urgent | recheck: the kind it had
    carried_from: str  # the earlier plan's commitment (record.json → commitment)
    period: str  # the earlier quarter
    reason: str  # OVERDUE | MISSED | OPEN_RECHECK
    deadline: date | None = None  # a re-check's rectification deadline
    first_team: tuple[str, ...] = ()  # a re-check's first visit's officers

    @property
    def is_recheck(self) -> bool:
        return self.kind == "recheck"


@dataclass(frozen=True, slots=True)
class EarlierPlan:
    period: str
    commitment: str


@dataclass
class EarlierQuarters:
    """What the earlier quarters' plans hand to the next one."""
    plans: list[EarlierPlan] = field(default_factory=list)  # by period
    checks: list[Check] = field(default_factory=list)
    carried: list[CarriedVisit] = field(default_factory=list)  # by credit code, kind

    def __bool__(self) -> bool:
        return bool(self.plans)

    def to_json(self) -> dict:
        def row(x) -> dict:
            out = asdict(x)
            return {k: (v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
                    for k, v in out.items()}
        return {"plans": [row(p) for p in self.plans], "checks": [row(c) for c in self.checks],
                "carried": [row(c) for c in self.carried]}

    @classmethod
    def from_json(cls, data: dict, where: str = "record.json") -> EarlierQuarters:
        try:
            return cls([EarlierPlan(p["period"], p["commitment"]) for p in data.get("plans", [])],
                       [Check(c["credit_code"], c["dept_id"], date.fromisoformat(c["day"]), c["kind"], c["period"])
                        for c in data.get("checks", [])],
                       [CarriedVisit(c["credit_code"], tuple(c["item_ids"]), c["kind"], c["carried_from"], c["period"],
                                     c["reason"], date.fromisoformat(c["deadline"]) if c.get("deadline") else None,
                                     tuple(c.get("first_team", ()))) for c in data.get("carried", [])])
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise UserError(f"{where} 的 previous_quarters 格式不对（{error}）；请恢复程序生成的原文件") from None


def check_earlier_periods(earlier: EarlierQuarters, dataset: Dataset) -> None:
    """Earlier plans must be of earlier periods, each once (a UserError says which is not)."""
    start = dataset.settings.start
    seen: set[str] = set()
    for plan in earlier.plans:
        if plan.period in seen:
            raise UserError(f"--previous-quarter 给出了两个 {plan.period} 的方案；每个季度只给一个（最新的一版）")
        seen.add(plan.period)
    for check in earlier.checks:
        if check.day >= start:
            raise UserError(f"--previous-quarter 的方案 {check.period} 有 {check.day} 的检查，不早于本期开始日 "
                            f"{start}：只能给本期之前的季度的方案")


def with_counted_checks(dataset: Dataset, earlier: EarlierQuarters | None) -> Dataset:
    """The dataset whose history also holds the earlier quarters' capped checks of the period's year, each
    (business, department, day) once: the draw's yearly cap then counts what happened."""
    if not earlier:
        return dataset
    year = dataset.settings.period.year
    known = {(h.credit_code, h.dept_id, h.date) for h in dataset.history}
    added = sorted({(c.credit_code, c.dept_id, c.day) for c in earlier.checks
                    if c.capped and c.day.year == year} - known)
    if not added:
        return dataset
    return replace(dataset, history=[*dataset.history, *(PastInspection(code, dept, day) for code, dept, day in added)])


def capped_by_earlier(dataset: Dataset, earlier: EarlierQuarters | None) -> dict[str, list[str]]:
    """dept -> businesses at the yearly cap only because of the earlier quarters' checks (history.csv alone
    leaves them below it): what the cap excludes from this quarter's frames, beyond history.csv."""
    if not earlier:
        return {}
    cap = dataset.settings.yearly_cap
    before, after = dataset.checks_this_year, with_counted_checks(dataset, earlier).checks_this_year
    out: dict[str, list[str]] = {}
    for (code, dept), count in sorted(after.items()):
        if count >= cap > before.get((code, dept), 0):
            out.setdefault(dept, []).append(code)
    return out


def carried_window(workdays: list[date], within: int, not_before: date) -> tuple[date, date] | None:
    """Early in the quarter: from `not_before` through the `within`-th working day on or after it."""
    ahead = [d for d in workdays if d >= not_before]
    if not ahead:
        return None
    return not_before, ahead[min(within, len(ahead)) - 1]


def with_carried(window: Dataset, the_draw: Draw, requests: list[VisitRequest], earlier: EarlierQuarters | None,
                 kept: list[Visit], start: date | None) -> list[VisitRequest]:
    """`requests` with the carried visits added: a carried visit of a business drawn this quarter joins its
    drawn visit (one knock); one a re-plan keeps, or whose items a kept visit holds, is not asked again."""
    if not earlier or not earlier.carried:
        return requests
    first = start or window.settings.start
    held = {(v.credit_code, v.kind == "recheck") for v in kept}
    by_code = {(r.credit_code, r.kind == "recheck"): n for n, r in enumerate(requests)}
    out = list(requests)
    for carried in earlier.carried:
        if (carried.credit_code, carried.is_recheck) in held or carried.credit_code not in window.business:
            continue
        request = _carried_request(window, the_draw, carried, first, out, by_code)
        if request is None:
            continue
        key = (carried.credit_code, carried.is_recheck)
        if key in by_code:
            out[by_code[key]] = request
        else:
            by_code[key] = len(out)
            out.append(request)
    return out


def _carried_request(window: Dataset, the_draw: Draw, carried: CarriedVisit, first: date,
                     requests: list[VisitRequest], by_code: dict) -> VisitRequest | None:
    """The request of one carried visit; a routine one of a business drawn again joins its drawn items."""
    within = window.settings.recheck_within_days
    if carried.is_recheck:
        need = RecheckNeed(carried.credit_code, carried.item_ids, carried.deadline or first, carried.first_team)
        request = recheck_request(window, the_draw.seed, need, window.workdays)
        if need.deadline >= first:  # the rectification deadline is still ahead: its own window
            return request
        span = carried_window(window.workdays, within, first)
        if span is None:
            return request
        early = build_request(window, request.business, request.item_ids, request.candidates, kind="recheck",
                              not_before=span[0], not_after=span[1])
        return replace(early, preferred=request.preferred)
    business = window.business[carried.credit_code]
    joined = requests[by_code[(carried.credit_code, False)]] if (carried.credit_code, False) in by_code else None
    item_ids = tuple(sorted({*carried.item_ids, *(joined.item_ids if joined else ())}))
    needs = window.officers_needed(item_ids, window.lead_dept_of(business))
    shortlists = {d: order_and_shortlist(window, the_draw.seed, business, d, n)[1] for d, n in needs.items()}
    span = carried_window(window.workdays, within, first)
    return build_request(window, business, item_ids, shortlists, kind=joined.kind if joined else carried.kind,
                         not_before=first, not_after=span[1] if span else None)


def carried_candidates(dataset: Dataset, seed: str, visit: Visit, carried: CarriedVisit) -> dict[str, set[str]]:
    """Per department, the officers a carried visit may send: the business's random order's shortlist for the
    visit's items (and, for a re-check, the first visit's officers): verify's rule, the same as the planner's."""
    business = dataset.business[visit.credit_code]
    needs = dataset.officers_needed(visit.item_ids, dataset.lead_dept_of(business))
    out = {d: set(order_and_shortlist(dataset, seed, business, d, n)[1]) for d, n in needs.items()}
    for p in carried.first_team if carried.is_recheck else ():
        if p in dataset.inspector and dataset.inspector[p].dept_id in out:
            out[dataset.inspector[p].dept_id].add(p)
    return out


def carried_for(visit: Visit, earlier: EarlierQuarters | None) -> CarriedVisit | None:
    """The carried entry a visit answers: same business, re-check or not, holding all its items."""
    if not earlier:
        return None
    return next((c for c in earlier.carried if c.credit_code == visit.credit_code
                 and c.is_recheck == (visit.kind == "recheck") and set(c.item_ids) <= set(visit.item_ids)), None)


def mark_carried(visits: list[Visit], earlier: EarlierQuarters | None) -> list[Visit]:
    """Each visit that answers a carried entry names the earlier plan's commitment in `carried_from`; a visit a
    re-plan kept keeps its own."""
    out = []
    for visit in visits:
        carried = None if visit.carried_from else carried_for(visit, earlier)
        out.append(replace(visit, carried_from=carried.carried_from) if carried else visit)
    return out
