"""Deterministic generated datasets (`python -m planner fixture`): tiny, a county like 常山县, a city like 衢州.

Every random choice comes from `random.Random` instances seeded with text made of (scale, seed, purpose).
Python's Mersenne Twister and its seeding from text are stable across versions, so one (scale, seed) gives
the same bytes on every machine; each table has its own stream, so changing how one table is made leaves
the others as they were. Rows are dicts of the CSV cells as text, keyed by the contract's English headers.
"""
from __future__ import annotations

import itertools
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import tomli_w

from models.calendar import working_days
from models.problems import UserError
from models.records import RISK_LEVELS
from planner import fixture_data as data
from planner import fixture_names as names
from planner.fixture_data import CategorySpec, CountySpec
from planner.output import atomic_folder, write_csv

SCALES = ("tiny", "county", "city")
SCALE_LABELS = {"tiny": "微型", "county": "县级", "city": "市级"}
PERIOD = "2026Q4"
PERIOD_START, PERIOD_END = date(2026, 10, 1), date(2026, 12, 31)
TINY_START, TINY_END = date(2026, 10, 8), date(2026, 10, 23)  # a short period keeps the schedule model tiny
HISTORY_QUARTERS = ((date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30)),
                    (date(2026, 7, 1), date(2026, 9, 30)))
REGISTRY_END = date(2026, 8, 31)  # the latest 成立日期 in the registry

BUSINESSES_PER_COUNTY = 6000
INSPECTORS_PER_COUNTY = 150
RISK_WEIGHTS = (40, 35, 18, 7)  # A, B, C, D
EXEMPT_SHARE_OF_A = 0.10  # 白名单 / 无事不扰: low-risk firms only
UNCERTIFIED_SHARE = 0.15  # 协管员
URBAN_SPLIT_AT = 5  # a district with this many 街道 gets two urban 片区
ANNUAL_LEAVE_SHARE = 0.18
HISTORY_INTENSITY = 0.5  # earlier quarters were checked at half this quarter's ratios
HISTORY_JOINT_SHARE = 0.4  # multi-department checks that already went together
YEARLY_CAP = 2
CONFLICTS_PER_INSPECTOR = 1 / 15
SPREAD_KM = {"街道": 0.8, "镇": 1.5, "乡": 2.0}  # how far businesses lie from their town's centre

HEADERS = {
    "zones": ("zone_id", "name", "hub_town_id"),
    "towns": ("town_id", "name", "zone_id", "lat", "lon"),
    "departments": ("dept_id", "name"),
    "categories": ("category_id", "name", "lead_dept_id"),
    "items": ("item_id", "dept_id", "name", "category_ids", "ratio_A", "ratio_B", "ratio_C", "ratio_D",
              "minutes", "inspectors"),
    "businesses": ("credit_code", "name", "town_id", "category_id", "risk_level", "lat", "lon", "opened_on",
                   "address", "exempt"),
    "inspectors": ("inspector_id", "name", "dept_id", "zone_id", "certified", "day_minutes"),
    "unavailable": ("inspector_id", "start", "end", "reason"),
    "conflicts": ("inspector_id", "credit_code", "reason"),
    "history": ("credit_code", "dept_id", "date", "inspector_ids"),
}


@dataclass(frozen=True)
class World:
    """What a scale fixes before any randomness: counties, departments, scenarios, items and sizes."""
    scale: str
    counties: tuple[CountySpec, ...]
    dept_ids: tuple[str, ...]
    categories: tuple[CategorySpec, ...]
    category_weights: tuple[float, ...]
    items: tuple[tuple, ...]
    tiers: dict[str, dict[str, float]]
    businesses: dict[str, int]  # county code -> registry size
    inspectors: dict[str, int]  # county code -> staff

    def id_prefix(self, county: CountySpec) -> str:
        return county.abbr if len(self.counties) > 1 else ""


@dataclass(frozen=True)
class Place:
    """A generated town: its row plus what generation needs to know about it."""
    town_id: str
    name: str
    kind: str
    zone_id: str
    lat: float
    lon: float
    weight: float
    county: CountySpec


# --- entry points --------------------------------------------------------------------------------------

