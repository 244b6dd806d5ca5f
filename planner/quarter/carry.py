"""Results carried from the plan in force into the plan that replaces it (the app's 采用: a scenario adopted as the
county's plan), as a re-plan carries them: through the results merge, one line in results_log.csv and one link in
the commitment chain.

A result is carried only onto the same visit as it happened: same visit, same day, same team, the item in it.
Where the new plan moved, re-staffed or dropped a visit that has a result meanwhile, it no longer matches what
happened, and nothing is carried (ResultsRefused names each such visit: re-plan from the plan in force).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from models.problems import Problem
from models.records import Result
from planner.plan import commitment
from planner.plan.folder import RESULTS_FILE, plan_files, read_plan
from planner.plan.model import Plan, Visit
from planner.quarter.results import ResultFile, ResultsRefused, merge_results, save_results


@dataclass(frozen=True)
class Carried:
    results: int  # results added or corrected
    published: int  # publication dates (结果公示) carried onto results already there


def carry_results(folder: str | Path, source: Plan, *, source_label: str, user: str, now: datetime) -> Carried:
    """The results of `source` that the plan in `folder` lacks (or holds otherwise), merged into it."""
    plan = read_plan(folder)
    have = {(r.visit_id, r.item_id): r for r in plan.results}
    wanted = [r for r in source.results if have.get((r.visit_id, r.item_id)) != r]
    if not wanted:
        return Carried(0, 0)
    problems = mismatches(plan, source, wanted)
    if problems:
        raise ResultsRefused(problems)
    data = plan_files(replace(plan, results=wanted))[RESULTS_FILE]
    label = f"{source_label}（转入的检查结果）"
    merged = merge_results(plan.results, [ResultFile(label, hashlib.sha256(data).hexdigest(), None,
                                                     list(enumerate(wanted, 2)))], user, now)
    published = {(r.visit_id, r.item_id): r.published_on for r in wanted if r.published_on is not None}
    results = [replace(r, published_on=published[(r.visit_id, r.item_id)])
               if r.published_on is None and (r.visit_id, r.item_id) in published else r for r in merged.results]
    dated = sum(a != b for a, b in zip(results, merged.results))
    plan.results, plan.results_log = results, [*plan.results_log, *merged.entries]
    save_results(folder, plan, commitment.results_event([hashlib.sha256(data).hexdigest()]))
    return Carried(sum(e.added + e.changed for e in merged.entries), dated)


def mismatches(plan: Plan, source: Plan, results: list[Result]) -> list[Problem]:
    """Each result whose visit the new plan holds differently from the plan it happened on."""
    ours = {v.visit_id: v for v in plan.visits}
    theirs = {v.visit_id: v for v in source.visits}
    problems, seen = [], set()
    for r in results:
        visit, was = ours.get(r.visit_id), theirs.get(r.visit_id)
        why = _difference(visit, was, r)
        if why and r.visit_id not in seen:
            seen.add(r.visit_id)
            known = was or visit
            name = known.business_name if known else r.visit_id
            problems.append(Problem(RESULTS_FILE, None, "visit_id", r.visit_id, f"{name}：{why}",
                                    "在采用中的方案（含这些结果）的基础上重新排程，再采用新的情景"))
    return problems


def _difference(visit: Visit | None, was: Visit | None, result: Result) -> str:
    if visit is None or was is None:
        return "这次检查已有结果，但新方案中没有这次检查"
    if visit.date != was.date or set(visit.inspector_ids) != set(was.inspector_ids):
        return "这次检查已有结果，新方案却改了它的日期或人员"
    if result.item_id not in visit.item_ids:
        return f"这次检查已有事项 {result.item_id} 的结果，新方案中却没有这个事项"
    return ""
