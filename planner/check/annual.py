"""verify for ratio_basis = "year": a quarter against the annual plan (年度抽查计划) it drew its share of."""
from __future__ import annotations

from models.dataset import Dataset
from planner.draw.year import QuarterShare, left_the_frame

MAX_NAMED = 5


def recorded_share(parameters: dict) -> QuarterShare | None:
    """The quarter's share as record.json keeps it (draw parameters → annual), None under ratio_basis = period."""
    annual = parameters.get("annual")
    return QuarterShare.from_json(annual) if isinstance(annual, dict) else None


def annual_findings(recorded: QuarterShare | None, published: QuarterShare) -> list[str]:
    """The recorded share against the annual plan's folder: the same plan (digest), year, quarter and slices."""
    if recorded is None:
        return ["[年度计划] 本方案按本期比例抽取（ratio_basis = period），不是年度抽查计划的季度份额"]
    findings = []
    if recorded.annual_sha256 != published.annual_sha256:
        findings.append(f"[年度计划] 本方案依据的年度抽查计划摘要为 {recorded.annual_sha256[:16]}…，"
                        f"给出的年度抽查计划为 {published.annual_sha256[:16]}…：不是同一份计划")
    if (recorded.year, recorded.quarter, recorded.seed) != (published.year, published.quarter, published.seed):
        findings.append(f"[年度计划] 年份、季度或年度种子与年度抽查计划不符（记录 {recorded.year} 年第 {recorded.quarter} 季度）")
    for key in sorted(set(recorded.slices) | set(published.slices)):
        mine, theirs = recorded.slices.get(key, ()), published.slices.get(key, ())
        if mine != theirs:
            findings.append(f"[年度计划] 事项 {key[0]} 风险等级 {key[1]}：本季度份额与年度抽查计划不符"
                            f"（记录 {len(mine)} 家，计划 {len(theirs)} 家）")
    return findings


def left_frame_notes(dataset: Dataset, share: QuarterShare | None) -> list[str]:
    """Businesses of the share no longer in their frame: not drawn, not replaced (said, not a finding)."""
    if share is None:
        return []
    return [f"事项 {item} 风险等级 {risk}：年度计划本季度份额中 {len(codes)} 家已不在对象框中（未抽取、不递补）："
            + "、".join(codes[:MAX_NAMED]) + (" 等" if len(codes) > MAX_NAMED else "")
            for (item, risk), codes in sorted(left_the_frame(dataset, share).items())]
