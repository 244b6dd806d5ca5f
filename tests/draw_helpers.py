"""Small in-memory datasets for the draw's tests (no files, no loader)."""
from __future__ import annotations

from datetime import date

from models.credit_code import check_character
from models.dataset import Dataset
from models.period import Period
from models.records import Business, Category, Department, Inspector, Item, Town, Zone
from models.settings import Settings
from planner.draw import Draw
from planner.draw.files import DrawRecord, draw_files
from planner.draw.knocks import knocks_of_draw

WORKDAYS = [date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12)]


def code(n: int) -> str:
    """A valid 统一社会信用代码 numbered n."""
    first17 = f"91330822{n:09d}"
    return first17 + check_character(first17)


def business(n: int, category_id: str, risk_level: str, town_id: str = "T1", exempt: bool = False) -> Business:
    return Business(code(n), f"对象{n}", town_id, category_id, risk_level, 28.9, 118.5, exempt=exempt)


def item(item_id: str, dept_id: str, category_ids, ratio: float = 0.2, inspectors: int = 1, **ratios) -> Item:
    by_class = {r: ratios.get(r, ratio) for r in "ABCD"}
    return Item(item_id, dept_id, f"事项{item_id}", tuple(category_ids), by_class, 30, inspectors)


def officer(inspector_id: str, dept_id: str, zone_id: str, certified: bool = True) -> Inspector:
    return Inspector(inspector_id, f"人员{inspector_id}", dept_id, zone_id, certified)


def make_dataset(businesses, items, inspectors=(), *, absences=(), conflicts=(), history=(), **settings) -> Dataset:
    base = dict(period=Period.parse("2026Q4"), seed="20261001")
    base.update(settings)
    return Dataset(
        zones=[Zone("Z1", "一片区", "T1"), Zone("Z2", "二片区", "T2")],
        towns=[Town("T1", "天马街道", "Z1", 28.9, 118.5), Town("T2", "球川镇", "Z2", 28.8, 118.3)],
        departments=[Department("D1", "市场监管"), Department("D2", "综合执法"), Department("D3", "消防救援")],
        categories=[Category("C1", "餐饮", "D1"), Category("C2", "住宿", "D2"), Category("C3", "商店", "D3")],
        items=list(items), businesses=list(businesses), inspectors=list(inspectors),
        settings=Settings(**base), workdays=list(WORKDAYS), absences=list(absences), conflicts=list(conflicts),
        history=list(history), inputs_sha256={"businesses.csv": "0" * 64},
    )


def small_county(**settings) -> Dataset:
    """Three departments whose items overlap on catering (C1): 60 businesses in two towns, four classes."""
    businesses = [business(n, ("C1", "C2", "C3")[n % 3], "ABCD"[(n // 3) % 4], ("T1", "T2")[n % 2])
                  for n in range(1, 61)]
    items = [item("I1", "D1", ["C1"], 0.3), item("I2", "D2", ["C1", "C2"], 0.2, inspectors=2),
             item("I3", "D3", ["C1", "C2", "C3"], 0.1), item("I4", "D1", ["C3"], 0.25)]
    inspectors = [officer(f"P{d}{z}{k}", f"D{d}", f"Z{z}") for d in (1, 2, 3) for z in (1, 2) for k in (1, 2, 3)]
    inspectors += [officer(f"X{d}", f"D{d}", "Z1", certified=False) for d in (1, 2, 3)]
    return make_dataset(businesses, items, inspectors, **settings)


def files_of(draw: Draw) -> dict[str, bytes]:
    return draw_files(draw)


def record_of(draw: Draw) -> dict:
    """The draw's part of record.json, as the draw command writes it."""
    return DrawRecord.of(draw, draw_files(draw), knocks_of_draw(draw)).to_json()
