"""verify for quarters that know each other: the carry-over and the yearly cap against the earlier quarters.

The plan's record lists what it took from the earlier quarters (`previous_quarters`: the plans by commitment,
the checks counted, the visits carried). With the earlier folders (`verify --previous-quarter`), that list is
re-derived from them (planner.quarter.year) and compared; the re-derived draw then uses the re-derived checks.
Every carried entry must be in a visit that names the earlier plan's commitment (`carried_from`), staffed from
the business's random order (a re-check also by its first team), or in unscheduled.csv; no other visit may
claim to be carried. An earlier plan whose folder moved on since (results imported later) is accepted when the
recorded commitment is still in its chain and what it hands on is unchanged.
"""
from __future__ import annotations

from pathlib import Path

from models.dataset import Dataset
from planner.plan.model import Plan
from planner.plan.previous import REASON_WORDS, EarlierQuarters, carried_candidates, carried_for
from planner.quarter.year import read_earlier_quarters, read_plans

MAX_LISTED = 10


def carried_ids(plan: Plan) -> frozenset[str]:
    """The visits that say they are carried over (checked here, not as drawn visits)."""
    return frozenset(v.visit_id for v in plan.visits if v.carried_from)


def rederived_quarters(folders: list[str | Path], dataset: Dataset,
                       recorded: EarlierQuarters) -> tuple[EarlierQuarters, list[str]]:
    """The earlier quarters from their folders, and findings where the record's account of them differs."""
    derived = read_earlier_quarters(folders, dataset)
    chains = {plan.record.draw.period: {link.get("commitment") for link in plan.record.commitment_chain}
              for _, plan in read_plans(folders)}
    findings = []
    given = {p.period for p in derived.plans}
    for plan in recorded.plans:
        if plan.period not in given:
            findings.append(f"[结转] 记录读取了 {plan.period} 的方案（承诺值 {plan.commitment[:16]}…），"
                            "但 --previous-quarter 未给出该季度的方案文件夹")
        elif plan.commitment not in chains.get(plan.period, set()):
            findings.append(f"[结转] {plan.period} 方案的承诺链中没有记录的承诺值 {plan.commitment[:16]}…："
                            "给出的不是本方案读取的那份方案")
    findings += [f"[结转] 给出了 {p} 的方案，但本方案制定时没有读取它" for p in sorted(given - {p.period for p in recorded.plans})]
    findings += _differences("计入年度上限的检查", _check_keys(recorded), _check_keys(derived))
    findings += _differences("结转的检查", _carried_keys(recorded), _carried_keys(derived))
    return derived, findings


def _check_keys(quarters: EarlierQuarters) -> set[str]:
    return {f"{c.credit_code} {c.dept_id} {c.day} {c.kind}" for c in quarters.checks}


def _carried_keys(quarters: EarlierQuarters) -> set[str]:
    return {f"{c.credit_code} {'、'.join(c.item_ids)} {c.kind} {c.period}" for c in quarters.carried}


def _differences(what: str, recorded: set[str], derived: set[str]) -> list[str]:
    out = []
    for words, rows in (("记录中有、按此前季度方案重新推导没有", recorded - derived),
                        ("按此前季度方案重新推导有、记录中没有", derived - recorded)):
        if rows:
            shown = "；".join(sorted(rows)[:MAX_LISTED])
            more = f" 等 {len(rows)} 项" if len(rows) > MAX_LISTED else ""
            out.append(f"[结转] {what}：{words}：{shown}{more}")
    return out


def carried_findings(dataset: Dataset, plan: Plan, seed: str, quarters: EarlierQuarters) -> list[str]:
    """Every carried entry placed (naming its commitment) or listed unscheduled; every visit claiming to be
    carried answers an entry and is staffed from its candidates."""
    findings = []
    unscheduled = {u.credit_code: set(u.item_ids) for u in plan.unscheduled}
    for entry in quarters.carried:
        visit = next((v for v in plan.visits if carried_for(v, _only(quarters, entry))), None)
        what = f"{entry.credit_code} {'、'.join(entry.item_ids)}（{REASON_WORDS.get(entry.reason, entry.reason)}，{entry.period}）"
        if visit is None:
            if not set(entry.item_ids) <= unscheduled.get(entry.credit_code, set()) \
                    and entry.credit_code in dataset.business:
                findings.append(f"[结转] {what} 既未排入本季度，也未列入 unscheduled.csv")
        elif visit.carried_from != entry.carried_from:
            findings.append(f"[结转] {visit.visit_id} 应注明结转自 {entry.carried_from[:16]}…（carried_from），"
                            f"实际为「{visit.carried_from[:16]}」")
    for n, visit in enumerate(plan.visits):
        if not visit.carried_from:
            continue
        entry = carried_for(visit, quarters)
        if entry is None or entry.carried_from != visit.carried_from:
            findings.append(f"[结转] visits.csv 第{n + 2}行：{visit.visit_id} 注明结转，但此前季度没有与之相符的未完成检查")
            continue
        if visit.credit_code not in dataset.business:
            continue
        if entry.is_recheck and entry.deadline and visit.date <= entry.deadline:
            findings.append(f"[结转] visits.csv 第{n + 2}行：复查日期 {visit.date} 不在整改期限 {entry.deadline} 之后")
        candidates = carried_candidates(dataset, seed, visit, entry)
        for p in visit.inspector_ids:
            dept = dataset.inspector[p].dept_id if p in dataset.inspector else ""
            if p not in candidates.get(dept, set()):
                findings.append(f"[结转] visits.csv 第{n + 2}行：{p} 不在该企业{dept}部门的随机候选名单内"
                                + ("，也不是首次检查的人员" if entry.is_recheck else ""))
    return findings


def _only(quarters: EarlierQuarters, entry) -> EarlierQuarters:
    return EarlierQuarters(quarters.plans, [], [entry])
