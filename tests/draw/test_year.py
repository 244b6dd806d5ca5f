"""年度抽查计划 (ratio_basis = "year"): the quarters of one year draw disjoint businesses per item and together
exactly its yearly sample; the rotation is re-derivable by hand; a quarter is planned and verified against it."""
from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import replace

import pytest

from models.calendar import calendar_draft_csv
from models.loading import load_dataset
from models.problems import UserError
from planner.check.verify import verify_plan
from planner.draw import draw
from planner.draw.year import annual_files, build_annual_plan, quarter_split
from planner.plan.api import run_plan
from tests.builders import set_cell, write_dataset

YEAR_SEED = "year-test-2027"


def high_ratios(tables) -> None:
    """Ratios large enough that every class draws several businesses a year; 消防 I3 twice a year on class D."""
    for row in range(2, 6):
        for risk, value in zip("ABCD", ("0.5", "0.6", "0.8", "1")):
            set_cell(tables, "items", row, f"ratio_{risk}", value)
    tables["items"][0].append("per_year_D")
    for row in tables["items"][1:]:
        row.append("2" if row[0] == "I3" else "")
    draft = list(csv.reader(io.StringIO(calendar_draft_csv(2027).decode("utf-8-sig"))))
    tables["calendar"] = [row[:2] for row in draft]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = write_dataset(tmp_path_factory.mktemp("year") / "county", edit=high_ratios,
                           settings={"period": "2027Q1", "ratio_basis": "year"})
    return folder, load_dataset(folder)


def quarter(dataset, q: int):
    from models.period import Period
    return replace(dataset, settings=replace(dataset.settings, period=Period.quarter_of(2027, q)))


def test_quarter_split_is_as_even_as_integers_allow():
    assert quarter_split(10) == (3, 3, 2, 2) and quarter_split(3) == (1, 1, 1, 0) and quarter_split(8) == (2,) * 4


def test_quarters_draw_disjoint_businesses_and_together_the_yearly_sample(county):
    _, dataset = county
    plan = build_annual_plan(dataset, 2027, YEAR_SEED)
    drawn: dict[tuple[str, str], Counter] = {}
    for q in range(1, 5):
        share = plan.quarter_share(q)
        for pair in draw(quarter(dataset, q), f"officers-Q{q}", share=share).pairs:
            drawn.setdefault((pair.item_id, pair.risk_level), Counter())[pair.credit_code] += 1
    strata = {(s.item_id, s.risk_level): s for s in plan.strata}
    assert sum(s.yearly_size for s in strata.values()) > 20  # the test draws something worth checking
    for key, s in strata.items():
        counts = drawn.get(key, Counter())
        assert sum(counts.values()) == s.yearly_size, key  # together exactly the yearly sample
        assert max(counts.values(), default=0) <= s.per_year, key  # disjoint, or at most per_year times
        assert s.yearly_size == s.per_year * -(-int(s.ratio * 10) * s.frame_size // 10)  # ⌈ratio × N⌉ × per_year
    i3d = strata["I3", "D"]
    assert i3d.per_year == 2 and i3d.yearly_size == 2 * i3d.frame_size  # ratio 1, twice a year: each twice


def test_the_rotation_re_derives_by_hand(county):
    """docs/draw.md's recipe with hashlib only: group of the quarter upwards, then downwards from its start."""
    _, dataset = county
    plan = build_annual_plan(dataset, 2027, YEAR_SEED)
    for s in plan.strata:
        number = {c: int(hashlib.sha256(f"{YEAR_SEED}|{c}".encode()).hexdigest(), 16) for c in s.codes}
        assert list(s.codes) == sorted(s.codes, key=lambda c: number[c])
        taken = Counter()
        for q in range(1, 5):
            low, high = (q - 1) * 2**256 // 4, q * 2**256 // 4
            walk = sorted((c for c in s.codes if low <= number[c] < high), key=lambda c: number[c]) + \
                sorted((c for c in s.codes if not low <= number[c] < high), key=lambda c: (low - number[c]) % 2**256)
            mine = [c for c in walk if taken[c] < s.per_year][:s.split[q - 1]]
            taken.update(mine)
            assert tuple(mine) == s.slices[q - 1], (s.item_id, s.risk_level, q)


def test_the_annual_files_are_byte_stable(county):
    _, dataset = county
    assert annual_files(build_annual_plan(dataset, 2027, YEAR_SEED)) == \
        annual_files(build_annual_plan(dataset, 2027, YEAR_SEED))


def test_a_quarter_is_planned_and_verified_against_the_annual_plan(county, tmp_path):
    folder, dataset = county
    plan = build_annual_plan(dataset, 2027, YEAR_SEED)
    share = plan.quarter_share(1)
    run = run_plan(dataset, share=share)
    assert {(p.item_id, p.risk_level, p.credit_code) for p in run.draw.pairs} == \
        {(i, r, c) for (i, r), codes in share.slices.items() for c in codes}
    run.write(tmp_path / "q1", [folder])
    assert verify_plan(tmp_path / "q1", dataset).findings == []
    assert verify_plan(tmp_path / "q1", dataset, annual=share).findings == []
    other = build_annual_plan(dataset, 2027, "another-year-seed").quarter_share(1)
    assert any("[年度计划]" in f for f in verify_plan(tmp_path / "q1", dataset, annual=other).findings)


def test_ratio_basis_year_needs_the_annual_plan(county):
    _, dataset = county
    with pytest.raises(UserError, match="plan-year"):
        run_plan(dataset, seed="x")
    period_basis = replace(dataset, settings=replace(dataset.settings, ratio_basis="period"))
    with pytest.raises(UserError, match="ratio_basis"):
        run_plan(period_basis, seed="x", share=build_annual_plan(dataset, 2027, YEAR_SEED).quarter_share(1))
    with pytest.raises(UserError, match="第 2 季度"):
        run_plan(dataset, seed="x", share=build_annual_plan(dataset, 2027, YEAR_SEED).quarter_share(2))


def test_plan_year_writes_the_plan_and_its_public_notice(county, tmp_path, capsys):
    from planner.cli import main
    from planner.draw.year import read_quarter_share
    folder, dataset = county
    assert main(["plan-year", str(folder), "--year", "2027", "--seed", YEAR_SEED, "--out", str(tmp_path / "y")]) == 0
    out = tmp_path / "y"
    html = (out / "公示" / "年度抽查计划公示.html").read_text(encoding="utf-8")
    assert YEAR_SEED in html and "配合部门" in html and "第四季度" in html
    assert (out / "公示" / "年度抽查计划公示.pdf").read_bytes().startswith(b"%PDF")
    assert "annual_frames" not in html and "credit_code" not in html  # which quarter draws whom is not published
    share = read_quarter_share(out, dataset.settings.period)
    assert share.slices == build_annual_plan(dataset, 2027, YEAR_SEED).quarter_share(1).slices
    (out / "annual_frames.csv").write_text("item_id,risk_level,rank,credit_code,quarters\n", encoding="utf-8")
    with pytest.raises(UserError, match="摘要不符"):
        read_quarter_share(out, dataset.settings.period)
    assert "年度种子" in capsys.readouterr().out
