"""Results that cannot be true are refused: who went is checked as the plan's rules check a team, dates respect
today and the plan's period, a 整改期限 has a range, and a workbook of a plan since re-planned is told — on the
tiny fixture's real plan (fixtures/tiny: SJ001 on leave 10-12..10-14, ZH004 uncertified, ZH005 recused from
92330822MA22N7DH9Y)."""
from __future__ import annotations

import csv
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from planner.cli import main
from planner.export import export_plan
from planner.plan.folder import read_plan
from planner.plan.model import Visit
from planner.quarter.results import PLAN_PROPERTY, ResultsRefused, import_results
from tests.conftest import TINY

END = date(2026, 10, 23)  # the fixture's last day
NOW = datetime(2026, 10, 23, 17, 0)
HEADER = ["visit_id", "item_id", "checked_on", "result", "disposal", "rectify_by", "inspector_ids"]


@pytest.fixture
def plan_dir(tiny_plan_dir, tmp_path) -> Path:
    shutil.copytree(tiny_plan_dir, tmp_path / "plan")
    return tmp_path / "plan"


def results_file(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def first_visit(plan_dir: Path, test) -> Visit:
    return next(v for v in read_plan(plan_dir).visits if test(v))


def planned_team(tiny, visit: Visit, dept: str) -> list[str]:
    return [p for p in visit.inspector_ids if tiny.inspector[p].dept_id == dept]


def refused(plan_dir: Path, tiny, rows, **kwargs) -> str:
    with pytest.raises(ResultsRefused) as error:
        import_results(plan_dir, [results_file(plan_dir.parent / "r.csv", rows)], user="x", now=NOW,
                       **{"today": END, "dataset": tiny, **kwargs})
    assert not (plan_dir / "results.csv").exists()
    return str(error.value)


# --- who went ---------------------------------------------------------------------------------------

def test_a_food_check_by_an_uncertified_helper_of_another_department_is_refused(plan_dir, tiny):
    visit = first_visit(plan_dir, lambda v: v.dept_ids == ("SJ",))
    message = refused(plan_dir, tiny, [[visit.visit_id, "SJ01", visit.date.isoformat(), "未发现问题", "", "", "ZH004"]])
    assert "实际检查人员中只有 0 名常山县市场监督管理局的持证执法人员（当天在岗），该次检查至少需要 2 名" in message


def test_an_officer_on_leave_that_day_is_refused(plan_dir, tiny):
    visit = first_visit(plan_dir, lambda v: "SJ" in v.dept_ids and date(2026, 10, 12) <= v.date <= date(2026, 10, 14))
    team = ["SJ001", *(p for p in planned_team(tiny, visit, "SJ") if p != "SJ001")]
    message = refused(plan_dir, tiny, [[visit.visit_id, "SJ01", visit.date.isoformat(), "未发现问题", "", "", ";".join(team)]])
    assert f"廖利民（SJ001） 在 {visit.date.isoformat()} 不在岗（请假或外出，见 unavailable.csv）" in message


def test_a_recused_officer_is_refused(plan_dir, tiny):
    visit = first_visit(plan_dir, lambda v: v.credit_code == "92330822MA22N7DH9Y")
    message = refused(plan_dir, tiny, [[visit.visit_id, "ZH01", visit.date.isoformat(), "未发现问题", "", "", "ZH005"]])
    assert "黄美玲（ZH005） 与该企业有回避关系，不得参加该检查" in message


def test_another_team_that_keeps_the_rules_lands_and_is_said_and_logged(plan_dir, tiny, capsys):
    visit = first_visit(plan_dir, lambda v: v.dept_ids == ("SJ",) and v.date == date(2026, 10, 8)
                        and "SJ004" not in v.inspector_ids)
    planned = planned_team(tiny, visit, "SJ")
    team = [planned[0], "SJ004", "ZH004"]  # one planned officer, another certified one, and a 协管员 along
    path = results_file(plan_dir.parent / "r.csv", [[visit.visit_id, "SJ01", visit.date.isoformat(), "未发现问题", "",
                                                     "", ";".join(team)]])
    assert main(["results", str(plan_dir), "--add", str(path), "--today", END.isoformat(), "--data", TINY]) == 0
    out = capsys.readouterr().out
    assert "1 条结果的实际检查人员与计划不同（符合持证、在岗、回避规定，已导入" in out
    assert f"检查 {visit.visit_id} 事项 SJ01：计划 {';'.join(planned)}，实际 {';'.join(team)}" in out
    (entry,) = read_plan(plan_dir).results_log
    assert entry.team_changes == f"{visit.visit_id}/SJ01"


def test_without_the_dataset_the_import_says_what_it_could_not_check(plan_dir, tiny, capsys):
    visit = first_visit(plan_dir, lambda v: v.dept_ids == ("SJ",))
    team = ";".join(planned_team(tiny, visit, "SJ"))
    path = results_file(plan_dir.parent / "r.csv", [[visit.visit_id, "SJ01", visit.date.isoformat(), "未发现问题", "", "", team]])
    assert main(["results", str(plan_dir), "--add", str(path), "--today", END.isoformat()]) == 0
    assert "未提供数据集（--data）：实际检查人员是否当天在岗、是否需要回避未能核对" in capsys.readouterr().err
    alone = results_file(plan_dir.parent / "alone.csv", [[visit.visit_id, "SJ01", visit.date.isoformat(), "未发现问题",
                                                          "", "", team.split(";")[0]]])
    assert main(["results", str(plan_dir), "--add", str(alone), "--today", END.isoformat()]) == 1  # still 2 needed
    assert "该次检查至少需要 2 名" in capsys.readouterr().err


# --- today and the period ---------------------------------------------------------------------------

def test_a_result_after_the_period_is_refused_and_a_today_outside_it_is_said(plan_dir, tiny, capsys):
    visit = first_visit(plan_dir, lambda v: v.dept_ids == ("SJ",))
    team = ";".join(planned_team(tiny, visit, "SJ"))
    path = results_file(plan_dir.parent / "r.csv", [[visit.visit_id, "SJ01", "2027-05-01", "未发现问题", "", "", team]])
    assert main(["results", str(plan_dir), "--add", str(path), "--today", "2027-06-01", "--data", TINY]) == 1
    err = capsys.readouterr().err
    assert "注意：今天（2027-06-01）不在本方案的期间（2026-10-08 至 2026-10-23）内，期间已经结束" in err
    assert "检查日期晚于本方案的期间" in err and not (plan_dir / "results.csv").exists()


def test_status_before_the_quarter_counts_no_result_dated_after_today(plan_dir, tiny, capsys):
    visits = read_plan(plan_dir).visits
    rows = [[v.visit_id, item, v.date.isoformat(), "未发现问题", "", "",
             ";".join(planned_team(tiny, v, tiny.item[item].dept_id))] for v in visits for item in v.item_ids]
    path = results_file(plan_dir.parent / "all.csv", rows)
    assert main(["results", str(plan_dir), "--add", str(path), "--today", END.isoformat(), "--data", TINY]) == 0
    capsys.readouterr()
    figures = {}
    for today in ("2026-09-01", "2026-10-12", END.isoformat()):
        assert main(["status", str(plan_dir), "--today", today, "--json"]) == 0
        captured = capsys.readouterr()
        figures[today] = json.loads(captured.out)
        assert ("不在本方案的期间" in captured.err) == (today == "2026-09-01")
    assert (figures["2026-09-01"]["visits_done"], figures["2026-09-01"]["results_due"]) == (0, 0)
    assert figures["2026-09-01"]["completion_rate"] == 0.0
    by_12th = sum(v.date <= date(2026, 10, 12) for v in visits)
    assert figures["2026-10-12"]["visits_done"] == by_12th < figures[END.isoformat()]["visits_done"] == len(visits)


def test_a_publication_lists_only_results_checked_by_its_day(plan_dir, tiny, tmp_path):
    visits = read_plan(plan_dir).visits
    rows = [[v.visit_id, item, v.date.isoformat(), "未发现问题", "", "",
             ";".join(planned_team(tiny, v, tiny.item[item].dept_id))] for v in visits for item in v.item_ids]
    assert main(["results", str(plan_dir), "--add", str(results_file(tmp_path / "all.csv", rows)), "--today",
                 END.isoformat(), "--data", TINY]) == 0
    assert main(["export", str(plan_dir), "--data", TINY, "--format", "notice", "--today", "2026-10-12",
                 "--out", str(tmp_path / "exports")]) == 0
    published = {(r.visit_id, r.item_id) for r in read_plan(plan_dir).results if r.published_on}
    assert published == {(v.visit_id, item) for v in visits for item in v.item_ids if v.date <= date(2026, 10, 12)}


def test_a_deadline_far_in_the_future_is_refused_with_its_range(plan_dir, tiny):
    visit = first_visit(plan_dir, lambda v: v.dept_ids == ("SJ",))
    team = ";".join(planned_team(tiny, visit, "SJ"))
    message = refused(plan_dir, tiny, [[visit.visit_id, "SJ01", visit.date.isoformat(), "发现问题已责令改正", "责令改正",
                                        "2099-12-31", team]])
    latest = date.fromordinal(visit.date.toordinal() + 365).isoformat()
    assert f"整改期限超出检查日期后 365 天（应在 {visit.date.isoformat()} 至 {latest} 之间）" in message


# --- a workbook of a superseded plan -----------------------------------------------------------------

def department_book(plan_dir: Path, tiny, out: Path) -> Path:
    export_plan(plan_dir, tiny, out, ["xlsx"], today=END)
    (book,) = (out / "部门").glob("SJ_*.xlsx")
    return book


def filled_rows(book: Path, out: Path, visit_ids: set[str], tiny) -> Path:
    """The department's rows of these visits filled in as planned in the workbook: checked on the planned day."""
    wb = openpyxl.load_workbook(book)
    ws = wb["结果登记"]
    column = {cell.value: cell.column for cell in ws[2]}
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, column["检查编号"]).value in visit_ids:
            ws.cell(r, column["检查日期"], ws.cell(r, column["计划日期"]).value)
            ws.cell(r, column["检查结果"], "未发现问题")
    wb.save(out)
    return out


