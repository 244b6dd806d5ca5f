"""Quarters that know each other: Q3's results count in Q4's yearly cap, Q3's undone work is carried into Q4.

The tiny county (tests/builders) with yearly_cap = 1. Q3 is planned, then its results are imported as a
department would send them: every check 未发现问题, except that 球川民宿 credit_code(10) was never visited, 紫港加油站
credit_code(11) got only its 消防 (I3) check and not its 计量 (I4) one, and 天马民宿 credit_code(8) was ordered to
put its signboard right (I2, 责令改正 by 2026-09-20) and never re-checked. Hand-counted answers below.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from models.loading import load_dataset
from planner.check.verify import verify_plan
from planner.draw import draw
from planner.plan.api import run_plan
from planner.plan.folder import read_plan
from planner.plan.previous import OPEN_RECHECK, OVERDUE, with_counted_checks
from planner.quarter.results import import_results
from planner.quarter.year import read_earlier_quarters
from planner.quarter.year_status import year_status
from tests.builders import credit_code as c
from tests.builders import write_dataset

CAP = {"yearly_cap": 1}


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    """Q3 planned and its results imported; the Q4 dataset beside it."""
    tmp = tmp_path_factory.mktemp("year")
    q3 = load_dataset(write_dataset(tmp / "q3data", settings={"period": "2026Q3", **CAP}))
    run = run_plan(q3)
    run.write(tmp / "q3", [tmp / "q3data"])
    visits = {v.credit_code: v for v in run.plan.visits}
    assert {c(8), c(9), c(10), c(11)} <= visits.keys()  # the draw these answers were counted on
    assert visits[c(9)].item_ids == ("I1", "I2", "I3") and visits[c(11)].item_ids == ("I3", "I4")
    rows = []
    for code, v in visits.items():
        for item in v.item_ids:
            if code == c(10) or (code == c(11) and item == "I4"):
                continue
            problem = code == c(8) and item == "I2"
            rows.append([v.visit_id, item, v.date.isoformat(), "发现问题已责令改正" if problem else "未发现问题",
                         "责令改正" if problem else "无需处置", "2026-09-20" if problem else "",
                         ";".join(v.inspector_ids), "招牌破损" if problem else ""])
    text = io.StringIO()
    csv.writer(text).writerows([["visit_id", "item_id", "checked_on", "result", "disposal", "rectify_by",
                                 "inspector_ids", "note"], *rows])
    (tmp / "results.csv").write_text(text.getvalue(), encoding="utf-8")
    import_results(tmp / "q3", [tmp / "results.csv"], today=date(2026, 9, 30), user="test",
                   now=datetime(2026, 9, 30, 17))
    write_dataset(tmp / "q4data", settings={"period": "2026Q4", **CAP})
    return tmp


@pytest.fixture(scope="module")
def q4(year):
    dataset = load_dataset(year / "q4data")
    earlier = read_earlier_quarters([year / "q3"], dataset)
    run = run_plan(dataset, quarters=earlier)
    run.write(year / "q4", [year / "q4data"])
    return dataset, earlier, run


def test_what_q3_hands_on_is_counted_by_hand(year, q4):
    _, earlier, _ = q4
    commitment = read_plan(year / "q3").record.commitment
    carried = {(x.credit_code, x.kind, x.item_ids, x.reason) for x in earlier.carried}
    assert carried == {(c(8), "recheck", ("I2",), OPEN_RECHECK), (c(10), "routine", ("I2", "I3"), OVERDUE),
                       (c(11), "routine", ("I4",), OVERDUE)}
    assert {x.carried_from for x in earlier.carried} == {commitment}
    assert next(x for x in earlier.carried if x.kind == "recheck").deadline == date(2026, 9, 20)
    # every department of a done visit checked once; 紫港加油站 only by 消防 (D3); 球川民宿 not at all
    checks = {(x.credit_code, x.dept_id) for x in earlier.checks}
    assert {(c(9), "D1"), (c(9), "D2"), (c(9), "D3"), (c(11), "D3")} <= checks
    assert (c(11), "D1") not in checks and not any(code == c(10) for code, _ in checks)
    assert [(p.period, p.commitment) for p in earlier.plans] == [("2026Q3", commitment)]


def test_the_yearly_cap_counts_q3(q4):
    """Class D of 消防 I3 (ratio 1): 何家农家乐 c(4) and 何家饭馆 c(9), both checked by 消防 in Q3 — at the cap of
    1, so Q4's frame is empty; without Q3 it would hold both."""
    dataset, earlier, run = q4
    frames = {(f.item_id, f.risk_level): f for f in run.draw.frames}
    assert frames["I3", "D"].frame_size == 0
    alone = {(f.item_id, f.risk_level): f for f in draw(dataset, run.draw.seed).frames}
    assert set(alone["I3", "D"].codes) == {c(4), c(9)}
    assert len(with_counted_checks(dataset, earlier).history) == len(dataset.history) + len(earlier.checks)