def generate(scale: str, seed: int, businesses: int | None = None) -> dict[str, list[dict]]:
    """Table name -> rows; the extra key "settings" holds one dict, the content of settings.toml.

    `businesses` overrides the registry size (spread over the counties like the default), e.g. 100,000 for
    the draw benchmark; staff and the other tables keep their size.
    """
    world = _world(scale, seed, businesses)
    zones, places = _geography(world, seed)
    registry = _businesses(world, places, seed)
    staff = _inspectors(world, places, seed)
    tables = {
        "zones": zones,
        "towns": [_town_row(p) for p in places],
        "departments": _departments(world),
        "categories": [{"category_id": c.category_id, "name": c.name, "lead_dept_id": c.lead_dept_id}
                       for c in world.categories],
        "items": _items(world),
        "businesses": registry,
        "inspectors": staff,
    }
    tables.update(_tiny_events(world, places, registry, staff, seed) if scale == "tiny"
                  else _events(world, places, registry, staff, seed))
    tables["settings"] = [_settings(world, seed)]
    return tables


def write_dataset(folder: str | Path, scale: str, seed: int, businesses: int | None = None) -> dict:
    """Write the dataset's CSV files and settings.toml into `folder`, replacing it whole; return the tables."""
    tables = generate(scale, seed, businesses)
    with atomic_folder(folder) as tmp:
        for stem, header in HEADERS.items():
            write_csv(tmp / f"{stem}.csv", list(header), ([row[c] for c in header] for row in tables[stem]))
        (tmp / "settings.toml").write_bytes(tomli_w.dumps(tables["settings"][0]).encode("utf-8"))
    return tables


def cli_fixture(args) -> int:
    businesses = getattr(args, "businesses", None)
    tables = write_dataset(args.out, args.scale, args.seed, businesses)
    print(summary_line(tables, args.scale, args.seed, args.out))
    return 0


def summary_line(tables: dict, scale: str, seed: int, out) -> str:
    n = {stem: len(rows) for stem, rows in tables.items()}
    exempt = sum(r["exempt"] == "true" for r in tables["businesses"])
    helpers = sum(r["certified"] == "false" for r in tables["inspectors"])
    return (f"已生成{SCALE_LABELS[scale]}数据集（种子 {seed}）→ {out}：片区 {n['zones']}、乡镇街道 {n['towns']}、"
            f"部门 {n['departments']}、行业 {n['categories']}、抽查事项 {n['items']}、"
            f"检查对象 {n['businesses']:,}（白名单 {exempt:,}）、执法人员 {n['inspectors']:,}（协管员 {helpers}）、"
            f"请假 {n['unavailable']:,} 条、回避 {n['conflicts']} 对、今年检查记录 {n['history']:,} 条")


# --- the fixed part -------------------------------------------------------------------------------------

def _world(scale: str, seed: int, businesses: int | None) -> World:
    if scale not in SCALES:
        raise UserError(f"未知的规模「{scale}」，可选 tiny、county、city")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise UserError(f"种子应为整数，而不是「{seed}」")
    if businesses is not None and businesses < 1:
        raise UserError(f"检查对象数量应为正整数，而不是 {businesses}")
    if scale == "tiny":
        counts = data.TINY_CATEGORIES
        categories = tuple(c for c in data.CATEGORIES if c.category_id in counts)
        code = data.CHANGSHAN.code
        return World(scale, (data.CHANGSHAN,), data.TINY_DEPARTMENTS, categories,
                     tuple(counts[c.category_id] for c in categories), data.TINY_ITEMS, data.TINY_RATIO_TIERS,
                     {code: businesses or sum(counts.values())}, {code: sum(map(sum, data.TINY_STAFF.values()))})
    counties = (data.CHANGSHAN,) if scale == "county" else data.CITY_COUNTIES
    shares = [c.share if scale == "city" else 1.0 for c in counties]
    total = businesses or round(BUSINESSES_PER_COUNTY * sum(shares))
    staff = apportion(round(INSPECTORS_PER_COUNTY * sum(shares)), shares)
    return World(scale, counties, tuple(d for d, _, _ in data.DEPARTMENTS), data.CATEGORIES,
                 tuple(c.weight for c in data.CATEGORIES), data.ITEMS, data.RATIO_TIERS,
                 dict(zip((c.code for c in counties), apportion(total, shares))),
                 dict(zip((c.code for c in counties), staff)))


