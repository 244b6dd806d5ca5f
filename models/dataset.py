"""A loaded county dataset and the indexes the planner reads it through."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from models.problems import Problem
from models.records import (
    Absence,
    Business,
    Category,
    Conflict,
    Department,
    Inspector,
    Item,
    PastInspection,
    Town,
    Zone,
)
from models.settings import Settings


@dataclass(eq=False)
class Dataset:
    zones: list[Zone]
    towns: list[Town]
    departments: list[Department]
    categories: list[Category]
    items: list[Item]
    businesses: list[Business]
    inspectors: list[Inspector]
    settings: Settings
    workdays: list[date]  # working days of the period, statutory calendar with 调休
    absences: list[Absence] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    history: list[PastInspection] = field(default_factory=list)
    inputs_sha256: dict[str, str] = field(default_factory=dict)  # file (or sheet) name -> digest
    warnings: list[Problem] = field(default_factory=list)  # what the loader read but doubts (an ignored column, …)
    calendar: dict[date, bool] = field(default_factory=dict)  # calendar.csv: days overriding the statutory calendar
    notes: list[Problem] = field(default_factory=list)  # how the loader read something, worth saying (validate):
    # one 抽查比例 column for every class, headers knowingly not read …

    # --- lookups by key -------------------------------------------------------------------------
    @cached_property
    def zone(self) -> dict[str, Zone]:
        return {z.zone_id: z for z in self.zones}

    @cached_property
    def town(self) -> dict[str, Town]:
        return {t.town_id: t for t in self.towns}

    @cached_property
    def department(self) -> dict[str, Department]:
        return {d.dept_id: d for d in self.departments}

    @cached_property
    def category(self) -> dict[str, Category]:
        return {c.category_id: c for c in self.categories}

    @cached_property
    def item(self) -> dict[str, Item]:
        return {i.item_id: i for i in self.items}

    @cached_property
    def business(self) -> dict[str, Business]:
        return {b.credit_code: b for b in self.businesses}

    @cached_property
    def inspector(self) -> dict[str, Inspector]:
        return {p.inspector_id: p for p in self.inspectors}

    # --- groupings ------------------------------------------------------------------------------
    @cached_property
    def towns_by_zone(self) -> dict[str, list[Town]]:
        return group_by(self.towns, lambda t: t.zone_id)

    @cached_property
    def businesses_by_category_risk(self) -> dict[tuple[str, str], list[Business]]:
        return group_by(self.businesses, lambda b: (b.category_id, b.risk_level))

    @cached_property
    def items_by_category(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            for category_id in item.category_ids:
                out[category_id].append(item)
        return dict(out)

    @cached_property
    def inspectors_by_dept(self) -> dict[str, list[Inspector]]:
        return group_by(self.inspectors, lambda p: p.dept_id)

    @cached_property
    def inspectors_by_dept_zone(self) -> dict[tuple[str, str], list[Inspector]]:
        return group_by(self.inspectors, lambda p: (p.dept_id, p.zone_id))

    @cached_property
    def absences_by_inspector(self) -> dict[str, list[Absence]]:
        return group_by(self.absences, lambda a: a.inspector_id)

    @cached_property
    def conflict_pairs(self) -> frozenset[tuple[str, str]]:
        """(inspector_id, credit_code) pairs under 回避."""
        return frozenset((c.inspector_id, c.credit_code) for c in self.conflicts)

    @cached_property
    def recused(self) -> dict[str, frozenset[str]]:
        """credit code -> inspectors under 回避 for that business."""
        out: dict[str, set[str]] = defaultdict(set)
        for inspector_id, code in self.conflict_pairs:
            out[code].add(inspector_id)
        return {code: frozenset(ids) for code, ids in out.items()}

    @cached_property
    def drawable_officers(self) -> dict[str, dict[str, list[str]]]:
        """dept -> 片区 -> the certified officers present on some working day: those the draw may order
        (协管员 are never drawn)."""
        out: dict[str, dict[str, list[str]]] = defaultdict(dict)
        for (dept_id, zone_id), people in self.inspectors_by_dept_zone.items():
            ids = [p.inspector_id for p in people if p.certified and self.presence[p.inspector_id]]
            if ids:
                out[dept_id][zone_id] = ids
        return dict(out)

    @cached_property
    def balance_cells(self) -> dict[tuple[str, str], list[str]]:
        """(department, 片区) -> the officers who share its load: those the draw may order (certified, present)."""
        return {(dept_id, zone_id): people for dept_id, zones in self.drawable_officers.items()
                for zone_id, people in zones.items()}

    def officers_needed(self, item_ids, lead_dept_id: str) -> dict[str, int]:
        """dept -> officers of that department a visit with these items sends, lead department first.

        Each department sends the most any of its items asks for (`inspectors`), and a department that joins an
        item (配合部门, co_dept_ids) at least one officer; when together they are fewer than the legal minimum of
        certified officers (min_certified, 行政处罚法: two), the lead department (牵头部门) — or the first, when the
        lead has no item — sends the rest. The draw's shortlists, the scheduler's teams and verify all read this
        one rule.
        """
        items = [self.item[i] for i in item_ids]
        depts = sorted({d for i in items for d in i.dept_ids}, key=lambda d: (d != lead_dept_id, d))
        needs = {d: max([i.inspectors for i in items if i.dept_id == d] + [1 for i in items if d in i.co_dept_ids])
                 for d in depts}
        shortfall = self.settings.min_certified - sum(needs.values())
        if depts and shortfall > 0:
            needs[depts[0]] += shortfall
        return needs

    def minutes_on_site(self, item_ids, dept_id: str) -> int:
        """Minutes `dept_id`'s officers spend at a visit with these items: its own items and those it joins."""
        return sum(i.minutes for i in (self.item[x] for x in item_ids) if dept_id in i.dept_ids)

    def lead_dept_of(self, business: Business) -> str:
        return self.category[business.category_id].lead_dept_id

    @cached_property
    def checks_this_year(self) -> Counter[tuple[str, str]]:
        """(credit_code, dept_id) -> on-site checks in the period's calendar year (history.csv)."""
        year = self.settings.period.year
        return Counter((h.credit_code, h.dept_id) for h in self.history if h.date.year == year)

    @cached_property
    def checks_by_day(self) -> dict[str, dict[date, frozenset[str]]]:
        """credit code -> day -> departments that checked it that day (history.csv; a joint visit is one day)."""
        out: dict[str, dict[date, set[str]]] = defaultdict(lambda: defaultdict(set))
        for check in self.history:
            out[check.credit_code][check.date].add(check.dept_id)
        return {code: {day: frozenset(depts) for day, depts in days.items()} for code, days in out.items()}

    @cached_property
    def nearest_zones(self) -> dict[str, list[str]]:
        """片区 -> the other 片区, nearest hub town (中心镇) first: the neighbours a loan should come from."""
        hub = {z.zone_id: self.town[z.hub_town_id] for z in self.zones if z.hub_town_id in self.town}
        return {zone: sorted((other for other in hub if other != zone),
                             key=lambda other: (distance_km(hub[zone], hub[other]), other)) for zone in hub}

    @cached_property
    def lenders_back(self) -> dict[tuple[str, str], frozenset[str]]:
        """(department, 片区 z) -> the 片区 w whose own nearest `loan_zones` 片区 with officers of the department
        include z: w's visits may borrow z's officers, so z's visits may borrow w's (loans go both ways; otherwise a
        quiet 片区 that is nobody's nearest could never take work from a busier one)."""
        out: dict[tuple[str, str], set[str]] = defaultdict(set)
        for dept_id, by_zone in self.drawable_officers.items():
            for lender in by_zone:
                near = [z for z in self.nearest_zones.get(lender, ()) if z in by_zone][:self.settings.loan_zones]
                for zone in near:
                    out[dept_id, zone].add(lender)
        return {key: frozenset(zones) for key, zones in out.items()}

    def zone_of_business(self, business: Business) -> str:
        return self.town[business.town_id].zone_id

    @cached_property
    def presence(self) -> dict[str, frozenset[date]]:
        """inspector -> the working days of the period they are present (absences taken out). Computed once:
        the draw, the scheduler, its reasons and the metrics all ask it, per inspector, many times."""
        return {p.inspector_id: frozenset(d for d in self.workdays if self.is_present(p.inspector_id, d))
                for p in self.inspectors}

    def is_present(self, inspector_id: str, day: date) -> bool:
        return not any(a.covers(day) for a in self.absences_by_inspector.get(inspector_id, ()))


def distance_km(a: Town, b: Town) -> float:
    """Great-circle distance between two towns' centres."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(h, 1.0)))


def group_by(rows, key) -> dict:
    """Rows by key(row), keys in the order they first appear, each list in the order of `rows`."""
    out: dict = defaultdict(list)
    for row in rows:
        out[key(row)].append(row)
    return dict(out)