def test_carried_visits_come_first_with_their_kind_and_commitment(year, q4):
    dataset, earlier, run = q4
    commitment = read_plan(year / "q3").record.commitment
    carried = [v for v in run.plan.visits if v.carried_from]
    assert {(v.credit_code, v.kind) for v in carried} == {(c(8), "recheck"), (c(10), "routine"), (c(11), "routine")}
    assert {v.carried_from for v in carried} == {commitment}
    early = dataset.workdays[dataset.settings.recheck_within_days - 1]
    assert all(v.date <= early for v in carried)  # within the first recheck_within_days working days
    assert set(next(v for v in carried if v.credit_code == c(10)).item_ids) >= {"I2", "I3"}
    assert all(not v.carried_from for v in run.plan.visits if v not in carried)
    saved = read_plan(year / "q4")
    assert saved.record.previous_quarters["plans"] == [{"period": "2026Q3", "commitment": commitment}]
    assert [v.carried_from for v in saved.visits] == [v.carried_from for v in run.plan.visits]


def test_verify_re_derives_the_cap_and_the_carry_over(year, q4):
    dataset, _, _ = q4
    assert verify_plan(year / "q4", dataset).findings == []
    assert verify_plan(year / "q4", dataset, previous_quarters=[year / "q3"]).findings == []
    assert verify_plan(year / "q4", dataset, previous_quarters=[year]).findings != []  # q4 itself is in there


def test_verify_refuses_a_visit_that_only_claims_to_be_carried(year, q4, tmp_path):
    dataset, _, run = q4
    plan = run.plan
    forged = [v for v in plan.visits if not v.carried_from][0]
    rows = list(csv.DictReader(io.StringIO((year / "q4" / "visits.csv").read_text(encoding="utf-8"))))
    for row in rows:
        if row["visit_id"] == forged.visit_id:
            row["carried_from"] = "deadbeef"
    folder = tmp_path / "forged"
    folder.mkdir()
    for f in (year / "q4").iterdir():
        if f.is_file():
            (folder / f.name).write_bytes(f.read_bytes())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "visits.csv").write_text(out.getvalue(), encoding="utf-8")
    findings = verify_plan(folder, dataset).findings
    assert any("[结转]" in f and forged.visit_id in f for f in findings)


def test_a_replan_keeps_what_was_carried(year, q4):
    dataset, _, run = q4
    again = run_plan(dataset, previous=read_plan(year / "q4"), changes=["absent:P07:2026-11-02:2026-11-06"],
                     today=date(2026, 10, 20))
    assert {(v.credit_code, v.carried_from) for v in again.plan.visits if v.carried_from} == \
        {(v.credit_code, v.carried_from) for v in run.plan.visits if v.carried_from}
    assert again.record.previous_quarters == run.record.previous_quarters


def test_a_later_quarter_cannot_be_an_earlier_one(year, q4):
    from models.problems import UserError
    q3 = load_dataset(year / "q3data")
    with pytest.raises(UserError, match="不早于本期开始日"):
        run_plan(q3, quarters=read_earlier_quarters([year / "q3"], q3))


def test_status_over_the_year_counts_by_hand(year, q4):
    """A carried visit is planned once (in Q4); every Q3 visit is done but c(10) (not visited) and c(11) (half);
    the statistics count every department's done part of a visit, and history.csv's one check."""
    dataset, earlier, run = q4
    status = year_status(2026, [year], dataset)
    q3 = read_plan(year / "q3")
    assert status.plans == ["2026Q3", "2026Q4"]
    carried_codes = {(x.credit_code, x.kind == "recheck") for x in earlier.carried}
    assert status.visits_planned == len(run.plan.visits) + sum(
        (v.credit_code, False) not in carried_codes for v in q3.visits)
    assert status.visits_done == len(q3.visits) - 2  # c(10) and c(11) not done
    by_type = {d: c.get("双随机", 0) for d, c in status.statistics.items()}
    assert by_type == dict(Counter(x.dept_id for x in earlier.checks))
    assert status.statistics["D1"]["历史记录"] == 1  # history.csv: c(1) by D1 on 2026-03-15
    warned = {e.credit_code: e for e in status.enterprises}
    assert "3 个执法主体" in "；".join(warned[c(9)].warnings)  # D1, D2 and D3 checked 何家饭馆
    assert all(max(e.checks.values()) >= 1 for e in warned.values())  # yearly_cap = 1: every checked one
