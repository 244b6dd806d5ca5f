"""双随机: the coordinated, verifiable random draw of businesses (检查对象) and inspectors (执法检查人员).

The draw is a pure function of (public seed, dataset): frames per (item, credit-risk class), sample sizes by
a published rounding rule, a sample taken by permanent random numbers (one per business, shared by every
item, so that departments' samples overlap and one joint visit replaces several door knocks), and a random
order of each department's eligible certified officers for every drawn business. docs/draw.md explains the
method and how anyone re-derives it by hand.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from fractions import Fraction

from models.dataset import Dataset
from models.problems import UserError
from models.records import RISK_LEVELS, Business, Item
from planner import prn
from planner.draw_io import DrawnPair  # part of this module's API (draw.DrawnPair)
from planner.prn import new_seed  # part of this module's API (draw.new_seed)

DRAW_METHOD = "prn-sha256-v1"  # name of the construction in docs/draw.md; changes only with the algorithm
SAMPLE_SIZE_RULE = "ceil"  # n = ⌈ratio × N⌉, capped at N


@dataclass(frozen=True, slots=True)
class Frame:
    """抽查对象框 of one item in one credit-risk class: its eligible businesses, in random order."""
    item_id: str
    dept_id: str
    risk_level: str
    sample_size: int
    sha256: str  # prn.frame_digest of the codes
    codes: tuple[str, ...]  # random order: the first `sample_size` are drawn

    @property
    def frame_size(self) -> int:
        return len(self.codes)

    @property
    def sample(self) -> tuple[str, ...]:
        return self.codes[:self.sample_size]

    def summary(self) -> dict:
        return {"item_id": self.item_id, "dept_id": self.dept_id, "risk_level": self.risk_level,
                "frame_size": self.frame_size, "sample_size": self.sample_size, "sha256": self.sha256}


@dataclass
class Draw:
    seed: str
    pairs: list[DrawnPair]  # sorted by (item_id, risk_level, rank)
    # (credit_code, dept_id) -> eligible officers in random order, through the 片区 group the shortlist ends in
    orders: dict[tuple[str, str], tuple[str, ...]]
    shortlist_size: dict[tuple[str, str], int]  # how many of the order the scheduler may choose from
    frames: list[Frame]  # sorted by (item_id, risk_level)
    parameters: dict
    period: str = ""
    inputs_sha256: dict[str, str] = field(default_factory=dict)
    inspector_zone: dict[str, str] = field(default_factory=dict)  # officer -> 片区, for inspector_orders.csv
    order_figures: dict = field(default_factory=dict)  # orders reaching other 片区, orders too short
    _knocks: dict | None = field(default=None, repr=False)
    _files: dict[str, bytes] | None = field(default=None, repr=False)

    def shortlist(self, credit_code: str, dept_id: str) -> tuple[str, ...]:
        key = (credit_code, dept_id)
        return self.orders.get(key, ())[:self.shortlist_size.get(key, 0)]

    def by_business(self) -> dict[str, list[DrawnPair]]:
        """credit_code -> its drawn pairs: each key is one visit to schedule (综合查一次)."""
        out: dict[str, list[DrawnPair]] = {}
        for pair in self.pairs:
            out.setdefault(pair.credit_code, []).append(pair)
        return {code: out[code] for code in sorted(out)}

    def door_knocks(self) -> dict:
        if self._knocks is None:
            from planner.door_knocks import knocks_of_draw
            self._knocks = knocks_of_draw(self)
        return self._knocks

    def record(self) -> dict:
        """The draw's part of record.json."""
        from planner.draw_io import draw_record
        return draw_record(self)

    def files(self) -> dict[str, bytes]:
        """draw.csv, inspector_orders.csv and frames.csv (the published frames), byte-identical for the same
        inputs and seed (built once)."""
        if self._files is None:
            from planner.draw_io import draw_files
            self._files = draw_files(self)
        return dict(self._files)


