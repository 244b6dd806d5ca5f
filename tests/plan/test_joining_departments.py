"""配合部门 as a rule of the model: an item's joining departments go on each of its visits, their officers drawn
from their own random orders, counted in their load and yearly cap, checked by verify, named by the exports."""
from __future__ import annotations

import csv
import shutil
from dataclasses import replace

import pytest

from models.loading import load_dataset
from planner.check.rules import check_plan
from planner.check.verify import verify_plan
from planner.draw import draw
from planner.draw.frames import frame_codes
from planner.plan.api import run_plan

JOINING = {"SJ03": "常山县综合行政执法局", "ZH07": "市场监督管理局"}  # by full name, and by the end of one


def with_joining(folder, joining: dict[str, str]):
    """The tiny fixture with a 配合部门 column in items.csv."""
    with (folder / "items.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[0].append("配合部门")
    for row in rows[1:]:
        row.append(joining.get(row[0], ""))
    with (folder / "items.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder


@pytest.fixture(scope="module")
def joined(tmp_path_factory):
    folder = tmp_path_factory.mktemp("joined") / "tiny"
    shutil.copytree("fixtures/tiny", folder)
    return load_dataset(with_joining(folder, JOINING)), folder


@pytest.fixture(scope="module")
def joined_run(joined):
    return run_plan(joined[0], time_limit_s=10)


def test_joining_departments_are_read_by_name(joined):
    dataset, _ = joined
    assert dataset.item["SJ03"].co_dept_ids == ("ZH",) and dataset.item["ZH07"].co_dept_ids == ("SJ",)
    assert dataset.item["SJ03"].dept_ids == ("SJ", "ZH") and dataset.item["SJ01"].co_dept_ids == ()


def test_each_visit_of_a_joined_item_takes_an_officer_of_every_joining_department(joined, joined_run):
    dataset, _ = joined
    plan, the_draw = joined_run.plan, joined_run.draw
    joined_visits = [v for v in plan.visits if set(v.item_ids) & set(JOINING)]
    assert joined_visits
    for visit in joined_visits:
        for item_id in set(visit.item_ids) & set(JOINING):
            for dept_id in dataset.item[item_id].co_dept_ids:
                assert dept_id in visit.dept_ids
                mine = [p for p in visit.inspector_ids if dataset.inspector[p].dept_id == dept_id]
                assert mine and all(p in the_draw.shortlist(visit.credit_code, dept_id) for p in mine)
    assert check_plan(dataset, plan, the_draw) == []


def test_a_joined_item_draws_one_frame_and_orders_for_each_department(joined, joined_run):
    dataset, _ = joined
    the_draw = joined_run.draw
    assert sorted({f.item_id for f in the_draw.frames}) == sorted(i.item_id for i in dataset.items)
    assert {f.dept_id for f in the_draw.frames if f.item_id == "SJ03"} == {"SJ"}
    drawn = {p.credit_code for p in the_draw.pairs if p.item_id == "SJ03"}
    assert drawn and all((code, "ZH") in the_draw.orders for code in drawn)


def test_verify_passes_a_plan_with_joining_departments(joined, joined_run, tmp_path):
    dataset, _ = joined
    joined_run.write(tmp_path / "plan")
    assert verify_plan(tmp_path / "plan", dataset).findings == []


def test_a_visit_without_the_joining_department_breaks_the_rule(joined, joined_run):
    dataset, _ = joined
    plan = joined_run.plan
    index, visit = next((n, v) for n, v in enumerate(plan.visits) if "SJ03" in v.item_ids)
    team = tuple(p for p in visit.inspector_ids if dataset.inspector[p].dept_id != "ZH")
    edited = replace(plan, visits=[*plan.visits[:index], replace(visit, inspector_ids=team), *plan.visits[index + 1:]])
    assert any(p.startswith("[配合部门]") and "SJ03" in p for p in check_plan(dataset, edited))


def test_a_business_at_the_yearly_cap_of_a_joining_department_is_not_in_the_frame(tmp_path):
    folder = tmp_path / "tiny"
    shutil.copytree("fixtures/tiny", folder)
    capped = "923308222354860257"  # checked twice by 市场监管 this year (history.csv): at the cap of 2
    before = load_dataset(folder)
    assert capped in frame_codes(before, before.item["ZH01"], "D")
    after = load_dataset(with_joining(folder, {"ZH01": "SJ"}))
    assert capped not in frame_codes(after, after.item["ZH01"], "D")
    assert all(p.credit_code != capped for p in draw(after, "s").pairs if p.item_id == "ZH01")


def test_the_exports_name_the_joining_departments(joined, joined_run, tmp_path):
    from planner.export import export_plan

    dataset, _ = joined
    joined_run.write(tmp_path / "plan")
    export_plan(tmp_path / "plan", dataset, tmp_path / "out", {"notice", "visit"})
    pages = {p: p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.html")}
    notice = [t for p, t in pages.items() if "公示" in p.parts and "抽取结果" in t]
    assert notice and "计量器具检查（会同常山县综合行政执法局）" in notice[0]
    texts = list(pages.values())
    visit = next(v for v in joined_run.plan.visits if "SJ03" in v.item_ids)
    mine = [t for t in texts if visit.visit_id in t and "一表通查" in t]
    assert mine and all("常山县综合行政执法局" in t for t in mine)
