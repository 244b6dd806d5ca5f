"""The inspector half of 双随机: a random order of a department's eligible officers for each drawn business.

Certified officers only (协管员 are never drawn), 回避 and officers absent the whole period left out. The order
runs group by group: the business's own 片区 first, then the others (cross_zone = "forbid": own 片区 only) —
together in one random group, or, when balance between 片区 is asked for (zone_balance), 片区 by 片区, nearest
hub first. Within a group officers follow the seed's random numbers (prn.inspector_key). The shortlist the
scheduler may choose from is the head of the order (`shortlist` officers, or as many as the visit needs) and,
with zone balance, the first officer of each of the next `loan_zones` 片区 and of every further 片区 that counts the
business's 片区 among its own nearest (Dataset.lenders_back: loans go both ways): random loans the scheduler can
reach when balance needs one.
"""
from __future__ import annotations

import math
from collections.abc import Iterator

from models.dataset import Dataset
from models.problems import UserError
from models.records import Business
from planner.draw import prn
from planner.draw.model import DrawnPair


def zone_groups(dataset: Dataset, business: Business, dept_id: str) -> Iterator[tuple[str | None, list[str]]]:
    """The officers who may inspect `business` for `dept_id`, group by group in the order's sequence, each with
    its 片区 when a group is one 片区 (a generator, so that a group nobody will need is never built)."""
    settings = dataset.settings
    zone = dataset.zone_of_business(business)
    recused = dataset.recused.get(business.credit_code, frozenset())
    by_zone = dataset.drawable_officers.get(dept_id, {})

    def officers(zones) -> list[str]:
        return [i for z in zones for i in by_zone.get(z, ()) if i not in recused]

    others = [z for z in dataset.nearest_zones.get(zone, sorted(by_zone)) if z in by_zone]
    if settings.cross_zone == "forbid":
        yield zone, officers([zone])
    elif not settings.same_zone_first:
        yield None, officers([zone, *sorted(others)])
    elif settings.zone_balance.mode == "off":
        yield zone, officers([zone])
        yield None, officers(sorted(others))
    else:
        yield zone, officers([zone])
        for other in others:
            yield other, officers([other])


def rank_group(seed: str, business: Business, dept_id: str, officer_ids: list[str]) -> list[str]:
    """Officers by increasing prn.inspector_key(seed, credit_code, dept_id, officer)."""
    key = prn.keyer(seed, business.credit_code, dept_id)  # the same order, with the prefix hashed once
    return [officer_id for _, officer_id in sorted([(key(i), i) for i in officer_ids])]


def inspector_order(dataset: Dataset, seed: str, business: Business | str, dept_id: str) -> tuple[str, ...]:
    """The full random order of `dept_id`'s eligible officers for one business."""
    if isinstance(business, str):
        if business not in dataset.business:
            raise UserError(f"检查对象名录库中没有统一社会信用代码为 {business} 的对象。")
        business = dataset.business[business]
    return tuple(officer for _, group in zone_groups(dataset, business, dept_id)
                 for officer in rank_group(seed, business, dept_id, group))


def shortlist_length(order_length: int, need: int, shortlist: int | None) -> int:
    """The head of the order a visit may take its team from: min(order, max(shortlist, need)); shortlist None
    ("all") leaves the whole order to the scheduler."""
    if shortlist is None:
        return order_length
    return min(order_length, max(shortlist, need))


def order_and_shortlist(dataset: Dataset, seed: str, business: Business, dept_id: str,
                        need: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The order of `dept_id`'s officers for `business` (through the last group the shortlist reaches) and its
    shortlist for a visit that needs `need` of them: drawn visits, urgent ones and re-checks alike."""
    settings = dataset.settings
    head = math.inf if settings.shortlist is None else max(settings.shortlist, need)
    balanced = settings.zone_balance.mode != "off"
    loans = settings.loan_zones if balanced else 0
    lenders = dataset.lenders_back.get((dept_id, dataset.zone_of_business(business)), frozenset()) \
        if balanced else frozenset()
    waiting = set(lenders)  # 片区 that lend back, not reached yet
    order: list[str] = []
    chosen: list[str] = []
    for zone, group in zone_groups(dataset, business, dept_id):
        if len(chosen) >= head and loans == 0 and not waiting:
            break
        waiting.discard(zone)
        if not group:
            continue
        ranked = rank_group(seed, business, dept_id, group)
        if len(chosen) < head:
            chosen += ranked[:int(min(head - len(chosen), len(ranked)))]
        elif loans > 0 or zone in lenders:  # a neighbouring 片区's random loan candidate
            chosen.append(ranked[0])
            loans = max(loans - 1, 0)
        order += ranked
    return tuple(order), tuple(chosen)


def draw_orders(dataset: Dataset, seed: str, pairs: list[DrawnPair]):
    """Per drawn (business, department): the random order and its shortlist, and figures about them."""
    orders: dict[tuple[str, str], tuple[str, ...]] = {}
    shortlists: dict[tuple[str, str], tuple[str, ...]] = {}
    by_business: dict[str, list[DrawnPair]] = {}
    for pair in pairs:
        by_business.setdefault(pair.credit_code, []).append(pair)
    figures = {"orders": 0, "shortlist_reaches_other_zones": 0, "orders_shorter_than_need": 0}
    for code in sorted(by_business):
        business = dataset.business[code]
        zone = dataset.zone_of_business(business)
        needs = dataset.officers_needed([p.item_id for p in by_business[code]], dataset.lead_dept_of(business))
        for dept_id in sorted(needs):
            order, chosen = order_and_shortlist(dataset, seed, business, dept_id, needs[dept_id])
            orders[(code, dept_id)], shortlists[(code, dept_id)] = order, chosen
            figures["orders"] += 1
            figures["shortlist_reaches_other_zones"] += any(dataset.inspector[i].zone_id != zone for i in chosen)
            figures["orders_shorter_than_need"] += len(order) < needs[dept_id]
    return orders, shortlists, figures