# --- frames and sample sizes -----------------------------------------------------------------------

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
    """Eligible businesses of `item` in one risk class: its categories, not exempt, under the yearly cap.

    `capped` (the item department's businesses at the cap) may be passed in when it is already known."""
    if capped is None:
        capped = _capped_codes(dataset, item.dept_id)
    codes = {b.credit_code for category_id in item.category_ids
             for b in dataset.businesses_by_category_risk.get((category_id, risk_level), ())
             if not b.exempt and b.credit_code not in capped}
    return sorted(codes)


def _capped_codes(dataset: Dataset, dept_id: str) -> frozenset[str]:
    """Businesses that `dept_id` has already checked yearly_cap times this calendar year (history.csv)."""
    cap = dataset.settings.yearly_cap
    return frozenset(code for (code, dept), count in dataset.checks_this_year.items()
                     if dept == dept_id and count >= cap)


def build_frames(dataset: Dataset, seed: str, coordinated: bool = True) -> list[Frame]:
    """Every stratum's frame in random order: by the business's shared number, or per item when not coordinated."""
    shared = {b.credit_code: prn.business_key(seed, b.credit_code) for b in dataset.businesses}
    frames = []
    capped = {d: _capped_codes(dataset, d) for d in sorted({i.dept_id for i in dataset.items})}
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


# --- inspector orders ------------------------------------------------------------------------------

def zone_groups(dataset: Dataset, business: Business, dept_id: str):
    """The officers who may inspect `business` for `dept_id`, group by group in the order's sequence.

    With same_zone_first: the business's 片区, then every other 片区 together; otherwise one group. Other
    片区 are left out when cross_zone is "forbid", and anyone under 回避 for the business always is. A
    generator, so that a group nobody will need is never built.
    """
    settings = dataset.settings
    zone = dataset.zone_of_business(business)
    recused = dataset.recused.get(business.credit_code, frozenset())
    by_zone = dataset.drawable_officers.get(dept_id, {})
    same = [i for i in by_zone.get(zone, ()) if i not in recused]
    if settings.cross_zone == "forbid":
        yield same
        return

    def others():
        return [i for z in sorted(by_zone) if z != zone for i in by_zone[z] if i not in recused]

    if settings.same_zone_first:
        yield same
        yield others()
    else:
        yield same + others()


def rank_group(seed: str, business: Business, dept_id: str, officer_ids: list[str]) -> list[str]:
    """Officers by increasing prn.inspector_key(seed, credit_code, dept_id, officer)."""
    key = prn.keyer(seed, business.credit_code, dept_id)  # the same order, with the prefix hashed once
    return [officer_id for _, officer_id in sorted([(key(i), i) for i in officer_ids])]


def ordered_officers(dataset: Dataset, seed: str, business: Business, dept_id: str,
                     enough: float = math.inf) -> tuple[str, ...]:
    """Random order of the officers who may inspect `business` for `dept_id`: zone groups in turn, each in
    the order of the seed's random numbers. Stops after the group that brings the order to `enough`
    officers: later groups could never be shortlisted, and the full order is recomputable from the seed."""
    order: list[str] = []
    for group in zone_groups(dataset, business, dept_id):
        if len(order) >= enough:
            break
        order += rank_group(seed, business, dept_id, group)
    return tuple(order)


def inspector_order(dataset: Dataset, seed: str, business: Business | str, dept_id: str) -> tuple[str, ...]:
    """The full random order of `dept_id`'s eligible officers for one business (also for urgent visits)."""
    if isinstance(business, str):
        if business not in dataset.business:
            raise UserError(f"检查对象名录库中没有统一社会信用代码为 {business} 的对象。")
        business = dataset.business[business]
    return ordered_officers(dataset, seed, business, dept_id)


def officers_needed(dataset: Dataset, pairs: list[DrawnPair], dept_id: str) -> int:
    """Officers of `dept_id` a visit needs: the most any of its items asks for, and the legal minimum of
    certified officers (min_certified) when the department goes alone."""
    need = max(dataset.item[p.item_id].inspectors for p in pairs if p.dept_id == dept_id)
    if len({p.dept_id for p in pairs}) == 1:
        need = max(need, dataset.settings.min_certified)
    return need


def shortlist_length(order_length: int, need: int, shortlist: int | None) -> int:
    """min(order, max(shortlist, need)); shortlist None ("all") leaves the whole order to the scheduler."""
    if shortlist is None:
        return order_length
    return min(order_length, max(shortlist, need))


