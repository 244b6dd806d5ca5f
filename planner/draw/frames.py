"""Frames (抽查对象框) per (item, credit-risk class), their sample sizes, and the drawn pairs."""
from __future__ import annotations

import math
from fractions import Fraction

from models.dataset import Dataset
from models.records import RISK_LEVELS, Item
from planner.draw import prn
from planner.draw.model import DrawnPair, Frame

SAMPLE_SIZE_RULE = "ceil"  # n = ⌈ratio × N⌉, capped at N


def sample_size(ratio: float, frame_size: int) -> int:
    """n = ⌈ratio × N⌉ in exact decimal arithmetic, at most N.

    Ratios in the rules are floors (不低于), so rounding up keeps every class at or above its ratio, and a
    class with a positive ratio and a non-empty frame never rounds down to zero businesses.
    """
    if frame_size <= 0 or ratio <= 0:
        return 0
    exact = Fraction(repr(float(ratio))) * frame_size  # repr: the decimal as written (0.05, not 0.05000…03)
    return min(frame_size, math.ceil(exact))


def frame_codes(dataset: Dataset, item: Item, risk_level: str, capped: frozenset[str] | None = None) -> list[str]:
    """Eligible businesses of `item` in one risk class: its categories, not exempt through the whole period (an
    exemption that lapses inside it leaves the business drawable, visited after the lapse), under the yearly cap.

    `capped` (the item department's businesses at the cap) may be passed in when it is already known."""
    if capped is None:
        capped = capped_codes(dataset, item.dept_id)
    codes = {b.credit_code for category_id in item.category_ids
             for b in dataset.businesses_by_category_risk.get((category_id, risk_level), ())
             if not b.exempt_through(dataset.settings.end) and b.credit_code not in capped}
    return sorted(codes)


def capped_codes(dataset: Dataset, dept_id: str) -> frozenset[str]:
    """Businesses that `dept_id` has already checked yearly_cap times this calendar year (history.csv)."""
    cap = dataset.settings.yearly_cap
    return frozenset(code for (code, dept), count in dataset.checks_this_year.items()
                     if dept == dept_id and count >= cap)


def build_frames(dataset: Dataset, seed: str, coordinated: bool = True) -> list[Frame]:
    """Every stratum's frame in random order: by the business's shared number, or per item when not coordinated."""
    shared = {b.credit_code: prn.business_key(seed, b.credit_code) for b in dataset.businesses}
    frames = []
    capped = {d: capped_codes(dataset, d) for d in sorted({i.dept_id for i in dataset.items})}
    for item in sorted(dataset.items, key=lambda i: i.item_id):
        for risk_level in RISK_LEVELS:
            codes = frame_codes(dataset, item, risk_level, capped[item.dept_id])
            key = shared if coordinated else {c: prn.item_business_key(seed, item.item_id, c) for c in codes}
            frames.append(Frame(item.item_id, item.dept_id, risk_level,
                                sample_size(item.ratios.get(risk_level, 0.0), len(codes)),
                                prn.frame_digest(codes), tuple(prn.random_order(codes, key))))
    return frames


def drawn_pairs(frames: list[Frame]) -> list[DrawnPair]:
    return [DrawnPair(f.item_id, f.dept_id, code, f.risk_level, f.frame_size, f.sample_size, rank)
            for f in frames for rank, code in enumerate(f.sample, start=1)]