def apportion(total: int, weights) -> list[int]:
    """Split `total` in proportion to `weights`, largest remainders first (ties: earlier first)."""
    weights = list(weights)
    exact = [total * w / sum(weights) for w in weights]
    out = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - out[i]), i))
    for i in by_remainder[: total - sum(out)]:
        out[i] += 1
    return out


def _rng(world: World, seed: int, purpose: str) -> random.Random:
    return random.Random(f"{world.scale}/{seed}/{purpose}")


def _departments(world: World) -> list[dict]:
    county = world.counties[0] if len(world.counties) == 1 else None
    rows = []
    for dept_id, name, _ in data.DEPARTMENTS:
        if dept_id not in world.dept_ids:
            continue
        if county and dept_id == "HB":  # 生态环境 is run by the city, with a branch in each county
            name = f"衢州市生态环境局{names.short_name(county.name)}分局"
        elif county:
            name = county.name + name
        rows.append({"dept_id": dept_id, "name": name})
    return rows


def _items(world: World) -> list[dict]:
    rows = []
    for item_id, dept_id, name, category_ids, tier, minutes, inspectors in world.items:
        ratios = world.tiers[tier]
        rows.append({"item_id": item_id, "dept_id": dept_id, "name": name, "category_ids": ";".join(category_ids),
                     **{f"ratio_{r}": f"{ratios[r]:g}" for r in RISK_LEVELS},
                     "minutes": str(minutes), "inspectors": str(inspectors)})
    return rows


# --- geography: towns and 片区 ----------------------------------------------------------------------------

def _geography(world: World, seed: int) -> tuple[list[dict], list[Place]]:
    if world.scale == "tiny":
        return _tiny_geography()
    zones, places = [], []
    for county in world.counties:
        county_zones, county_places = _county_geography(county, _rng(world, seed, f"geography/{county.code}"))
        zones += county_zones
        places += county_places
    return zones, places


def _county_geography(county: CountySpec, rng: random.Random) -> tuple[list[dict], list[Place]]:
    ids = _town_ids(county)
    positions = [(t.lat, t.lon) if t.lat is not None else _around(county.seat, t.kind, rng) for t in county.towns]
    weights = [t.weight or data.KIND_WEIGHT[t.kind] * (0.7 + 0.6 * rng.random()) for t in county.towns]
    if county.zones:
        zone_specs, zone_of = county.zones, [t.zone for t in county.towns]
    else:
        zone_specs, zone_of = _group_by_direction(county, positions)
    zone_ids = [f"{county.abbr}{k + 1}" for k in range(len(zone_specs))]
    zones = [{"zone_id": zone_ids[k], "name": name, "hub_town_id": ids[hub]}
             for k, (name, hub) in enumerate(zone_specs)]
    places = [Place(ids[i], t.name, t.kind, zone_ids[zone_of[i]], *positions[i], weights[i], county)
              for i, t in enumerate(county.towns)]
    return zones, places


def _town_ids(county: CountySpec) -> list[str]:
    """Division-code style: county code + 0xx for 街道, 1xx for 镇, 2xx for 乡, in list order."""
    seen: Counter[str] = Counter()
    ids = []
    for town in county.towns:
        seen[town.kind] += 1
        ids.append(f"{county.code}{'街镇乡'.index(town.kind[0])}{seen[town.kind]:02d}")
    return ids


def _around(seat: tuple[float, float], kind: str, rng: random.Random) -> tuple[float, float]:
    low, high = {"街道": (1.0, 3.5), "镇": (6.0, 22.0), "乡": (10.0, 25.0)}[kind]
    return _offset(seat, rng.uniform(low, high), rng.uniform(0, 2 * math.pi))


def _offset(origin: tuple[float, float], km: float, angle: float) -> tuple[float, float]:
    lat, lon = origin
    return (round(lat + km * math.cos(angle) / 111.0, 4),
            round(lon + km * math.sin(angle) / (111.0 * math.cos(math.radians(lat))), 4))