def draw_orders(dataset: Dataset, seed: str, pairs: list[DrawnPair]):
    orders: dict[tuple[str, str], tuple[str, ...]] = {}
    sizes: dict[tuple[str, str], int] = {}
    by_business: dict[str, list[DrawnPair]] = {}
    for pair in pairs:
        by_business.setdefault(pair.credit_code, []).append(pair)
    figures = {"orders": 0, "shortlist_reaches_other_zones": 0, "orders_shorter_than_need": 0}
    for code in sorted(by_business):
        business = dataset.business[code]
        zone = dataset.zone_of_business(business)
        for dept_id in sorted({p.dept_id for p in by_business[code]}):
            need = officers_needed(dataset, by_business[code], dept_id)
            shortlist = dataset.settings.shortlist
            order = ordered_officers(dataset, seed, business, dept_id,
                                     math.inf if shortlist is None else max(shortlist, need))
            size = shortlist_length(len(order), need, shortlist)
            orders[(code, dept_id)], sizes[(code, dept_id)] = order, size
            figures["orders"] += 1
            figures["shortlist_reaches_other_zones"] += any(
                dataset.inspector[i].zone_id != zone for i in order[:size])
            figures["orders_shorter_than_need"] += len(order) < need
    return orders, sizes, figures


# --- the draw --------------------------------------------------------------------------------------

def draw_parameters(dataset: Dataset, coordinated: bool) -> dict:
    s = dataset.settings
    return {"coordinated": coordinated, "shortlist": "all" if s.shortlist is None else s.shortlist,
            "same_zone_first": s.same_zone_first, "cross_zone": s.cross_zone, "yearly_cap": s.yearly_cap,
            "min_certified": s.min_certified, "sample_size_rule": SAMPLE_SIZE_RULE, "method": DRAW_METHOD}


def draw(dataset: Dataset, seed: str | None = None, *, coordinated: bool = True) -> Draw:
    """Draw businesses per (item, risk class) and inspector orders per (business, department).

    The seed is `seed`, else the dataset's settings.seed, else a new one (printed to stderr)."""
    if seed is None:
        seed = dataset.settings.seed
    if seed is None:
        seed = new_seed()
        print(f"已生成新的公开随机种子：{seed}", file=sys.stderr)
    seed = str(seed)
    frames = build_frames(dataset, seed, coordinated)
    pairs = drawn_pairs(frames)
    orders, sizes, order_figures = draw_orders(dataset, seed, pairs)
    officers = {officer for order in orders.values() for officer in order}
    return Draw(seed=seed, pairs=pairs, orders=orders, shortlist_size=sizes, frames=frames,
                parameters=draw_parameters(dataset, coordinated), period=dataset.settings.period,
                inputs_sha256=dict(sorted(dataset.inputs_sha256.items())),
                inspector_zone={i: dataset.inspector[i].zone_id for i in sorted(officers)},
                order_figures=order_figures)


def door_knocks(dataset: Dataset, draw: Draw) -> dict:
    """Visits after merging against separate departments' independent draws, and the floor (see door_knocks.py)."""
    return draw.door_knocks()


def cli_draw(args) -> int:
    from planner.draw_io import write_draw_folder
    from models.loader import load_dataset

    dataset = load_dataset(args.dataset)
    seed = (args.seed or "").strip() or dataset.settings.seed
    if not seed:
        seed = new_seed()
        print(f"未指定随机种子，已生成：{seed}（已写入 record.json，请公开）")
    result = draw(dataset, seed)
    write_draw_folder(result, args.out)
    knocks = result.door_knocks()
    print(f"随机种子：{result.seed}")
    print(f"抽中 {len(result.pairs)} 项（事项×对象），合并后需上门 {knocks['visits_merged']} 家次；"
          f"各部门独立抽取分别上门约 {knocks['independent']['visits_separate_departments']:.1f} 家次，"
          f"减少 {knocks['saving_percent']:.1f}%。")
    print(f"已写入 {args.out}：draw.csv、inspector_orders.csv、frames.csv、record.json")
    return 0
