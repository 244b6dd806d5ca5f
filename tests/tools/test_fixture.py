"""The dataset generator and the bundled fixtures: deterministic, realistic, and valid."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from models.calendar import working_days
from models.credit_code import credit_code_problem
from models.loading import load_dataset
from models.problems import UserError
from planner import cli
from planner.draw import draw
from tools.fixture import HEADERS, generate, province_sizes, write_dataset, write_province

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = {"changshan": ("county", 2026), "tiny": ("tiny", 1)}  # as fixtures/README.md says


@pytest.fixture(scope="module")
def county():
    return generate("county", 2026)


@pytest.fixture(scope="module")
def tiny():
    return generate("tiny", 1)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def cells(tables) -> dict[tuple[str, str], list[dict]]:
    out = defaultdict(list)
    for person in tables["inspectors"]:
        out[person["dept_id"], person["zone_id"]].append(person)
    return out


def certified(people) -> int:
    return sum(p["certified"] == "true" for p in people)


# --- determinism -------------------------------------------------------------------------------------

def test_two_runs_write_identical_bytes(tmp_path):
    write_dataset(tmp_path / "a", "county", 5)
    write_dataset(tmp_path / "b", "county", 5)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    write_dataset(tmp_path / "c", "county", 6)
    assert files_of(tmp_path / "c")["businesses.csv"] != files_of(tmp_path / "a")["businesses.csv"]


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_regenerating_reproduces_the_committed_fixture(tmp_path, name):
    scale, seed = COMMITTED[name]
    write_dataset(tmp_path / name, scale, seed)
    assert files_of(tmp_path / name) == files_of(ROOT / "fixtures" / name)


def test_files_have_contract_headers_and_unix_line_ends(tmp_path):
    write_dataset(tmp_path / "t", "tiny", 1)
    for stem, header in HEADERS.items():
        text = (tmp_path / "t" / f"{stem}.csv").read_bytes().decode("utf-8")
        assert "\r" not in text
        assert text.splitlines()[0] == ",".join(header)


# --- the county fixture ---------------------------------------------------------------------------------

@pytest.mark.parametrize("scale,seed,county_code", [("county", 2026, "330822"), ("tiny", 1, "330822")])
def test_credit_codes_valid_unique_and_local(scale, seed, county_code):
    codes = [b["credit_code"] for b in generate(scale, seed)["businesses"]]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert credit_code_problem(code) is None, code
        assert code[0] == "9" and code[1] in "12" and code[2:8] == county_code


def test_county_sizes(county):
    n = {stem: len(rows) for stem, rows in county.items()}
    assert (n["zones"], n["towns"], n["departments"]) == (4, 14, 7)
    assert 25 <= n["items"] <= 35 and n["categories"] >= 12
    assert 5500 <= n["businesses"] <= 6500
    assert 130 <= n["inspectors"] <= 170
    assert 8 <= n["conflicts"] <= 12
    assert n["unavailable"] >= 20 and n["history"] >= 1000


def test_county_towns_are_changshan_and_zones_have_their_hubs(county):
    names = {t["name"] for t in county["towns"]}
    assert {"天马街道", "紫港街道", "金川街道", "球川镇", "辉埠镇", "芳村镇", "青石镇", "招贤镇", "白石镇",
            "何家乡", "同弓乡", "大桥头乡", "新昌乡", "东案乡"} == names
    zone_of = {t["town_id"]: t["zone_id"] for t in county["towns"]}
    streets = {zone_of[t["town_id"]] for t in county["towns"] if t["name"].endswith("街道")}
    assert len(streets) == 1  # the three 街道 around the county seat form one 片区
    for zone in county["zones"]:
        assert zone_of[zone["hub_town_id"]] == zone["zone_id"]
    for town in county["towns"]:  # within ~30 km of the county seat
        assert abs(float(town["lat"]) - 28.90) < 0.3 and abs(float(town["lon"]) - 118.50) < 0.3


def test_business_mix(county):
    rows = county["businesses"]
    risk = Counter(b["risk_level"] for b in rows)
    for level, share in {"A": 0.40, "B": 0.35, "C": 0.18, "D": 0.07}.items():
        assert abs(risk[level] / len(rows) - share) < 0.03
    exempt = [b for b in rows if b["exempt"] == "true"]
    assert 0.01 < len(exempt) / len(rows) < 0.08 and {b["risk_level"] for b in exempt} == {"A"}
    category = Counter(b["category_id"] for b in rows)
    assert category["CY"] > 10 * category["JY"] and category["SP"] > 10 * category["WH"]
    assert len({b["name"] for b in rows}) == len(rows)
    assert all(b["name"].startswith(("常山", "浙江", "中国石")) for b in rows)
    assert all(date(1990, 1, 1) <= date.fromisoformat(b["opened_on"]) <= date(2026, 9, 30) for b in rows)


def test_businesses_lie_near_their_town(county):
    town = {t["town_id"]: t for t in county["towns"]}
    for b in county["businesses"]:
        t = town[b["town_id"]]
        assert abs(float(b["lat"]) - float(t["lat"])) < 0.06 and abs(float(b["lon"]) - float(t["lon"])) < 0.07
        assert b["address"].startswith(t["name"])


def test_every_category_lead_has_an_item_on_it(county):
    on = {(c, i["dept_id"]) for i in county["items"] for c in i["category_ids"].split(";")}
    for category in county["categories"]:
        assert (category["category_id"], category["lead_dept_id"]) in on
    for item in county["items"]:
        ratios = [float(item[f"ratio_{r}"]) for r in "ABCD"]
        assert ratios == sorted(ratios) and ratios[0] > 0
        assert 20 <= int(item["minutes"]) <= 120
    assert any(item["inspectors"] == "2" for item in county["items"])


def test_inspector_cells(county):
    by_cell = cells(county)
    zones = {z["zone_id"] for z in county["zones"]}
    departments = {d["dept_id"] for d in county["departments"]}
    assert set(by_cell) == {(d, z) for d in departments for z in zones}
    assert all(certified(people) >= 1 for people in by_cell.values())
    scarce = [cell for cell, people in by_cell.items() if certified(people) <= 2]
    assert len(scarce) >= 4  # domain.md: cells with 1–2 certified officers in every county
    assert any(certified(by_cell[cell]) == 1 for cell in scarce)
    helpers = [p for p in county["inspectors"] if p["certified"] == "false"]
    assert 0.10 <= len(helpers) / len(county["inspectors"]) <= 0.20
    size = Counter(p["dept_id"] for p in county["inspectors"])
    assert {d for d, _ in size.most_common(2)} == {"ZH", "SJ"}
    per_zone = Counter(p["zone_id"] for p in county["inspectors"])
    assert per_zone.most_common(1)[0][0] == "CS1"  # the county-seat 片区 has the biggest team
    assert {p["day_minutes"] for p in county["inspectors"]} == {"300", "360", "420"}


def test_absences_fall_in_the_quarter_and_never_overlap(county):
    by_person = defaultdict(list)
    for a in county["unavailable"]:
        start, end = date.fromisoformat(a["start"]), date.fromisoformat(a["end"])
        assert date(2026, 10, 1) <= start <= end <= date(2026, 12, 31)
        by_person[a["inspector_id"]].append((start, end))
    for spans in by_person.values():
        spans.sort()
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
    reasons = Counter(a["reason"] for a in county["unavailable"])
    assert reasons["年休假"] >= 10 and 1 <= reasons["病假"] <= 3 and len(reasons) >= 4


def test_conflicts_pair_officers_with_businesses_of_their_zone(county):
    zone_of_town = {t["town_id"]: t["zone_id"] for t in county["towns"]}
    business = {b["credit_code"]: b for b in county["businesses"]}
    person = {p["inspector_id"]: p for p in county["inspectors"]}
    for c in county["conflicts"]:
        assert zone_of_town[business[c["credit_code"]]["town_id"]] == person[c["inspector_id"]]["zone_id"]


def test_history_reaches_but_never_passes_the_yearly_cap(county):
    workdays = set(working_days(date(2026, 1, 1), date(2026, 9, 30)))
    person = {p["inspector_id"]: p for p in county["inspectors"]}
    for row in county["history"]:
        assert date.fromisoformat(row["date"]) in workdays
        assert {person[i]["dept_id"] for i in row["inspector_ids"].split(";")} == {row["dept_id"]}
    checks = Counter((r["credit_code"], r["dept_id"]) for r in county["history"])
    assert max(checks.values()) == 2 and sum(v == 2 for v in checks.values()) >= 50
    joint = Counter((r["credit_code"], r["date"]) for r in county["history"])
    assert sum(v >= 2 for v in joint.values()) >= 50  # joint visits: one row per department


def test_settings(county, tiny):
    assert county["settings"][0] == {"period": "2026Q4", "today": "2026-10-01", "seed": county["settings"][0]["seed"],
                                     "yearly_cap": 2, "min_certified": 2, "shortlist": 3, "cross_zone": "penalty",
                                     "time_limit_s": 60, "zone_balance": "ratio:1.25"}
    # a demonstration's today at its period's first day: its plan covers the whole period on any real date
    assert (tiny["settings"][0]["start"], tiny["settings"][0]["end"], tiny["settings"][0]["today"]) == \
        ("2026-10-08", "2026-10-23", "2026-10-08")


# --- the tiny fixture -------------------------------------------------------------------------------------

def test_tiny_shape(tiny):
    n = {stem: len(rows) for stem, rows in tiny.items()}
    assert (n["zones"], n["towns"], n["departments"]) == (2, 4, 3)
    assert 3 <= n["categories"] <= 4 and 4 <= n["items"] <= 5
    assert 70 <= n["businesses"] <= 90 and n["inspectors"] == 14
    assert n["unavailable"] == 1 and n["conflicts"] == 1 and n["history"] >= 1
    by_cell = cells(tiny)
    assert sorted(certified(p) for p in by_cell.values()).count(2) >= 1
    assert min(certified(p) for p in by_cell.values()) == 1
    assert sum(p["certified"] == "false" for p in tiny["inspectors"]) == 1
    checks = Counter((r["credit_code"], r["dept_id"]) for r in tiny["history"])
    assert 2 in checks.values()  # one business already at the yearly cap


# --- the city scale and the knobs -------------------------------------------------------------------------

def test_city_has_six_counties_with_their_own_codes():
    city = generate("city", 3, businesses=1200)
    assert len(city["zones"]) == 24 and len(city["businesses"]) == 1200
    assert 850 <= len(city["inspectors"]) <= 950
    county_of_town = {t["town_id"]: t["town_id"][:6] for t in city["towns"]}
    assert set(county_of_town.values()) == {"330802", "330803", "330822", "330824", "330825", "330881"}
    for b in city["businesses"]:
        assert b["credit_code"][2:8] == county_of_town[b["town_id"]]
    assert len({p["inspector_id"] for p in city["inspectors"]}) == len(city["inspectors"])
    zone_of_town = {t["town_id"]: t["zone_id"] for t in city["towns"]}
    for zone in city["zones"]:
        assert zone_of_town[zone["hub_town_id"]] == zone["zone_id"]


def test_businesses_knob_changes_only_the_registry_size():
    small = generate("county", 2026, businesses=500)
    assert len(small["businesses"]) == 500 and len(small["inspectors"]) == 150


@pytest.mark.parametrize("args", [("province", 1, None), ("county", "1", None), ("county", 1, 0)])
def test_bad_arguments_are_refused_clearly(args):
    with pytest.raises(UserError):
        generate(*args)


def test_cli_prints_one_line(tmp_path, capsys):
    assert cli.main(["fixture", "--scale", "tiny", "--seed", "1", "--out", str(tmp_path / "t")]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "检查对象 80" in out
    assert (tmp_path / "t" / "settings.toml").exists()


# --- loading, validating and drawing the committed fixtures -----------------------------------------------

@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_committed_fixture_loads_and_validates(name, capsys):
    dataset = load_dataset(ROOT / "fixtures" / name)
    assert len(dataset.businesses) == len(generate(*COMMITTED[name])["businesses"])
    assert sum(b.exempt for b in dataset.businesses) >= 1
    assert any(i.inspectors == 2 for i in dataset.items)
    assert cli.main(["validate", str(ROOT / "fixtures" / name)]) == 0
    assert "通过" in capsys.readouterr().out


@pytest.mark.parametrize("name,low,high", [("changshan", 600, 1000), ("tiny", 15, 25)])
def test_coordinated_draw_lands_in_the_target_range(name, low, high):
    dataset = load_dataset(ROOT / "fixtures" / name)
    visits = draw(dataset, dataset.settings.seed).by_business()
    assert low <= len(visits) <= high


# --- the province: one dataset per county -------------------------------------------------------------

def test_province_writes_one_loadable_county_per_folder_the_same_bytes_every_time(tmp_path):
    first = write_province(tmp_path / "a", 2, 1)
    write_province(tmp_path / "b", 2, 1)
    assert sorted(first) == ["01-柯城区", "02-衢江区"]
    assert sorted(p.name for p in (tmp_path / "a").iterdir() if not p.name.startswith(".")) == sorted(first)
    for name in first:
        assert files_of(tmp_path / "a" / name) == files_of(tmp_path / "b" / name)
    kecheng, qujiang = (first[name] for name in sorted(first))
    assert {b["credit_code"][2:8] for b in qujiang["businesses"]} == {"330803"}
    assert kecheng["settings"][0]["seed"].startswith("KC-2026Q4-") and qujiang["settings"][0]["seed"].startswith("QJ-")
    assert len(kecheng["businesses"]) != len(qujiang["businesses"])
    dataset = load_dataset(tmp_path / "a" / "01-柯城区")
    assert len(dataset.businesses) == len(kecheng["businesses"]) and len(dataset.zones) == 4


def test_province_mixes_city_districts_and_small_mountain_counties():
    sizes = province_sizes(90, 1)
    assert province_sizes(6, 1) == sizes[:6]  # more counties add to the province, never reshuffle it
    assert sum(s >= 1.8 for s in sizes) >= 9 and sum(s <= 0.7 for s in sizes) >= 9
    assert all(0.4 <= s <= 3.0 for s in sizes)


def test_cli_writes_a_province(tmp_path, capsys):
    assert cli.main(["fixture", "--scale", "province", "--counties", "1", "--seed", "1",
                     "--out", str(tmp_path / "p")]) == 0
    assert "1 个县（市、区）" in capsys.readouterr().out and (tmp_path / "p" / "01-柯城区" / "settings.toml").exists()
    assert cli.main(["fixture", "--scale", "tiny", "--counties", "2", "--out", str(tmp_path / "t")]) == 1
