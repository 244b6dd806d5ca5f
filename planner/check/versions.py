"""The versions of a plan, for `verify` (docs/commitment.md, "What verify checks").

Each plan or re-plan link of the chain is a version: the dataset it was made on (the base with the changes
recorded up to it, under the recorded draw settings), its draw, and the first day it could place a visit on (its
today and lock_days: planner.plan.locking). A visit is judged by the last version that was free to place it —
the last whose first free day is on or before the visit's day. So a past or locked visit is judged by the version
that placed it, under the data then in force (an absence or a removal recorded since does not make it wrong),
and it must be unchanged since: its leaf is in every later link. Since the version depends on the day alone, all
the visits of an inspector-day are judged together.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from models.dataset import Dataset
from models.problems import UserError
from models.schema import BadValue
from models.settings import with_setting
from planner.check.rules import Judge
from planner.draw import Draw, draw
from planner.draw.year import QuarterShare
from planner.plan import commitment
from planner.plan.changes import Applied, apply_changes
from planner.plan.locking import free_from
from planner.plan.model import Plan
from planner.plan.previous import EarlierQuarters, with_counted_checks
from planner.plan.record import PlanRecord
from planner.plan.visit_code import visit_leaves

DRAW_SETTINGS = ("yearly_cap", "min_certified", "cross_zone", "same_zone_first", "shortlist", "zone_balance",
                 "loan_zones")


@dataclass
class Version:
    """One plan or re-plan link: what it planned with, and from which day it was free to place visits."""
    position: int  # the link's index in the chain (-1: a plan without a chain)
    applied: Applied  # the base with the changes recorded up to this link
    today: date | None
    start: date | None  # the first day it could place a visit on; None: the whole period
    seed: str
    coordinated: bool
    share: QuarterShare | None = None  # ratio_basis = "year": the quarter's share of the annual plan

    @property
    def dataset(self) -> Dataset:
        return self.applied.dataset

    @cached_property
    def draw(self) -> Draw:
        return draw(self.dataset, self.seed, coordinated=self.coordinated, share=self.share)

    def judge(self, rows: tuple[int, ...]) -> Judge:
        return Judge(self.dataset, self.draw, self.applied.urgent, rows)


def with_recorded_settings(dataset: Dataset, recorded: dict) -> Dataset:
    """The dataset with the draw settings the record says were used (parsed as settings.toml would be)."""
    settings = dataset.settings
    for key in DRAW_SETTINGS:
        if key in recorded:
            try:
                settings = with_setting(settings, key, recorded[key], changeable_only=False)
            except BadValue as bad:
                raise UserError(f"record.json 的抽取参数 {key} 无法识别：{bad.message}") from None
    return dataclasses.replace(dataset, settings=settings)


def plan_versions(record: PlanRecord, base: Dataset, quarters: EarlierQuarters | None = None,
                  share: QuarterShare | None = None) -> list[Version]:
    """Every version, first to last; the base's settings are the recorded ones (but those a `set:` change made),
    its history with the earlier quarters' checks (`quarters`), its draw of the quarter's `share`."""
    changed = {text[4:].partition("=")[0].strip() for text in record.changes if text.startswith("set:")}
    fixed = with_recorded_settings(base, {k: v for k, v in record.draw.parameters.items() if k not in changed})
    fixed = with_counted_checks(fixed, quarters)
    coordinated = bool(record.draw.parameters.get("coordinated", True))
    links = [(k, commitment.parse_event(str(link.get("event", "")))) for k, link in enumerate(record.commitment_chain)]
    solving = [(k, event) for k, event in links if event.solves]
    versions: list[Version] = []
    applied, used, start = apply_changes(fixed, []), 0, None
    for k, event in solving:
        applied = apply_changes(fixed, list(event.changes), after=applied)
        used += len(event.changes)
        start = free_from(applied.dataset, event.today, start, first=not versions)
        versions.append(Version(k, applied, event.today, start, record.seed, coordinated, share))
    if used != len(record.changes) or not versions:  # no chain, or one that does not list the changes (reported)
        return [Version(len(record.commitment_chain) - 1, apply_changes(fixed, record.changes), None, None,
                        record.seed, coordinated, share)]
    return versions


def judged_rows(plan: Plan, versions: list[Version]) -> tuple[dict[int, tuple[int, ...]], list[int]]:
    """Version index -> the rows of visits it judges, and the rows of visits dated before any version could place
    them."""
    by_version: dict[int, list[int]] = {}
    early = []
    for row, visit in enumerate(plan.visits):
        free = [n for n, v in enumerate(versions) if v.start is None or v.start <= visit.date]
        if free:
            by_version.setdefault(free[-1], []).append(row)
        else:
            early.append(row)
    return {n: tuple(rows) for n, rows in by_version.items()}, early


def kept_judges(plan: Plan, versions: list[Version]) -> list[Judge]:
    """The judges of the visits an earlier version placed (the last version judges the rest)."""
    groups, _ = judged_rows(plan, versions)
    return [versions[n].judge(rows) for n, rows in sorted(groups.items()) if n < len(versions) - 1]


def kept_findings(record: PlanRecord, plan: Plan, versions: list[Version], dataset: Dataset) -> list[str]:
    """The past and locked visits are those the versions that placed them committed to: each one's leaf is in
    every link since (a visit moved, re-staffed or edited after it was locked is named)."""
    groups, early = judged_rows(plan, versions)
    out = [f"[锁定] visits.csv 第{row + 2}行：{plan.visits[row].date} 早于生成方案时可以安排检查的第一天 "
           f"{versions[0].start}" for row in early]
    sets = commitment.leaf_sets(record.commitment_chain)
    if not record.salt_key or not sets or set(groups) <= {len(versions) - 1}:
        return out  # no leaves, or no visit an earlier version placed
    leaves = visit_leaves(plan.visits, dataset, record.salt_key)
    for n, rows in sorted(groups.items()):
        version = versions[n]
        if n == len(versions) - 1:
            continue  # free to place them: judged by the rules alone
        for row in rows:
            visit = plan.visits[row]
            changed = next((k for k in range(max(version.position, 0), len(sets))
                            if sets[k] is not None and leaves[visit.visit_id] not in sets[k]), None)
            if changed is not None:
                later = next((v for v in versions if v.position >= changed), versions[-1])
                out.append(f"[锁定] visits.csv 第{row + 2}行：{visit.business_name}（{visit.credit_code}）{visit.date} "
                           f"的检查在今天为 {later.today} 的重排时已过去或已锁定（可以调整的第一天为 {later.start}），"
                           "此后却被改动：过去和锁定期内的检查不得改动")
    return out


def previous_findings(record: PlanRecord, previous: Plan, plan: Plan | None, versions: list[Version]) -> list[str]:
    """The previous plan (--previous) must be the one the last re-plan started from — its chain is this chain up
    to the last plan or re-plan link — and its past and locked visits must all be here, unchanged (but those
    this re-plan records as missed, placed again)."""
    chain = record.commitment_chain
    last = versions[-1]
    before = chain[:last.position] if last.position > 0 else []
    theirs = previous.record.commitment_chain if previous.record is not None else []
    if not before:
        return ["[上一版] 该方案不是重排的结果，不需要 --previous。"]
    if theirs != before:
        given = theirs[-1].get("commitment", "") if theirs else "（无承诺链）"
        return [f"[上一版] --previous 指定的方案不是本方案重排所依据的上一版：它的承诺值为 {given}，本方案承诺链记录的"
                f"上一版为 {before[-1].get('commitment', '')}（第 {len(before)} 环）。请指定重排时使用的那个方案文件夹。"]
    if plan is None or last.start is None:
        return []
    missed = set(last.applied.missed[len(versions[-2].applied.missed):]) if len(versions) > 1 else set()
    now = {v.visit_id: v for v in plan.visits}
    out = []
    for visit in previous.visits:
        if visit.date < last.start and visit.credit_code not in missed and now.get(visit.visit_id) != visit:
            what = "被改动" if visit.visit_id in now else "中没有"
            out.append(f"[上一版] {visit.business_name}（{visit.credit_code}）{visit.date} 的检查在上一版中已过去或已锁定"
                       f"（今天为 {last.today}，可以调整的第一天为 {last.start}），本版{what}：过去和锁定期内的检查不得改动")
    return out