def _group_by_direction(county: CountySpec, positions) -> tuple[tuple[tuple[str, int], ...], list[int]]:
    """Four 片区 by direction from the seat: the 街道 (two zones where there are many) and the rural towns."""
    towns = county.towns
    urban = [i for i, t in enumerate(towns) if t.kind == "街道"]
    rural = [i for i, t in enumerate(towns) if t.kind != "街道"]
    urban_zones = 2 if len(urban) >= URBAN_SPLIT_AT else 1

    def angle(i: int) -> float:
        return math.atan2(positions[i][1] - county.seat[1], positions[i][0] - county.seat[0])

    sectors = _sectors(sorted(urban, key=angle), urban_zones) + _sectors(sorted(rural, key=angle), 4 - urban_zones)
    zone_of = [0] * len(towns)
    specs = []
    for k, sector in enumerate(sectors):
        hub = min(sector, key=lambda i: ("街镇乡".index(towns[i].kind[0]), i))  # 镇 before 乡 as a hub
        for i in sector:
            zone_of[i] = k
        single_urban = k == 0 and urban_zones == 1
        specs.append(("城区片区" if single_urban else f"{names.short_name(towns[hub].name)}片区", hub))
    return tuple(specs), zone_of


def _sectors(ordered: list[int], count: int) -> list[list[int]]:
    out, start = [], 0
    for size in apportion(len(ordered), [1] * count):
        out.append(ordered[start:start + size])
        start += size
    return out


def _tiny_geography() -> tuple[list[dict], list[Place]]:
    county = data.CHANGSHAN
    ids = _town_ids(county)
    zone_ids = [f"{county.abbr}{k + 1}" for k in range(len(data.TINY_ZONES))]
    places = []
    for k, index in enumerate(data.TINY_TOWNS):
        town = county.towns[index]
        places.append(Place(ids[index], town.name, town.kind, zone_ids[data.TINY_TOWN_ZONE[k]], town.lat, town.lon,
                            data.TINY_TOWN_WEIGHT[k], county))
    zones = [{"zone_id": zone_ids[k], "name": name, "hub_town_id": places[hub].town_id}
             for k, (name, hub) in enumerate(data.TINY_ZONES)]
    return zones, places


def _town_row(place: Place) -> dict:
    return {"town_id": place.town_id, "name": place.name, "zone_id": place.zone_id,
            "lat": f"{place.lat:.4f}", "lon": f"{place.lon:.4f}"}


# --- the registry (检查对象名录库) ------------------------------------------------------------------------

def _businesses(world: World, places: list[Place], seed: int) -> list[dict]:
    rows: list[dict] = []
    used_codes: set[str] = set()
    used_names: set[str] = set()
    for county in world.counties:
        rng = _rng(world, seed, f"businesses/{county.code}")
        local = [p for p in places if p.county is county]
        villages = {p.town_id: names.village_names(rng, p.name, rng.randrange(6, 11)) for p in local}
        counts = apportion(world.businesses[county.code], world.category_weights)
        for category, count in zip(world.categories, counts):
            cumulative = list(itertools.accumulate(p.weight * category.affinity.get(p.kind, 1.0) for p in local))
            for _ in range(count):
                place = rng.choices(local, cum_weights=cumulative)[0]
                rows.append(_business(rng, category, place, villages[place.town_id], used_codes, used_names))
    rows.sort(key=lambda r: (r["town_id"], r["category_id"], r["credit_code"]))
    return rows


def _business(rng: random.Random, category: CategorySpec, place: Place, villages: list[str],
              used_codes: set[str], used_names: set[str]) -> dict:
    county = place.county
    opened = _opened_on(rng, category)
    individual = rng.random() < category.individual
    code = _unique(lambda: names.credit_code(rng, county.code, individual, opened), used_codes)
    name = _unique(lambda: names.business_name(rng, category, county.name, place.name, individual), used_names)
    risk = rng.choices(RISK_LEVELS, weights=RISK_WEIGHTS)[0]
    exempt = risk == "A" and rng.random() < EXEMPT_SHARE_OF_A
    lat, lon = _jitter(rng, place)
    on_main_street = rng.random() < 0.3
    return {"credit_code": code, "name": name, "town_id": place.town_id, "category_id": category.category_id,
            "risk_level": risk, "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "opened_on": opened.isoformat(),
            "address": names.address(rng, place.name, villages, on_main_street), "exempt": _flag(exempt)}


def _unique(make, used: set[str], attempts: int = 30) -> str:
    for _ in range(attempts):
        value = make()
        if value not in used:
            used.add(value)
            return value
    for n in itertools.count(2):  # a crowded name space: number the branch, as registrations do
        candidate = f"{value}（第{n}分店）"
        if candidate not in used:
            used.add(candidate)
            return candidate
    raise AssertionError("unreachable")


