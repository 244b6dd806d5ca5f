"""The draw: determinism, frames and sizes, uniformity, coordination, inspector orders, door-knock figures."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from scipy.stats import chisquare

from models.records import Absence, Conflict, PastInspection, Town, Zone
from models.settings import ZoneBalance
from planner.cli import main
from planner.draw import draw, prn
from planner.draw.frames import frame_codes, sample_size
from planner.draw.knocks import knocks_of_draw
from planner.draw.orders import inspector_order, shortlist_length
from tests.draw_helpers import WORKDAYS, business, code, files_of, item, make_dataset, officer, record_of, small_county

SEEDS = [f"seed-{n}" for n in range(300)]


# --- determinism -------------------------------------------------------------------------------------

def test_same_seed_gives_byte_identical_files_and_record():
    first, second = draw(small_county(), "20261001"), draw(small_county(), "20261001")
    assert files_of(first) == files_of(second)
    assert json.dumps(record_of(first), sort_keys=True) == json.dumps(record_of(second), sort_keys=True)


def test_different_seed_gives_a_different_draw():
    dataset = small_county()
    assert files_of(draw(dataset, "1"))["draw.csv"] != files_of(draw(dataset, "2"))["draw.csv"]


def test_seed_choice_takes_the_first_seed_given_else_a_fresh_one():
    assert prn.choose_seed(None, " ", "from-settings") == prn.Seed("from-settings", False)
    assert prn.choose_seed("explicit", "previous", "settings").value == "explicit"
    fresh = prn.choose_seed(None, "")
    assert fresh.generated and len(fresh.value) == prn.SEED_DIGITS and fresh.value.isdigit()


# --- frames and sample sizes -------------------------------------------------------------------------

@pytest.mark.parametrize("ratio, frame, expected", [
    (0.05, 100, 5), (0.05, 101, 6), (0.1, 30, 3), (0.07, 100, 7), (0.001, 3, 1), (0.3, 0, 0), (0.0, 10, 0),
    (1.0, 7, 7), (0.61, 1, 1),
])
def test_sample_size_rounds_up_in_exact_decimals(ratio, frame, expected):
    # 0.07 * 100 is 7.000000000000001 in floating point: a naive ceil would draw 8
    assert sample_size(ratio, frame) == expected


def test_frame_leaves_out_other_classes_other_categories_exempt_and_capped_businesses():
    businesses = [business(1, "C1", "C"), business(2, "C1", "C", exempt=True), business(3, "C1", "C"),
                  business(4, "C1", "D"), business(5, "C2", "C"), business(6, "C1", "C")]
    history = [PastInspection(code(3), "D1", date(2026, 3, 1)), PastInspection(code(3), "D1", date(2026, 5, 1)),
               PastInspection(code(6), "D1", date(2026, 3, 1)), PastInspection(code(6), "D1", date(2025, 5, 1)),
               PastInspection(code(1), "D2", date(2026, 3, 1)), PastInspection(code(1), "D2", date(2026, 4, 1))]
    dataset = make_dataset(businesses, [item("I1", "D1", ["C1"])], history=history, yearly_cap=2)
    # 3 is at the cap for D1 this year; 6's second check was last year; 1's checks were by another department
    assert frame_codes(dataset, dataset.item["I1"], "C") == sorted([code(1), code(6)])


def test_every_sample_lies_in_its_frame_has_the_right_size_and_follows_the_random_order():
    dataset = small_county()
    result = draw(dataset, "20261001")
    for frame in result.frames:
        item = dataset.item[frame.item_id]
        assert set(frame.codes) == set(frame_codes(dataset, item, frame.risk_level))
        assert frame.sample_size == sample_size(item.ratio(frame.risk_level), frame.frame_size)
        pairs = [p for p in result.pairs if (p.item_id, p.risk_level) == (frame.item_id, frame.risk_level)]
        assert len(pairs) == frame.sample_size > 0
        keys = {c: prn.business_key("20261001", c) for c in frame.codes}
        smallest = sorted(frame.codes, key=keys.get)[:frame.sample_size]
        assert [p.credit_code for p in sorted(pairs, key=lambda p: p.rank)] == smallest


def test_pairs_are_sorted_and_by_business_groups_them_by_sorted_code():
    result = draw(small_county(), "x")
    assert result.pairs == sorted(result.pairs, key=lambda p: (p.item_id, p.risk_level, p.rank))
    grouped = result.by_business()
    assert list(grouped) == sorted(grouped)
    assert sum(len(v) for v in grouped.values()) == len(result.pairs)
    assert all(p.credit_code == c for c, v in grouped.items() for p in v)


# --- uniformity ---------------------------------------------------------------------------------------

def inclusion_counts(dataset, coordinated):
    counts: dict[tuple[str, str], Counter] = {}
    for seed in SEEDS:
        for frame in draw(dataset, seed, coordinated=coordinated).frames:
            counter = counts.setdefault((frame.item_id, frame.risk_level), Counter({c: 0 for c in frame.codes}))
            counter.update(frame.sample)
    return counts


@pytest.mark.parametrize("coordinated", [True, False])
def test_each_business_is_equally_likely_in_its_stratum(coordinated):
    counts = inclusion_counts(small_county(), coordinated)
    assert len(counts) == 16
    for stratum, counter in counts.items():
        observed = [counter[c] for c in sorted(counter)]
        assert chisquare(observed).pvalue > 0.001, (stratum, observed)


# --- coordination -------------------------------------------------------------------------------------

def nested_dataset():
    """I1 (D1) on catering only ⊂ I2 (D2) on catering and hotels ⊃ I3 (D3), the same frame as I2."""
    businesses = [business(n, "C1" if n <= 12 else "C2", "C") for n in range(1, 31)]
    items = [item("I1", "D1", ["C1"], 0.25), item("I2", "D2", ["C1", "C2"], 0.2),
             item("I3", "D3", ["C1", "C2"], 0.1)]
    return make_dataset(businesses, items)


def test_nested_frames_overlap_as_much_as_any_draw_could():
    dataset = nested_dataset()
    for seed in SEEDS[:100]:
        frames = {f.item_id: f for f in draw(dataset, seed).frames if f.risk_level == "C"}
        small, large = set(frames["I1"].sample), set(frames["I2"].sample)
        # no joint design can beat min(|large ∩ small frame|, n_small): it is reached on every seed
        inside = large & set(frames["I1"].codes)
        assert len(small & large) == min(len(inside), frames["I1"].sample_size)
        # identical frames: the smaller sample lies inside the larger one
        assert set(frames["I3"].sample) <= large


def test_coordination_needs_fewer_visits_than_independent_draws():
    dataset = small_county()
    merged = {c: sum(len(draw(dataset, s, coordinated=c).by_business()) for s in SEEDS[:50]) for c in (True, False)}
    assert merged[True] < 0.85 * merged[False]


# --- inspector orders ---------------------------------------------------------------------------------

def test_orders_hold_only_certified_eligible_officers_of_the_department_same_zone_first():
    dataset = small_county(zone_balance=ZoneBalance("off"))  # no loan candidates
    result = draw(dataset, "20261001")
    assert result.orders
    for (credit_code, dept_id), order in result.orders.items():
        full = inspector_order(dataset, "20261001", credit_code, dept_id)
        assert len(full) == len(set(full)) == 6
        assert all(dataset.inspector[i].certified and dataset.inspector[i].dept_id == dept_id for i in full)
        zone = dataset.zone_of_business(dataset.business[credit_code])
        in_zone = [dataset.inspector[i].zone_id == zone for i in full]
        assert in_zone == [True] * 3 + [False] * 3
        # a shortlist of 3 fits in the business's 片区: the other 片区 are not recorded
        assert order == full[:3]


def test_order_within_each_zone_group_follows_the_public_random_number():
    dataset = small_county()
    credit_code, dept_id = sorted(draw(dataset, "20261001").orders)[0]
    order = inspector_order(dataset, "20261001", credit_code, dept_id)
    for group in (order[:3], order[3:]):
        keys = [prn.inspector_key("20261001", credit_code, dept_id, i) for i in group]
        assert keys == sorted(keys)


def test_order_continues_into_other_zones_when_the_shortlist_needs_them():
    dataset = small_county(shortlist=4, zone_balance=ZoneBalance("off"))
    result = draw(dataset, "20261001")
    for (credit_code, dept_id), order in result.orders.items():
        assert order == inspector_order(dataset, "20261001", credit_code, dept_id)
        assert result.shortlist(credit_code, dept_id) == order[:4]
    assert result.order_figures["shortlist_reaches_other_zones"] == len(result.orders)
    assert draw(small_county(zone_balance=ZoneBalance("off")), "20261001").order_figures[
        "shortlist_reaches_other_zones"] == 0


def test_without_same_zone_first_one_random_order_mixes_the_zones():
    dataset = small_county(same_zone_first=False)
    credit_code, dept_id = sorted(draw(dataset, "20261001").orders)[0]
    order = draw(dataset, "20261001").orders[(credit_code, dept_id)]
    keys = [prn.inspector_key("20261001", credit_code, dept_id, i) for i in order]
    assert len(order) == 6 and keys == sorted(keys)


def test_cross_zone_forbid_keeps_orders_in_the_business_zone():
    dataset = small_county(cross_zone="forbid")
    result = draw(dataset, "20261001")
    for (credit_code, _), order in result.orders.items():
        zone = dataset.zone_of_business(dataset.business[credit_code])
        assert len(order) == 3 and {dataset.inspector[i].zone_id for i in order} == {zone}


def test_recusal_and_whole_period_absence_exclude_but_a_partial_absence_does_not():
    target = business(1, "C1", "D", "T1")
    people = [officer("P1", "D1", "Z1"), officer("P2", "D1", "Z1"), officer("P3", "D1", "Z1"),
              officer("P4", "D1", "Z1"), officer("X1", "D1", "Z1", certified=False)]
    dataset = make_dataset(
        [target], [item("I1", "D1", ["C1"], 1.0)], people,
        conflicts=[Conflict("P1", target.credit_code, "亲属经营")],
        absences=[Absence("P2", WORKDAYS[0], WORKDAYS[-1], "培训"), Absence("P3", WORKDAYS[0], WORKDAYS[0], "病假")],
    )
    order = draw(dataset, "s").orders[(target.credit_code, "D1")]
    assert sorted(order) == ["P3", "P4"]


def test_shortlist_covers_the_need_of_items_and_the_legal_minimum():
    assert shortlist_length(6, need=2, shortlist=3) == 3
    assert shortlist_length(6, need=4, shortlist=3) == 4
    assert shortlist_length(2, need=2, shortlist=3) == 2
    assert shortlist_length(6, need=2, shortlist=None) == 6
    result = draw(small_county(shortlist=1, zone_balance=ZoneBalance("off")), "20261001")
    for (credit_code, dept_id), chosen in result.shortlists.items():
        pairs = result.by_business()[credit_code]
        alone = len({p.dept_id for p in pairs}) == 1
        needs_two = alone or any(p.item_id == "I2" and p.dept_id == dept_id for p in pairs)
        assert len(chosen) == (2 if needs_two else 1), (credit_code, dept_id)
        assert chosen == result.orders[(credit_code, dept_id)][:len(chosen)]


def test_shortlist_all_hands_over_the_whole_order_and_says_so():
    result = draw(small_county(shortlist=None), "20261001")
    assert result.parameters["shortlist"] == "all"
    assert record_of(result)["parameters"]["shortlist"] == "all"
    assert all(result.shortlists[k] == v for k, v in result.orders.items())
    assert "false" not in files_of(result)["inspector_orders.csv"].decode()


def test_inspector_orders_csv_lists_every_order_with_its_shortlist():
    result = draw(small_county(), "20261001")
    lines = files_of(result)["inspector_orders.csv"].decode().splitlines()
    assert lines[0] == "credit_code,dept_id,rank,inspector_id,zone_id,shortlisted"
    assert len(lines) - 1 == sum(len(o) for o in result.orders.values())
    assert sum(line.endswith(",true") for line in lines) == sum(len(s) for s in result.shortlists.values())


def test_with_zone_balance_each_nearest_zone_offers_one_random_loan_candidate():
    dataset = small_county(zone_balance=ZoneBalance("ratio", 1.25), loan_zones=1)
    result = draw(dataset, "20261001")
    for (credit_code, dept_id), chosen in result.shortlists.items():
        order = result.orders[(credit_code, dept_id)]
        zone = dataset.zone_of_business(dataset.business[credit_code])
        assert chosen == order[:3] + order[3:4]  # three of its own 片区, then the first of the other
        assert [dataset.inspector[i].zone_id == zone for i in chosen] == [True, True, True, False]
        keys = [prn.inspector_key("20261001", credit_code, dept_id, i) for i in order[3:]]
        assert keys == sorted(keys)  # the loan candidate is that 片区's first in the public random order
    assert result.parameters["zone_balance"] == "ratio:1.25" and result.parameters["loan_zones"] == 1


def test_loans_go_both_ways_a_zone_nobody_counts_as_nearest_still_lends():
    # hubs on a line: Z1 — Z2 ——— Z3. Z3's nearest is Z2, but Z2's nearest is Z1: with loan_zones = 1 only the
    # way back offers Z3's officers to Z2's visits, so quiet Z3 can take work from a busy Z2
    towns = [Town("T1", "一镇", "Z1", 28.90, 118.50), Town("T2", "二镇", "Z2", 28.90, 118.60),
             Town("T3", "三镇", "Z3", 28.90, 118.90)]
    people = [officer(f"{z}{k}", "D3", z) for z in ("Z1", "Z2", "Z3") for k in (1, 2, 3, 4)]
    dataset = make_dataset([business(n, "C3", "A", "T2") for n in range(1, 6)], [item("I3", "D3", ["C3"], 1.0)],
                           people, loan_zones=1)
    dataset = replace(dataset, zones=[Zone(z, z, t.town_id) for z, t in zip(("Z1", "Z2", "Z3"), towns)],
                      towns=towns)
    assert dataset.nearest_zones["Z2"][0] == "Z1" and dataset.nearest_zones["Z3"][0] == "Z2"
    assert dataset.lenders_back[("D3", "Z2")] == {"Z1", "Z3"}  # both count Z2 as their nearest
    result = draw(dataset, "20261001")
    for chosen in result.shortlists.values():
        zones = [dataset.inspector[i].zone_id for i in chosen]
        assert zones == ["Z2", "Z2", "Z2", "Z1", "Z3"]  # three of its own, the nearest's and the way back's


def test_loan_candidates_come_from_the_nearest_hubs_first():
    dataset = small_county()
    assert dataset.nearest_zones == {"Z1": ["Z2"], "Z2": ["Z1"]}


def test_published_frames_match_the_recorded_digests():
    result = draw(small_county(), "20261001")
    lines = files_of(result)["frames.csv"].decode().splitlines()
    assert lines[0] == "item_id,risk_level,credit_code"
    published: dict[tuple[str, str], list[str]] = {}
    for line in lines[1:]:
        item_id, risk_level, credit_code = line.split(",")
        published.setdefault((item_id, risk_level), []).append(credit_code)
    recorded = {(f["item_id"], f["risk_level"]): f["sha256"] for f in record_of(result)["frames"]}
    assert set(published) == set(recorded)
    assert all(prn.frame_digest(codes) == recorded[key] for key, codes in published.items())


# --- door knocks ----------------------------------------------------------------------------------------

def test_door_knock_figures_on_a_case_computed_by_hand():
    # two departments draw 2 of the same 4 businesses: coordinated, both take the same two
    businesses = [business(n, "C1", "C") for n in range(1, 5)]
    dataset = make_dataset(businesses, [item("I1", "D1", ["C1"], 0.5), item("I2", "D2", ["C1"], 0.5)])
    knocks = knocks_of_draw(draw(dataset, "s"), floor=True)
    assert knocks["visits_merged"] == 2
    assert knocks["independent"]["visits_separate_departments"] == 4.0  # 2 + 2
    assert knocks["independent"]["visits_merged"] == 3.0  # 4 × (1 − ½·½)
    assert knocks["saving_percent"] == 50.0
    assert knocks["uniform_bound"] == 2.0
    assert knocks["floor"] == {"visits": 2, "bound": 2, "optimal": True, "status": "OPTIMAL"}


def test_floor_packs_samples_into_the_overlap_of_frames():
    # I1 needs 3 of catering (C1), I2 needs 3 of catering+hotels: 3 businesses suffice, uniform draws need more
    businesses = [business(n, "C1" if n <= 10 else "C2", "C") for n in range(1, 31)]
    dataset = make_dataset(businesses, [item("I1", "D1", ["C1"], 0.3), item("I2", "D2", ["C1", "C2"], 0.1)])
    knocks = knocks_of_draw(draw(dataset, "s"), floor=True)
    assert knocks["floor"]["visits"] == 3
    assert knocks["uniform_bound"] == 3 + 20 * 0.1


# --- command ------------------------------------------------------------------------------------------------

def test_cli_draw_writes_the_four_files_and_uses_the_given_seed(tmp_path, monkeypatch, capsys):
    dataset = small_county(seed=None)
    monkeypatch.setattr("planner.cli.draw.load_dataset", lambda path: dataset)
    assert main(["draw", "ignored", "--out", str(tmp_path / "plan"), "--seed", "20261001"]) == 0
    assert sorted(p.name for p in (tmp_path / "plan").iterdir()) == [".inspection-planner", "draw.csv", "frames.csv",
                                                                     "inspector_orders.csv", "record.json"]
    record = json.loads((tmp_path / "plan" / "record.json").read_text(encoding="utf-8"))
    assert record["seed"] == "20261001" and "floor" not in record["door_knocks"]
    assert (tmp_path / "plan" / "draw.csv").read_bytes() == files_of(draw(dataset, "20261001"))["draw.csv"]
    assert "随机种子：20261001" in capsys.readouterr().out


def test_cli_draw_without_any_seed_generates_prints_and_records_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("planner.cli.draw.load_dataset", lambda path: small_county(seed=None))
    assert main(["draw", "ignored", "--out", str(tmp_path / "plan")]) == 0
    seed = json.loads((tmp_path / "plan" / "record.json").read_text(encoding="utf-8"))["seed"]
    assert len(seed) == 20 and seed in capsys.readouterr().err


def test_an_exemption_that_lapses_inside_the_period_leaves_the_business_in_the_frame():
    lapsing = replace(business(1, "C1", "C"), exempt=True, exempt_until=date(2026, 11, 15))
    lasting = replace(business(2, "C1", "C"), exempt=True, exempt_until=date(2027, 6, 30))
    forever = business(3, "C1", "C", exempt=True)
    dataset = make_dataset([lapsing, lasting, forever], [item("I1", "D1", ["C1"])])
    assert frame_codes(dataset, dataset.item["I1"], "C") == [code(1)]
