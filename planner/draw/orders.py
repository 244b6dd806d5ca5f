"""The inspector half of 双随机: a random order of a department's eligible officers for each drawn business.

Certified officers only (协管员 are never drawn), 回避 and officers absent the whole period left out; the
business's own 片区 first, then the others (cross_zone = "forbid": own 片区 only). The shortlist the scheduler
may choose from is the head of the order (see `shortlist_length`).
"""
from __future__ import annotations

import math

from models.dataset import Dataset
from models.problems import UserError
from models.records import Business
from planner.draw import prn
from planner.draw.model import DrawnPair


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
    """The full random order of `dept_id`'s eligible officers for one business."""
    if isinstance(business, str):
        if business not in dataset.business:
            raise UserError(f"检查对象名录库中没有统一社会信用代码为 {business} 的对象。")
        business = dataset.business[business]
    return ordered_officers(dataset, seed, business, dept_id)


def shortlist_length(order_length: int, need: int, shortlist: int | None) -> int:
    """min(order, max(shortlist, need)); shortlist None ("all") leaves the whole order to the scheduler."""
    if shortlist is None:
        return order_length
    return min(order_length, max(shortlist, need))


def order_and_shortlist(dataset: Dataset, seed: str, business: Business, dept_id: str,
                        need: int) -> tuple[tuple[str, ...], int]:
    """The order of `dept_id`'s officers for `business` (as far as a shortlist can reach) and the shortlist's
    length, for a visit that needs `need` of them: drawn visits and urgent ones alike."""
    shortlist = dataset.settings.shortlist
    order = ordered_officers(dataset, seed, business, dept_id,
                             math.inf if shortlist is None else max(shortlist, need))
    return order, shortlist_length(len(order), need, shortlist)


def draw_orders(dataset: Dataset, seed: str, pairs: list[DrawnPair]):
    """Per drawn (business, department): the random order and its shortlist length, and figures about them."""
    orders: dict[tuple[str, str], tuple[str, ...]] = {}
    sizes: dict[tuple[str, str], int] = {}
    by_business: dict[str, list[DrawnPair]] = {}
    for pair in pairs:
        by_business.setdefault(pair.credit_code, []).append(pair)
    figures = {"orders": 0, "shortlist_reaches_other_zones": 0, "orders_shorter_than_need": 0}
    for code in sorted(by_business):
        business = dataset.business[code]
        zone = dataset.zone_of_business(business)
        needs = dataset.officers_needed([p.item_id for p in by_business[code]], dataset.lead_dept_of(business))
        for dept_id in sorted(needs):
            order, size = order_and_shortlist(dataset, seed, business, dept_id, needs[dept_id])
            orders[(code, dept_id)], sizes[(code, dept_id)] = order, size
            figures["orders"] += 1
            figures["shortlist_reaches_other_zones"] += any(
                dataset.inspector[i].zone_id != zone for i in order[:size])
            figures["orders_shorter_than_need"] += len(order) < needs[dept_id]
    return orders, sizes, figures
