"""集成改一次: which problems are still to be put right, and which of them call for a joint re-check — the one
rule the scheduler, verify, the 整改通知单 and `status` follow.

The latest result of each (business, item) decides; on one day a re-check comes after the check it follows up.
It is open when it is a problem to put right by a deadline (`Result.to_rectify`: 责令改正, or 发现问题待后续处理
with a deadline). An open result of a first visit (routine or urgent) calls for one joint re-check per business.
A re-check that finds 未发现问题 closes the item. A re-check's own problems stay open (the notice shows the new
deadline) but never call for another re-check by themselves: the coordinator decides (移送案件线索, or a further
deadline and a visit of their own).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Generic, Protocol, TypeVar

from models.records import Result

RECHECK = "recheck"  # the visit kind of a joint re-check (models.records.VISIT_KINDS)


class VisitLike(Protocol):
    """What the rule needs of a visit (planner.plan.model.Visit has it)."""
    @property
    def visit_id(self) -> str: ...
    @property
    def credit_code(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def inspector_ids(self) -> tuple[str, ...]: ...


V = TypeVar("V", bound=VisitLike)


@dataclass(frozen=True)
class Finding(Generic[V]):
    """One result and the visit it was recorded for."""
    visit: V
    result: Result

    @property
    def order(self) -> tuple[date, bool, str]:
        """Later check last; on one day a re-check comes after the check it follows up."""
        return self.result.checked_on, self.visit.kind == RECHECK, self.visit.visit_id


@dataclass(frozen=True, slots=True)
class RecheckNeed:
    """A joint re-check the results call for."""
    credit_code: str
    item_ids: tuple[str, ...]  # the items whose problems are to be put right
    deadline: date  # the latest rectification deadline of those items
    first_team: tuple[str, ...]  # who went on the first visit


def latest_findings(visits: list[V], results: list[Result]) -> dict[tuple[str, str], Finding[V]]:
    """(credit code, item) -> its latest result; results of visits not in `visits` are ignored."""
    by_id = {v.visit_id: v for v in visits}
    latest: dict[tuple[str, str], Finding[V]] = {}
    for r in results:
        visit = by_id.get(r.visit_id)
        if visit is None:
            continue
        key, found = (visit.credit_code, r.item_id), Finding(visit, r)
        if key not in latest or found.order > latest[key].order:
            latest[key] = found
    return latest


def open_rectifications(visits: list[V], results: list[Result]) -> dict[str, list[Finding[V]]]:
    """credit code -> the items still to be put right (by deadline, then item), for each business that has any."""
    out: dict[str, list[Finding[V]]] = defaultdict(list)
    for (code, _), found in sorted(latest_findings(visits, results).items()):
        if found.result.to_rectify:
            out[code].append(found)
    return {code: sorted(items, key=lambda f: (f.result.rectify_by or date.max, f.result.item_id))
            for code, items in out.items()}


def recheck_needs(visits: list[V], results: list[Result]) -> list[RecheckNeed]:
    """The re-checks the results call for, one per business, by credit code: its open items found by a first
    visit, their latest deadline and that visit's team."""
    out = []
    for code, findings in open_rectifications(visits, results).items():
        first = [f for f in findings if f.visit.kind != RECHECK]
        if first:
            deadline = max(f.result.rectify_by for f in first if f.result.rectify_by is not None)
            out.append(RecheckNeed(code, tuple(sorted(f.result.item_id for f in first)), deadline,
                                   first[0].visit.inspector_ids))
    return out


def recheck_need_before(visits: list[V], results: list[Result], credit_code: str, day: date) -> RecheckNeed | None:
    """The re-check a business was called for by the results checked before `day` (what a re-check on `day`
    answers: its own results, and any later, do not count)."""
    earlier = [r for r in results if r.checked_on < day]
    return next((need for need in recheck_needs(visits, earlier) if need.credit_code == credit_code), None)