def _opened_on(rng: random.Random, category: CategorySpec) -> date:
    if category.category_id == "JZ":  # a building site exists only while it is built
        return REGISTRY_END - timedelta(days=rng.randrange(900))
    return REGISTRY_END - timedelta(days=int(rng.random() ** 1.4 * 28 * 365))  # most businesses are young


def _jitter(rng: random.Random, place: Place) -> tuple[float, float]:
    km = SPREAD_KM[place.kind]
    return (place.lat + _bell(rng) * km / 111.0,
            place.lon + _bell(rng) * km / (111.0 * math.cos(math.radians(place.lat))))


def _bell(rng: random.Random) -> float:
    """Mean 0, standard deviation 1, within ±3: a sum of uniforms, the same on every Python."""
    return (rng.random() + rng.random() + rng.random() - 1.5) * 2


def _flag(value: bool) -> str:
    return "true" if value else "false"


# --- the inspectors (执法检查人员名录库) -------------------------------------------------------------------

def _inspectors(world: World, places: list[Place], seed: int) -> list[dict]:
    rows: list[dict] = []
    used_names: set[str] = set()
    for county in world.counties:
        rng = _rng(world, seed, f"inspectors/{county.code}")
        local = [p for p in places if p.county is county]
        zone_ids = sorted({p.zone_id for p in local})
        zone_weights = [sum(p.weight for p in local if p.zone_id == z) for z in zone_ids]
        for dept_id, people in _staff(world, county, zone_ids, zone_weights, rng).items():
            for seq, (zone_id, certified) in enumerate(people, start=1):
                rows.append({"inspector_id": f"{world.id_prefix(county)}{dept_id}{seq:03d}",
                             "name": _unique(lambda: names.person_name(rng), used_names),
                             "dept_id": dept_id, "zone_id": zone_id, "certified": _flag(certified),
                             "day_minutes": str(_day_minutes(rng))})
    return rows


def _staff(world: World, county: CountySpec, zone_ids: list[str], zone_weights: list[float],
           rng: random.Random) -> dict[str, list]:
    """dept_id -> [(zone_id, certified)], by zone, officers before 协管员."""
    if world.scale == "tiny":
        return {d: [(zone_ids[z], k < cert) for (dd, z), (cert, helpers) in data.TINY_STAFF.items() if dd == d
                    for k in range(cert + helpers)] for d in world.dept_ids}
    shares = [share for d, _, share in data.DEPARTMENTS if d in world.dept_ids]
    out = {}
    for dept_id, size in zip(world.dept_ids, apportion(world.inspectors[county.code], shares)):
        # one post in every 片区, the rest where the businesses are: the county-seat zone's team is biggest
        sizes = [1 + n for n in apportion(size - len(zone_ids), zone_weights)]
        cells = [[zone_id] * n for zone_id, n in zip(zone_ids, sizes)]
        # every cell keeps one officer; 协管员 are drawn among the rest, so small cells end with one officer
        positions = [(z, k) for z, cell in enumerate(cells) for k in range(1, len(cell))]
        helpers = set(rng.sample(positions, min(len(positions), round(UNCERTIFIED_SHARE * size))))
        people = [(cells[z][0], (z, k) not in helpers) for z, cell in enumerate(cells) for k in range(len(cell))]
        out[dept_id] = sorted(people, key=lambda p: (zone_ids.index(p[0]), not p[1]))
    return out


def _day_minutes(rng: random.Random) -> int:
    draw = rng.random()
    return 300 if draw < 0.05 else 420 if draw < 0.08 else 360


# --- absences, 回避 and this year's checks ----------------------------------------------------------------

def _events(world: World, places: list[Place], registry: list[dict], staff: list[dict], seed: int) -> dict:
    zone_of_town = {p.town_id: p.zone_id for p in places}
    town_county = {p.town_id: p.county.code for p in places}
    workdays = working_days(PERIOD_START, PERIOD_END)
    out: dict[str, list[dict]] = {"unavailable": [], "conflicts": [], "history": []}
    for county in world.counties:
        zone_ids = {p.zone_id for p in places if p.county is county}
        people = [p for p in staff if p["zone_id"] in zone_ids]
        local = [b for b in registry if town_county[b["town_id"]] == county.code]
        out["unavailable"] += _absences(_rng(world, seed, f"absences/{county.code}"), people, workdays)
        out["conflicts"] += _conflicts(_rng(world, seed, f"conflicts/{county.code}"), people, local, zone_of_town)
        out["history"] += _history(world, _rng(world, seed, f"history/{county.code}"), people, local, zone_of_town)
    out["unavailable"].sort(key=lambda r: (r["inspector_id"], r["start"]))
    out["conflicts"].sort(key=lambda r: (r["inspector_id"], r["credit_code"]))
    out["history"].sort(key=lambda r: (r["date"], r["credit_code"], r["dept_id"]))
    return out


