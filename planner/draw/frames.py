"""Frames (抽查对象框) per (item, credit-risk class), their sample sizes, and the drawn pairs."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

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


def item_sample_size(item: Item, risk_level: str, frame_size: int) -> int:
    """The sample of one frame: a fixed count when the list gives one without a ratio ('20户'), at most N;
    otherwise ⌈ratio × N⌉ (sample_size)."""
    if risk_level in item.sample_counts:
        return min(frame_size, item.sample_counts[risk_level])
    return sample_size(item.ratios.get(risk_level, 0.0), frame_size)


class Registry:
    """The businesses as arrays in credit-code order, for frames over a million businesses in vector steps:
    each (category, risk class) as the indices of its businesses, who may be drawn at all this period, and the
    businesses each department has checked yearly_cap times this calendar year."""

    def __init__(self, dataset: Dataset):
        businesses = sorted(dataset.businesses, key=lambda b: b.credit_code)
        self.codes = np.array([b.credit_code for b in businesses], dtype=object)
        end = dataset.settings.end
        self.drawable = np.array([not b.exempt_through(end) for b in businesses], dtype=bool)
        position = {b.credit_code: n for n, b in enumerate(businesses)}
        cells: dict[tuple[str, str], list[int]] = {}
        for n, b in enumerate(businesses):
            cells.setdefault((b.category_id, b.risk_level), []).append(n)
        self.cells = {cell: np.array(indices, dtype=np.int64) for cell, indices in cells.items()}
        self.capped: dict[str, np.ndarray] = {}
        for dept_id in sorted({d for i in dataset.items for d in i.dept_ids}):
            mask = np.zeros(len(businesses), dtype=bool)
            mask[[position[c] for c in capped_codes(dataset, dept_id) if c in position]] = True
            self.capped[dept_id] = mask

    def frame(self, item: Item, risk_level: str) -> np.ndarray:
        """Indices (in credit-code order) of the businesses eligible for `item` in `risk_level`: its categories,
        not exempt through the whole period (an exemption that lapses inside it leaves the business drawable,
        visited after the lapse), not at the yearly cap of the item's department or of a department joining it
        (its officers go on the visit: it counts as that department's check too)."""
        parts = [self.cells[(c, risk_level)] for c in item.category_ids if (c, risk_level) in self.cells]
        indices = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)  # sorted, once each
        capped = np.logical_or.reduce([self.capped[d][indices] for d in item.dept_ids])
        return indices[self.drawable[indices] & ~capped]


def frame_codes(dataset: Dataset, item: Item, risk_level: str) -> list[str]:
    """The credit codes of one frame (Registry.frame), sorted."""
    registry = Registry(dataset)
    return registry.codes[registry.frame(item, risk_level)].tolist()


def capped_codes(dataset: Dataset, dept_id: str) -> frozenset[str]:
    """Businesses that `dept_id` has already checked yearly_cap times this calendar year (history.csv)."""
    cap = dataset.settings.yearly_cap
    return frozenset(code for (code, dept), count in dataset.checks_this_year.items()
                     if dept == dept_id and count >= cap)


def build_frames(dataset: Dataset, seed: str, coordinated: bool = True) -> list[Frame]:
    """Every stratum's frame in random order: by the business's shared number, or per item when not coordinated.

    Orders are those of prn.random_order — by the raw SHA-256 digest (which sorts as its hex text), ties by the
    code — computed as array sorts: the shared numbers are ranked once, and a frame sorts by rank."""
    registry = Registry(dataset)
    rank = np.empty(len(registry.codes), dtype=np.int64)
    if coordinated:
        rank[digest_order([prn.business_digest(seed, c) for c in registry.codes])] = np.arange(len(rank))
    frames = []
    for item in sorted(dataset.items, key=lambda i: i.item_id):
        for risk_level in RISK_LEVELS:
            indices = registry.frame(item, risk_level)
            codes = registry.codes[indices].tolist()
            if coordinated:
                order = indices[np.argsort(rank[indices], kind="stable")]
            else:
                order = indices[digest_order([prn.item_business_digest(seed, item.item_id, c) for c in codes])]
            frames.append(Frame(item.item_id, item.dept_id, risk_level, item_sample_size(item, risk_level, len(codes)),
                                prn.frame_digest(codes), tuple(registry.codes[order].tolist())))
    return frames


def digest_order(digests: list[bytes]) -> np.ndarray:
    """Positions of 32-byte digests in increasing order, ties (never seen) by position: the digest as four
    big-endian 64-bit words, sorted word by word (np.lexsort is stable)."""
    words = np.frombuffer(b"".join(digests), dtype=">u8").reshape(-1, 4)
    return np.lexsort(words.T[::-1]) if len(digests) else np.zeros(0, dtype=np.int64)


def drawn_pairs(frames: list[Frame]) -> list[DrawnPair]:
    return [DrawnPair(f.item_id, f.dept_id, code, f.risk_level, f.frame_size, f.sample_size, rank)
            for f in frames for rank, code in enumerate(f.sample, start=1)]
