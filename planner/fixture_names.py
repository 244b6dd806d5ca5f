"""Realistic names, addresses and 统一社会信用代码 for generated datasets (one `random.Random` in, text out)."""
from __future__ import annotations

import random
from datetime import date

from models.credit_code import ALPHABET, check_character
from planner.fixture_data import (
    FUEL_BRANDS, GIVEN, ROAD_SIDES, ROADS, SITE_KINDS, SURNAMES, TRADE_FIRST, TRADE_SECOND, VILLAGE_FIRST,
    VILLAGE_SECOND, CategorySpec,
)

# 统一社会信用代码 replaced 组织机构代码 from October 2015; older firms kept their 9-character code inside it.
UNIFIED_CODE_SINCE = date(2015, 10, 1)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 check weights
ORG_VALUE = {ch: int(ch, 36) for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def short_name(place: str) -> str:
    """天马街道 -> 天马, 常山县 -> 常山."""
    for suffix in ("街道", "镇", "乡", "县", "区", "市"):
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


def credit_code(rng: random.Random, county_code: str, individual: bool, opened_on: date) -> str:
    """'9' (market supervision) + '1' enterprise / '2' 个体工商户 + county + organisation code + check."""
    first17 = "9" + ("2" if individual else "1") + county_code + organisation_code(rng, opened_on)
    return first17 + check_character(first17)


def organisation_code(rng: random.Random, opened_on: date) -> str:
    """Nine characters whose last is the GB 11714 check: old numeric codes, or the 'MA2…' series since 2015."""
    if opened_on < UNIFIED_CODE_SINCE:
        body = str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(7))
    else:
        body = "MA2" + "".join(ALPHABET[rng.randrange(len(ALPHABET))] for _ in range(5))
    check = 11 - sum(ORG_VALUE[ch] * w for ch, w in zip(body, ORG_WEIGHTS)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def trade_name(rng: random.Random) -> str:
    """字号, e.g. 鑫源."""
    first, second = rng.choice(TRADE_FIRST), rng.choice(TRADE_SECOND)
    return first + second if first != second else first + "源"


def business_name(rng: random.Random, category: CategorySpec, county: str, town: str, individual: bool) -> str:
    if individual:
        owner = trade_name(rng) if rng.random() < 0.5 else _nickname(rng)
        return f"{county}{town}{owner}{rng.choice(category.shop_suffixes)}"
    if category.category_id == "JY":
        if rng.random() < 0.6:
            return f"{rng.choice(FUEL_BRANDS)}{short_name(county)}{trade_name(rng)}加油站"
        return f"{county}{trade_name(rng)}加油站有限公司"
    if category.category_id == "JZ":
        return f"浙江{trade_name(rng)}建设有限公司{short_name(town)}{rng.choice(SITE_KINDS)}项目部"
    prefix = rng.choices((county, short_name(county), "浙江"), weights=(70, 15, 15))[0]
    return f"{prefix}{trade_name(rng)}{rng.choice(category.firm_suffixes)}"


def _nickname(rng: random.Random) -> str:
    """老王, 小李, 阿芳: how a 个体 shop is often named after its owner."""
    if rng.random() < 0.75:
        return rng.choice("老小") + rng.choice(SURNAMES)
    return "阿" + rng.choice(GIVEN)[-1]


def village_names(rng: random.Random, town: str, count: int) -> list[str]:
    """The town's villages: its namesake 村 and `count - 1` others."""
    names = [short_name(town)]
    while len(names) < count:
        name = rng.choice(VILLAGE_FIRST) + rng.choice(VILLAGE_SECOND)
        if name not in names:
            names.append(name)
    return [n + "村" for n in names]


def address(rng: random.Random, town: str, villages: list[str], street: bool) -> str:
    """A 街道 address on a city road; in a 镇/乡 on its main street (`street`) or in one of its villages."""
    if town.endswith("街道"):
        return f"{town}{_road(rng)}{rng.randrange(1, 300)}号"
    if street:
        return f"{town}{short_name(town)}{rng.choice(('街', '路', '中路', '大道'))}{rng.randrange(1, 200)}号"
    return f"{town}{rng.choice(villages)}{rng.randrange(1, 120)}号"


def _road(rng: random.Random) -> str:
    """定阳路 or 定阳北路."""
    road, side = rng.choice(ROADS), rng.choice(ROAD_SIDES)
    return road[:-1] + side + "路" if road.endswith("路") else road