def _absences(rng: random.Random, people: list[dict], workdays: list[date]) -> list[dict]:
    """Training weeks, annual leave (3–5 working days) and a long sick leave or two, never overlapping."""
    taken: dict[str, list[tuple[date, date]]] = defaultdict(list)
    rows = []

    def add(person: dict, start: date, end: date, reason: str) -> None:
        if any(s <= end and start <= e for s, e in taken[person["inspector_id"]]):
            return
        taken[person["inspector_id"]].append((start, end))
        rows.append({"inspector_id": person["inspector_id"], "start": start.isoformat(), "end": end.isoformat(),
                     "reason": reason})

    for start, end, reason, depts, share in data.TRAININGS:
        invited = [p for p in people if p["dept_id"] in depts and p["certified"] == "true"]
        for person in rng.sample(invited, max(1, round(share * len(invited)))):
            add(person, date.fromisoformat(start), date.fromisoformat(end), reason)
    for person in rng.sample(people, round(ANNUAL_LEAVE_SHARE * len(people))):
        add(person, *_span(rng, workdays, rng.randrange(3, 6)), "年休假")
    free = [p for p in people if not taken[p["inspector_id"]]]
    for person in rng.sample(free, max(1, round(len(people) / 75))):
        add(person, *_span(rng, workdays, rng.randrange(20, 31)), "病假")
    return rows


def _span(rng: random.Random, workdays: list[date], length: int) -> tuple[date, date]:
    first = rng.randrange(len(workdays) - length + 1)
    return workdays[first], workdays[first + length - 1]


def _conflicts(rng: random.Random, people: list[dict], registry: list[dict], zone_of_town: dict) -> list[dict]:
    """回避 pairs inside a zone; half of them on C/D businesses, which the draw is likely to pick."""
    by_zone = defaultdict(list)
    for business in registry:
        by_zone[zone_of_town[business["town_id"]]].append(business)
    officers = [p for p in people if p["certified"] == "true"]
    wanted = max(1, round(CONFLICTS_PER_INSPECTOR * len(people)))
    pairs: dict[tuple[str, str], str] = {}
    while len(pairs) < wanted:
        person = rng.choice(officers)
        pool = by_zone[person["zone_id"]]
        risky = [b for b in pool if b["risk_level"] in "CD" and b["exempt"] == "false"]
        business = rng.choice(risky if risky and rng.random() < 0.5 else pool)
        pairs.setdefault((person["inspector_id"], business["credit_code"]), rng.choice(data.CONFLICT_REASONS))
    return [{"inspector_id": i, "credit_code": c, "reason": r} for (i, c), r in pairs.items()]


def _history(world: World, rng: random.Random, people: list[dict], registry: list[dict],
             zone_of_town: dict) -> list[dict]:
    """Checks of 2026-01-01..09-30: each quarter a department checked a business at half this quarter's
    ratio, never beyond the yearly cap; some multi-department checks already went together (one row each)."""
    ratios = _dept_ratios(world)
    quarters = [working_days(start, end) for start, end in HISTORY_QUARTERS]
    teams = _Teams(people, rng)
    rows = []
    for business in registry:
        if business["exempt"] == "true":
            continue
        category, risk = business["category_id"], business["risk_level"]
        opened = date.fromisoformat(business["opened_on"])
        done: Counter[str] = Counter()
        for workdays in quarters:
            depts = [d for d, r in ratios[category].items()
                     if done[d] < YEARLY_CAP and rng.random() < HISTORY_INTENSITY * r[risk]]
            joint_day = rng.choice(workdays) if len(depts) > 1 and rng.random() < HISTORY_JOINT_SHARE else None
            for dept_id in depts:
                day = joint_day or rng.choice(workdays)
                if day < opened:
                    continue
                done[dept_id] += 1
                team = teams.pick(dept_id, zone_of_town[business["town_id"]])
                rows.append({"credit_code": business["credit_code"], "dept_id": dept_id, "date": day.isoformat(),
                             "inspector_ids": ";".join(team)})
    return rows