def test_a_workbook_of_the_plan_before_a_replan_refuses_the_visits_that_moved(plan_dir, tiny, tmp_path, capsys):
    book = department_book(plan_dir, tiny, tmp_path / "exports")
    assert openpyxl.load_workbook(book).custom_doc_props[PLAN_PROPERTY].value == read_plan(plan_dir).record.commitment
    before = {v.visit_id: v for v in read_plan(plan_dir).visits}
    moved_day = next(v.date for v in before.values() if "SJ003" in v.inspector_ids and v.date >= date(2026, 10, 12))
    replan = tmp_path / "replan"
    away = [a for p in tiny.inspectors if p.dept_id == "SJ" for a in ("--change", f"absent:{p.inspector_id}:{moved_day}:{moved_day}")]
    assert main(["plan", TINY, "--previous", str(plan_dir), "--today", "2026-10-08", "--quiet", "--out", str(replan),
                 *away]) == 0  # the whole SJ away that day: its visits of that day move
    after = {v.visit_id: v for v in read_plan(replan).visits}
    moved = {i for i in before if i in after and after[i].date != before[i].date and "SJ" in after[i].dept_ids}
    kept = {i for i in before if i in after and after[i] == before[i] and after[i].date <= END and "SJ" in after[i].dept_ids}
    assert moved and kept
    capsys.readouterr()
    sent = filled_rows(book, tmp_path / "SJ.xlsx", moved | kept, tiny)
    assert main(["results", str(replan), "--add", str(sent), "--today", END.isoformat(), "--data", TINY]) == 1
    err = capsys.readouterr().err
    assert err.count("该检查在重新排程后已改到") == sum(
        item in after[i].item_ids and tiny.item[item].dept_id == "SJ" for i in moved for item in before[i].item_ids)
    only_kept = filled_rows(book, tmp_path / "SJ-kept.xlsx", kept, tiny)
    assert main(["results", str(replan), "--add", str(only_kept), "--today", END.isoformat(), "--data", TINY]) == 0
    assert "导出自重新排程之前的方案：已按当前方案逐行核对" in capsys.readouterr().err


def test_a_workbook_of_another_plan_is_refused(plan_dir, tiny, tmp_path, capsys):
    other = tmp_path / "other"
    assert main(["plan", TINY, "--seed", "another-seed", "--quiet", "--out", str(other)]) == 0
    book = department_book(other, tiny, tmp_path / "exports")
    sent = filled_rows(book, tmp_path / "SJ.xlsx", {v.visit_id for v in read_plan(other).visits}, tiny)
    capsys.readouterr()
    assert main(["results", str(plan_dir), "--add", str(sent), "--today", END.isoformat(), "--data", TINY]) == 1
    assert "这个工作簿不是从本方案导出的（工作簿记录的方案承诺值不在本方案的承诺链中）" in capsys.readouterr().err
