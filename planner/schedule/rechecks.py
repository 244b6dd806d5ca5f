"""集成改一次: one joint re-check per business whose checks found problems to put right.

From the results: a business whose results carry 责令改正 (or 发现问题待后续处理 with a deadline) from one or more
departments gets one re-check visit, with only those departments, after the latest rectification deadline and
within recheck_within_days working days of it. Re-checks are case-driven: not drawn, not counted toward the
yearly cap, free of quiet days — but every other hard rule holds, and they share the inspectors' days with the
routine visits. Candidates per department: the department's random order for the business (from the seed, as
for any visit) and the officers of the first visit, whom `recheck_team` prefers ("same") or avoids
("different"). Which results call for a re-check is models.rectification's rule (also verify's and the
整改通知单's): a re-check's own results never make another re-check, the coordinator decides (移送 or a new
deadline). A re-check whose window closed before it could be placed is never dropped: it is placed late, as early
as its candidates allow, and says why (Visit.late).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from models.dataset import Dataset
from models.rectification import RecheckNeed
from models.settings import Settings
from planner.draw.orders import order_and_shortlist
from planner.schedule.problem import VisitRequest, build_request


def recheck_window(workdays: list[date], settings: Settings, deadline: date) -> tuple[date, date]:
    """(first day, last day) a re-check may take place: after the deadline, within recheck_within_days of the
    period's working days after it (the period's end when that comes first)."""
    after = [day for day in workdays if day > deadline]
    within = settings.recheck_within_days
    return deadline + timedelta(days=1), after[within - 1] if len(after) >= within else settings.end


def recheck_candidates(dataset: Dataset, seed: str, need: RecheckNeed) -> dict[str, tuple[str, ...]]:
    """Per department: its random order's shortlist for the business, then the first visit's officers."""
    business = dataset.business[need.credit_code]
    candidates = {}
    for dept_id, count in dataset.officers_needed(need.item_ids, dataset.lead_dept_of(business)).items():
        shortlist = order_and_shortlist(dataset, seed, business, dept_id, count)[1]
        earlier = [p for p in need.first_team if p in dataset.inspector and dataset.inspector[p].dept_id == dept_id]
        candidates[dept_id] = tuple(dict.fromkeys([*shortlist, *earlier]))
    return candidates


def recheck_request(dataset: Dataset, seed: str, need: RecheckNeed, workdays: list[date], *,
                    widen: bool = False) -> VisitRequest:
    """The re-check to schedule: its departments, candidates, window (counted on the period's `workdays`; the
    days of `dataset` are those still usable), and the officers it prefers.

    A re-check whose window holds no usable day with enough of its candidates present (the window closed before
    the first unlocked day, or they are away) still happens: late, on the first day after the deadline with
    enough of them present — or, `widen`, on any day from then on (when that first day is full)."""
    candidates = recheck_candidates(dataset, seed, need)
    first, last = recheck_window(workdays, dataset.settings, need.deadline)
    business = dataset.business[need.credit_code]
    request = build_request(dataset, business, need.item_ids, candidates, kind="recheck", not_before=first,
                            not_after=last)
    if not request.blocker and staffed_days(dataset, request):
        return _preferring(dataset, request, need)
    late = build_request(dataset, business, need.item_ids, candidates, kind="recheck", not_before=first)
    days = staffed_days(dataset, late)
    if late.blocker or not days:
        return _preferring(dataset, request, need)  # no later day either: left out, with the window's reason
    why = (f"逾期复查：整改期限 {need.deadline} 后 {dataset.settings.recheck_within_days} 个工作日的复查期限"
           f"（至 {last}）内已没有可以安排的日期（已过去、已锁定或人员不在岗），安排在此后最早可行的日期")
    return _preferring(dataset, replace(late, days=late.days if widen else days[:1], late=why), need)


def staffed_days(dataset: Dataset, request: VisitRequest) -> tuple[date, ...]:
    """The request's days on which every department has as many of its candidates present as it sends."""
    return tuple(day for day in request.days
                 if all(sum(day in dataset.presence.get(p, ()) for p in request.candidates[dept]) >= count
                        for dept, count in request.needs.items()))


def _preferring(dataset: Dataset, request: VisitRequest, need: RecheckNeed) -> VisitRequest:
    everyone = set(request.all_candidates())
    same = everyone & set(need.first_team)
    return replace(request, preferred=frozenset(same if dataset.settings.recheck_team == "same" else everyone - same))