def _dept_ratios(world: World) -> dict[str, dict[str, dict[str, float]]]:
    """category -> dept -> risk -> the highest ratio of that department's items on the category."""
    out: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for _, dept_id, _, category_ids, tier, _, _ in world.items:
        for category_id in category_ids:
            current = out[category_id].get(dept_id, {r: 0.0 for r in RISK_LEVELS})
            out[category_id][dept_id] = {r: max(current[r], world.tiers[tier][r]) for r in RISK_LEVELS}
    return out


class _Teams:
    """Two certified officers of a department, from the business's zone where it has them."""

    def __init__(self, people: list[dict], rng: random.Random):
        self.rng = rng
        self.cell: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.dept: dict[str, list[str]] = defaultdict(list)
        for p in people:
            if p["certified"] == "true":
                self.cell[p["dept_id"], p["zone_id"]].append(p["inspector_id"])
                self.dept[p["dept_id"]].append(p["inspector_id"])

    def pick(self, dept_id: str, zone_id: str, size: int = 2) -> list[str]:
        local = self.cell[dept_id, zone_id]
        team = self.rng.sample(local, min(size, len(local)))
        others = [i for i in self.dept[dept_id] if i not in local]
        team += self.rng.sample(others, min(size - len(team), len(others)))
        return sorted(team)


# --- the tiny fixture's hand-placed events ---------------------------------------------------------------

def _tiny_events(world: World, places: list[Place], registry: list[dict], staff: list[dict], seed: int) -> dict:
    """One absence, one 回避 pair, and history that puts a business at the yearly cap for 市场监管."""
    rng = _rng(world, seed, "events")
    zone_of_town = {p.town_id: p.zone_id for p in places}
    first_zone, second_zone = places[0].zone_id, places[-1].zone_id

    def officers(dept_id: str, zone_id: str) -> list[str]:
        return [p["inspector_id"] for p in staff
                if p["dept_id"] == dept_id and p["zone_id"] == zone_id and p["certified"] == "true"]

    def catering(zone_id: str, risks: str) -> list[dict]:
        pool = [b for b in registry if b["category_id"] == "CY" and b["exempt"] == "false"
                and zone_of_town[b["town_id"]] == zone_id]
        return [b for b in pool if b["risk_level"] in risks] or pool

    capped, joint = rng.choice(catering(first_zone, "D")), rng.choice(catering(first_zone, "C"))
    conflicted = rng.choice(catering(second_zone, "CD"))
    market, city = officers("SJ", first_zone), officers("ZH", first_zone)
    pair = ";".join(market[:2])
    history = [(capped, "SJ", "2026-03-12", pair), (capped, "SJ", "2026-06-18", pair),
               (joint, "SJ", "2026-05-20", market[0]), (joint, "ZH", "2026-05-20", city[0])]
    return {
        "unavailable": [{"inspector_id": market[0], "start": "2026-10-12", "end": "2026-10-14", "reason": "年休假"}],
        "conflicts": [{"inspector_id": officers("ZH", second_zone)[0], "credit_code": conflicted["credit_code"],
                       "reason": data.CONFLICT_REASONS[0]}],
        "history": [{"credit_code": b["credit_code"], "dept_id": d, "date": day, "inspector_ids": who}
                    for b, d, day, who in history],
    }


# --- settings.toml ----------------------------------------------------------------------------------------

TIME_LIMIT_S = {"tiny": 20, "county": 60, "city": 300}  # a city is six counties' worth of work


def _settings(world: World, seed: int) -> dict:
    rng = _rng(world, seed, "settings")
    digits = "".join(str(rng.randrange(10)) for _ in range(8))
    if world.scale == "tiny":
        period = {"start": TINY_START.isoformat(), "end": TINY_END.isoformat()}
        public_seed = f"CS-TINY-{TINY_START:%Y%m%d}-{digits}"
    else:
        period = {"period": PERIOD}
        public_seed = f"{'CS' if world.scale == 'county' else 'QZ'}-{PERIOD}-{digits}"
    return {**period, "seed": public_seed, "yearly_cap": YEARLY_CAP, "min_certified": 2, "shortlist": 3,
            "cross_zone": "penalty", "time_limit_s": TIME_LIMIT_S[world.scale]}
