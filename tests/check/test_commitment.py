"""verify cannot be fooled: hand edits that keep every rule are caught by the plan's commitment, exemptions come
from the recorded changes (bound to the chain), never from what the plan says about itself, and a published
commitment accepts exactly the recorded what-ifs after it."""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.check.rules import check_plan
from planner.check.verify import verify_plan
from planner.cli import main
from planner.draw import draw
from planner.plan import commitment
from planner.plan.api import run_plan
from planner.plan.folder import plan_files, read_plan
from planner.plan.model import Assignment, Plan
from planner.plan.visit_code import visit_leaves

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def plan_dir(tiny_plan_dir, tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(tiny_plan_dir, folder)
    return folder


def record_of(folder: Path) -> dict:
    return json.loads((folder / "record.json").read_text(encoding="utf-8"))


def write_record(folder: Path, record: dict) -> None:
    (folder / "record.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")


def write_schedule(folder: Path, plan: Plan) -> None:
    """visits.csv and assignments.csv rewritten as the tool writes them: a consistent edit."""
    files = plan_files(plan)
    for name in ("visits.csv", "assignments.csv"):
        (folder / name).write_bytes(files[name])


def edited(dataset, plan: Plan, index: int, **changes) -> Plan:
    """The plan with one visit changed and its assignment rows following, in place."""
    old = plan.visits[index]
    new = dataclasses.replace(old, **changes)
    team = [Assignment(new.visit_id, new.date, p, dataset.inspector[p].dept_id, new.credit_code, new.town_id)
            for p in new.inspector_ids]
    first = next(k for k, a in enumerate(plan.assignments) if a.visit_id == old.visit_id)
    others = [a for a in plan.assignments if a.visit_id != old.visit_id]
    visits = [*plan.visits[:index], new, *plan.visits[index + 1:]]
    return dataclasses.replace(plan, visits=visits, assignments=others[:first] + team + others[first:])


def legal_edits(tiny, plan: Plan):
    """Edited plans that keep every hard rule, so that only the commitment can tell."""
    the_draw = draw(tiny, plan.record.seed)
    for i, visit in enumerate(plan.visits):
        for day in tiny.workdays:
            if day != visit.date:
                yield "moved", edited(tiny, plan, i, date=day), the_draw
        for p in visit.inspector_ids:
            dept = tiny.inspector[p].dept_id
            for q in the_draw.shortlist(visit.credit_code, dept):
                if q not in visit.inspector_ids:
                    team = tuple(q if x == p else x for x in visit.inspector_ids)
                    yield "swapped", edited(tiny, plan, i, inspector_ids=team), the_draw


def rewritten_chain(folder: Path, tiny) -> dict:
    """record.json with its whole chain recomputed over the folder as it is now: what a forger would write."""
    record = record_of(folder)
    leaves = set(visit_leaves(read_plan(folder).visits, tiny, record["salt_key"]).values())
    record["commitment_chain"] = commitment.extend([], record["commitment_chain"][0]["event"],
                                                   commitment.folder_files(folder), leaves)
    record["commitment"] = record["commitment_chain"][-1]["commitment"]
    return record


def first_legal(tiny, plan: Plan, kind: str) -> Plan:
    for what, candidate, the_draw in legal_edits(tiny, plan):
        if what == kind and check_plan(tiny, candidate, the_draw) == []:
            return candidate
    raise AssertionError(f"no {kind} edit keeps every rule")


@pytest.mark.parametrize("kind", ["moved", "swapped"])
def test_a_consistent_hand_edit_that_keeps_every_rule_is_caught(kind, tiny, plan_dir):
    plan = read_plan(plan_dir)
    write_schedule(plan_dir, first_legal(tiny, plan, kind))
    edited_visit = next(v.visit_id for v, w in zip(read_plan(plan_dir).visits, plan.visits) if v != w)
    findings = verify_plan(plan_dir, tiny).findings
    assert findings == ["[承诺] 方案文件与 record.json 中最后一环承诺不符：assignments.csv、visits.csv 被改动"
                        "（用 Excel 打开后另存也会改变文件）。请使用程序生成的原文件；要调整安排，请用 plan --previous … "
                        "--change … 重排，调整会记入承诺链。",
                        f"[承诺] 承诺链最后一环承诺的检查（检查码的叶子）与 visits.csv 及数据集中的名称、执法证号不符："
                        f"{edited_visit}。若数据集在生成方案后改过部门、事项、人员名称或执法证号，请用生成方案时的数据集核对；"
                        "否则方案在生成后被改动。"]


def test_an_untouched_plan_matches_its_published_commitment(tiny, plan_dir, capsys):
    published = record_of(plan_dir)["commitment"]
    result = verify_plan(plan_dir, tiny, published)
    assert result.findings == [] and result.published.position == 1 and result.published.events_since == []
    assert main(["verify", str(plan_dir), "--data", "fixtures/tiny", "--commitment", published.upper()]) == 0
    out = capsys.readouterr().out
    assert f"方案文件与承诺值 {published} 一致" in out and "公示后没有任何调整" in out


def test_urgent_written_into_the_record_exempts_nobody(tiny, plan_dir):
    """A team outside the shortlist, excused by an 'urgent' change added to record.json by hand."""
    plan = read_plan(plan_dir)
    the_draw = draw(tiny, plan.record.seed)
    visit = plan.visits[0]
    p = visit.inspector_ids[0]
    dept = tiny.inspector[p].dept_id
    outsider = next(q.inspector_id for q in tiny.inspectors if q.dept_id == dept
                    and q.inspector_id not in the_draw.shortlist(visit.credit_code, dept))
    write_schedule(plan_dir, edited(tiny, plan, 0, inspector_ids=(outsider, *visit.inspector_ids[1:])))
    record = record_of(plan_dir)
    record["changes"] = [f"urgent:{visit.credit_code}"]
    record["urgent"] = [visit.credit_code]
    write_record(plan_dir, record)
    findings = "\n".join(verify_plan(plan_dir, tiny).findings)
    assert f"[双随机] visits.csv 第2行：{outsider} 不在该企业{dept}部门的随机候选名单内" in findings
    assert f"record.json 列出的假设分析变化（urgent:{visit.credit_code}）与承诺链记录的（无）不符" in findings


def test_fewest_towns_written_into_the_record_does_not_lift_the_one_town_rule(tiny, plan_dir):
    plan = read_plan(plan_dir)
    i, j = next((i, j) for i, a in enumerate(plan.visits) for j, b in enumerate(plan.visits)
                if a.town_id != b.town_id and a.date != b.date and set(a.inspector_ids) & set(b.inspector_ids))
    write_schedule(plan_dir, edited(tiny, plan, j, date=plan.visits[i].date))
    record = record_of(plan_dir)
    record["parameters"]["town_rule"] = "fewest_towns"
    write_record(plan_dir, record)
    findings = verify_plan(plan_dir, tiny).findings
    assert any(f.startswith("[一日一镇]") for f in findings)
    assert any(f.startswith("[承诺] 方案文件与 record.json 中最后一环承诺不符") for f in findings)


@pytest.fixture
def replanned(tiny, tiny_run, plan_dir, tmp_path):
    """The plan, then a recorded what-if: the first visit's first inspector absent on its day."""
    visit = tiny_run.plan.visits[0]
    change = f"absent:{visit.inspector_ids[0]}:{visit.date}:{visit.date}"
    run = run_plan(tiny, previous=read_plan(plan_dir), changes=[change], time_limit_s=10)
    run.write(tmp_path / "replan")
    return tmp_path / "replan", change


def test_recorded_what_ifs_after_the_published_commitment_are_accepted_and_listed(tiny, plan_dir, replanned,
                                                                                   capsys):
    folder, change = replanned
    published = record_of(plan_dir)["commitment"]
    result = verify_plan(folder, tiny, published)
    assert result.findings == []
    assert (result.published.position, result.published.links) == (1, 2)
    assert result.published.events_since == [f"重排：{change}"]
    assert main(["verify", str(folder), "--data", "fixtures/tiny", "--commitment", published]) == 0
    assert f"公示的承诺值是承诺链第 1/2 环；公示后经记录的调整：\n  - 重排：{change}" in capsys.readouterr().out


def test_a_hand_edit_after_a_recorded_what_if_is_caught(tiny, replanned):
    folder, _ = replanned
    plan = read_plan(folder)
    write_schedule(folder, first_legal(tiny, plan, "moved"))
    findings = verify_plan(folder, tiny).findings
    assert len(findings) == 2 and findings[0].startswith("[承诺] 方案文件与 record.json 中最后一环承诺不符")
    assert findings[1].startswith("[承诺] 承诺链最后一环承诺的检查（检查码的叶子）与 visits.csv")


def test_a_recorded_change_removed_from_the_record_is_caught(tiny, replanned):
    folder, change = replanned
    record = record_of(folder)
    record["changes"] = []
    write_record(folder, record)
    findings = verify_plan(folder, tiny).findings
    assert f"[承诺] record.json 列出的假设分析变化（无）与承诺链记录的（{change}）不符：record.json 在生成后被改动。" \
        in findings


def test_a_rewritten_chain_passes_alone_but_not_against_the_published_commitment(tiny, plan_dir, capsys):
    """Whoever edits the files and recomputes the whole chain fools the folder, not the published value."""
    published = record_of(plan_dir)["commitment"]
    write_schedule(plan_dir, first_legal(tiny, read_plan(plan_dir), "swapped"))
    write_record(plan_dir, rewritten_chain(plan_dir, tiny))
    assert verify_plan(plan_dir, tiny).findings == []
    findings = verify_plan(plan_dir, tiny, published).findings
    assert findings == [f"[承诺] 公示的承诺值 {published} 不在本方案的承诺链中：这不是公示时的那份方案，"
                        "或方案在公示后被改动、承诺链被重写。"]
    assert main(["verify", str(plan_dir), "--data", "fixtures/tiny", "--commitment", published]) == 1
    assert "复核发现 1 处问题" in capsys.readouterr().out


def test_an_edited_link_breaks_the_chain(tiny, replanned):
    folder, _ = replanned
    record = record_of(folder)
    record["commitment_chain"][0]["event"] += " (edited)"
    write_record(folder, record)
    findings = verify_plan(folder, tiny).findings
    assert "[承诺] record.json 的承诺链第 1 环与它的记录内容或前一环不符：承诺链在生成后被改动。" in findings


def test_a_commitment_that_is_not_a_digest_is_a_clear_message(plan_dir, capsys):
    assert main(["verify", str(plan_dir), "--data", "fixtures/tiny", "--commitment", "abc"]) == 1
    assert "--commitment 应为公示中的方案承诺值（64 位十六进制数），收到：'abc'" in capsys.readouterr().err


def test_the_documented_recomputation_agrees_with_the_tool(plan_dir, replanned, tmp_path):
    """docs/commitment.md's few lines of plain Python, run as an outsider would, on a plan and a re-plan."""
    text = (ROOT / "docs" / "commitment.md").read_text(encoding="utf-8")
    script = tmp_path / "recompute.py"
    script.write_text(re.search(r"```python\n(.*?)```", text, re.S).group(1), encoding="utf-8")
    for folder in (plan_dir, replanned[0]):
        run = subprocess.run([sys.executable, str(script), str(folder)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert run.stdout.split()[-1] == record_of(folder)["commitment"]
    (plan_dir / "visits.csv").write_bytes((plan_dir / "visits.csv").read_bytes() + b"\n")
    run = subprocess.run([sys.executable, str(script), str(plan_dir)], capture_output=True, text=True)
    assert run.returncode != 0 and "files changed" in run.stderr


def test_solving_again_catches_an_edit_even_with_a_rewritten_chain(tiny, plan_dir, capsys):
    """--resolve: nobody kept the published value, yet the edited plan is not what the record gives."""
    assert verify_plan(plan_dir, tiny, resolve=True).findings == []
    write_schedule(plan_dir, first_legal(tiny, read_plan(plan_dir), "moved"))
    write_record(plan_dir, rewritten_chain(plan_dir, tiny))
    assert verify_plan(plan_dir, tiny).findings == []
    assert verify_plan(plan_dir, tiny, resolve=True).findings == [
        "[重算] 按 record.json 记录的随机种子、变化、今天的日期和求解时限重新求解，assignments.csv、visits.csv 与方案生成时的不同："
        "方案不是本程序按这些输入生成的，或在生成后被改动。"]


def test_solving_a_replan_again_needs_its_previous_plan(tiny, plan_dir, replanned, capsys):
    folder, _ = replanned
    assert main(["verify", str(folder), "--data", "fixtures/tiny", "--resolve"]) == 1
    assert "--resolve 还需要 --previous" in capsys.readouterr().err
    assert main(["verify", str(folder), "--data", "fixtures/tiny", "--resolve", "--previous", str(plan_dir)]) == 0
    assert "逐字节相同" in capsys.readouterr().out


def test_a_replan_that_knows_today_and_an_import_of_results_verify_clean(tiny, tiny_run, tmp_path):
    from datetime import date, datetime

    from planner.quarter.results import import_results

    first = tiny_run.plan.visits[0]
    again = run_plan(tiny, previous=tiny_run.plan, today=date(2026, 10, 14), time_limit_s=10)
    folder = tmp_path / "replan"
    again.write(folder)
    assert verify_plan(folder, tiny).findings == []
    results = tmp_path / "results.csv"
    rows = [f"{first.visit_id},{item},{first.date},未发现问题,无需处置,,{';'.join(first.inspector_ids)},"
            for item in first.item_ids]
    results.write_text("visit_id,item_id,checked_on,result,disposal,rectify_by,inspector_ids,note\n"
                       + "\n".join(rows) + "\n", encoding="utf-8")
    import_results(folder, [results], today=date(2026, 10, 14), user="王芳", now=datetime(2026, 10, 14, 9))
    assert verify_plan(folder, tiny).findings == []
    log = (folder / "results_log.csv").read_text(encoding="utf-8").splitlines()
    (folder / "results_log.csv").write_text(log[0] + "\n", encoding="utf-8")  # the import's line removed
    assert any("结果记录在生成后被改动" in f for f in verify_plan(folder, tiny).findings)
