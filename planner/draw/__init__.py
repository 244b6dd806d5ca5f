"""双随机: the coordinated, verifiable random draw of businesses (检查对象) and inspectors (执法检查人员).

The draw is a pure function of (public seed, dataset): frames per (item, credit-risk class), sample sizes by
a published rounding rule, a sample taken by permanent random numbers (one per business, shared by every
item, so that departments' samples overlap and one joint visit replaces several door knocks), and a random
order of each department's eligible certified officers for every drawn business. docs/draw.md explains the
method and how anyone re-derives it by hand.
"""
from __future__ import annotations

from models.dataset import Dataset
from planner.draw.frames import SAMPLE_SIZE_RULE, build_frames, drawn_pairs
from planner.draw.model import Draw, DrawnPair, Frame
from planner.draw.orders import draw_orders
from planner.draw.year import QuarterShare, share_frames

DRAW_METHOD = "prn-sha256-v1"  # name of the construction in docs/draw.md; changes only with the algorithm

__all__ = ["DRAW_METHOD", "Draw", "DrawnPair", "Frame", "draw", "draw_parameters"]


def draw_parameters(dataset: Dataset, coordinated: bool) -> dict:
    s = dataset.settings
    return {"coordinated": coordinated, "shortlist": "all" if s.shortlist is None else s.shortlist,
            "same_zone_first": s.same_zone_first, "cross_zone": s.cross_zone, "yearly_cap": s.yearly_cap,
            "min_certified": s.min_certified, "zone_balance": str(s.zone_balance), "loan_zones": s.loan_zones,
            "sample_size_rule": SAMPLE_SIZE_RULE, "method": DRAW_METHOD, "ratio_basis": s.ratio_basis}


def draw(dataset: Dataset, seed: str, *, coordinated: bool = True, share: QuarterShare | None = None) -> Draw:
    """Draw businesses per (item, risk class) and inspector orders per (business, department) from `seed`
    (chosen by prn.choose_seed). With `share` (ratio_basis = "year"), the businesses are the quarter's share of
    the annual plan, by the year's seed (planner.draw.year); the officers still follow `seed`."""
    seed = str(seed)
    frames = share_frames(dataset, share) if share is not None else build_frames(dataset, seed, coordinated)
    pairs = drawn_pairs(frames)
    orders, shortlists, order_figures = draw_orders(dataset, seed, pairs)
    officers = {officer for order in orders.values() for officer in order}
    parameters = draw_parameters(dataset, coordinated) | ({"annual": share.to_json()} if share is not None else {})
    return Draw(seed=seed, pairs=pairs, orders=orders, shortlists=shortlists, frames=frames,
                parameters=parameters, period=dataset.settings.period.text,
                inputs_sha256=dict(sorted(dataset.inputs_sha256.items())),
                inspector_zone={i: dataset.inspector[i].zone_id for i in sorted(officers)},
                order_figures=order_figures)
