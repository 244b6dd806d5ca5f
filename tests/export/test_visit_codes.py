"""检查码: a code verifies against its root and fails on any changed field, on another visit's path and on a
superseded root; the chain tells superseded from still valid; a code carries no other business's data; the
documented worked example recomputes with sha256sum."""
from __future__ import annotations

import base64
import dataclasses
import json
import re
import shutil
import string
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.check.commitment import code_verdict
from planner.cli import main
from planner.export import export_plan
from planner.export.codes import visit_codes
from planner.export.context import ExportContext
from planner.plan import commitment
from planner.plan.api import run_plan
from planner.plan.folder import read_plan
from planner.plan.visit_code import Code, VisitFields, date_commitment, issue_all, parse_code, visit_fields, visit_leaf
from planner.quarter.results import import_results

ROOT = Path(__file__).resolve().parents[2]
EARLY = date(2026, 9, 1)  # an export long before the quarter: every notice shows only the week


def codes_of(plan_dir: Path, dataset, today: date = EARLY) -> dict[str, Code]:
    return visit_codes(ExportContext.load(plan_dir, dataset, today))


def root_of(folder: Path) -> str:
    return json.loads((folder / "record.json").read_text(encoding="utf-8"))["commitment"]


def public_links(folder: Path) -> list[dict]:
    record = read_plan(folder).record
    return commitment.public_chain(record.period, record.commitment_chain)["links"]


@pytest.fixture
def plan_dir(tiny_plan_dir, tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(tiny_plan_dir, folder)
    return folder


@pytest.fixture
def replanned(tiny, tiny_run, plan_dir, tmp_path):
    """A re-plan that moves the first visit: its first officer is absent on its day."""
    visit = tiny_run.plan.visits[0]
    run = run_plan(tiny, previous=read_plan(plan_dir), changes=[f"absent:{visit.inspector_ids[0]}:{visit.date}:{visit.date}"],
                   time_limit_s=10)
    run.write(tmp_path / "replan")
    return tmp_path / "replan", visit.visit_id


def test_every_code_verifies_against_the_plans_root(tiny, plan_dir, capsys):
    codes = codes_of(plan_dir, tiny)
    root = root_of(plan_dir)
    assert set(codes) == {v.visit_id for v in read_plan(plan_dir).visits}
    for code in codes.values():
        assert code_verdict(code.text(), root).status == "valid"
    some = next(iter(codes.values()))
    assert main(["verify-code", some.text(), "--root", root]) == 0
    out = capsys.readouterr().out
    assert out.startswith("有效：") and f"被检查单位：{some.field('business')}" in out


def test_a_changed_field_fails(tiny, plan_dir, capsys):
    root = root_of(plan_dir)
    code = next(iter(codes_of(plan_dir, tiny).values()))
    lines = code.fields_text.splitlines(keepends=True)
    for n, line in enumerate(lines):
        key, _, value = line.partition("=")
        forged = dataclasses.replace(code, fields_text="".join([*lines[:n], f"{key}={value[:-1]}X\n", *lines[n + 1:]]))
        assert code_verdict(forged.text(), root).status == "invalid", key
    week = date.fromisoformat(code.field("week"))
    for other in (dataclasses.replace(code, salt="00" * 16), dataclasses.replace(code, date_sha256="00" * 32),
                  dataclasses.replace(code, root="00" * 32), dataclasses.replace(code, index=code.index ^ 1)):
        assert not code_verdict(other.text(), root).valid
    assert main(["verify-code", forged.text(), "--root", root]) == 1
    assert capsys.readouterr().out.startswith("无效：检查码的内容与它自带的证明不符")
    assert week.weekday() == 0


def test_another_visits_path_fails(tiny, plan_dir):
    root = root_of(plan_dir)
    first, second = list(codes_of(plan_dir, tiny).values())[:2]
    for swapped in (dataclasses.replace(first, path=second.path), dataclasses.replace(first, index=second.index),
                    dataclasses.replace(first, path=second.path, index=second.index)):
        assert code_verdict(swapped.text(), root).status == "invalid"


def test_the_day_shows_only_within_notice_days(tiny, plan_dir):
    visits = sorted(read_plan(plan_dir).visits, key=lambda v: v.date)
    day = visits[0].date
    codes = codes_of(plan_dir, tiny, today=day - timedelta(days=tiny.settings.notice_days))
    assert codes[visits[0].visit_id].day == day
    late = [v for v in visits if v.date - day > timedelta(days=tiny.settings.notice_days)]
    assert late and all(codes[v.visit_id].day is None for v in late)
    # both forms of a code prove the same leaf
    early = codes_of(plan_dir, tiny)[visits[0].visit_id]
    assert early.day is None and early.leaf == codes[visits[0].visit_id].leaf


def test_a_moved_visits_old_code_is_superseded_and_an_unmoved_one_still_valid(tiny, plan_dir, replanned, capsys):
    folder, moved = replanned
    old_codes, new_root = codes_of(plan_dir, tiny), root_of(folder)
    links = public_links(folder)
    assert old_codes[moved].leaf in links[1]["removed_leaves"]
    assert code_verdict(old_codes[moved].text(), new_root).status == "invalid"  # without the chain: not this root
    verdict = code_verdict(old_codes[moved].text(), new_root, links)
    assert verdict.status == "superseded" and "第 2 环（重排）" in verdict.message
    kept = next(v for v in old_codes if old_codes[v].leaf not in links[1]["removed_leaves"])
    assert code_verdict(old_codes[kept].text(), new_root, links).status == "still_valid"
    new_codes = codes_of(folder, tiny)
    assert new_codes[moved].leaf != old_codes[moved].leaf and new_codes[kept].leaf == old_codes[kept].leaf
    assert code_verdict(new_codes[moved].text(), new_root, links).status == "valid"
    # an old root the chain holds, a code issued after it
    assert code_verdict(new_codes[moved].text(), root_of(plan_dir), links).status == "invalid"
    chain_file = folder.parent / "承诺链.json"
    chain_file.write_text(json.dumps(commitment.public_chain("", read_plan(folder).record.commitment_chain)),
                          encoding="utf-8")
    assert main(["verify-code", old_codes[moved].text(), "--root", new_root, "--chain", str(chain_file)]) == 1
    assert capsys.readouterr().out.startswith("已被取代：")
    assert main(["verify-code", old_codes[kept].text(), "--plan", str(folder)]) == 0
    assert capsys.readouterr().out.startswith("仍然有效：")


def test_an_import_of_results_keeps_every_code_valid(tiny, plan_dir, tmp_path):
    plan = read_plan(plan_dir)
    codes = codes_of(plan_dir, tiny)
    first = plan.visits[0]
    results = tmp_path / "results.csv"
    results.write_text("visit_id,item_id,checked_on,result,disposal,rectify_by,inspector_ids,note\n" + "".join(
        f"{first.visit_id},{item},{first.date},未发现问题,无需处置,,{';'.join(first.inspector_ids)},\n"
        for item in first.item_ids), encoding="utf-8")
    import_results(plan_dir, [results], today=first.date, user="王芳", now=datetime(2026, 10, 14, 9))
    links = public_links(plan_dir)
    assert len(links) == 2 and links[1]["added_leaves"] == links[1]["removed_leaves"] == []
    assert {code_verdict(c.text(), root_of(plan_dir), links).status for c in codes.values()} == {"still_valid"}
    assert {code_verdict(c.text(), root_of(plan_dir)).status for c in codes_of(plan_dir, tiny).values()} == {"valid"}


def test_a_forged_public_chain_is_refused(tiny, plan_dir, replanned):
    from models.problems import UserError

    folder, moved = replanned
    links = public_links(folder)
    links[1]["removed_leaves"] = []  # hiding that the visit moved
    with pytest.raises(UserError, match="承诺链第 2 环的承诺值与它列出的叶子不符"):
        code_verdict(codes_of(plan_dir, tiny)[moved].text(), None, links)


def test_a_plan_made_before_the_tree_issues_no_code_and_says_so(tiny, plan_dir, capsys):
    record = json.loads((plan_dir / "record.json").read_text(encoding="utf-8"))
    del record["salt_key"]
    files = {name: data for name, data in commitment.folder_files(plan_dir).items() if name != "record.json"}
    record["commitment_chain"] = commitment.extend([], record["commitment_chain"][0]["event"],
                                                   files)  # the earlier kind of link, over the files alone
    record["commitment"] = record["commitment_chain"][0]["commitment"]
    (plan_dir / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert codes_of(plan_dir, tiny) == {}
    assert main(["verify", str(plan_dir), "--data", "fixtures/tiny"]) == 0
    assert "该方案由旧版本生成，承诺链只覆盖方案文件，不含各次检查的检查码" in capsys.readouterr().out


def test_codes_csv_lists_every_visit(tiny, plan_dir, tmp_path):
    export_plan(plan_dir, tiny, tmp_path / "out", ["visit"], today=EARLY)
    rows = (tmp_path / "out" / "检查通知书" / "检查码.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "visit_id,credit_code,code" and len(rows) == len(read_plan(plan_dir).visits) + 1
    codes = codes_of(plan_dir, tiny)
    visit_id, credit_code, text = rows[1].split(",")
    assert codes[visit_id].text() == text and codes[visit_id].field("credit_code") == credit_code
    chain = json.loads((tmp_path / "out" / "公示" / "承诺链.json").read_text(encoding="utf-8"))
    assert "event" not in json.dumps(chain) and chain["links"][-1]["commitment"] == root_of(plan_dir)


# --- a code carries no other business's data ----------------------------------------------------------------

NAMES = st.text(alphabet=string.ascii_letters + "天马球川饭店民宿加油站张李王赵市场监管消防", min_size=3, max_size=8)


@st.composite
def random_plans(draw) -> list[VisitFields]:
    """Visits whose every own value holds the marker 〔n〕 of its visit, so no value is part of another's."""
    out = []
    for n in range(draw(st.integers(min_value=1, max_value=12))):
        business, officer, badge = (f"〔{n}〕{draw(NAMES)}" for _ in range(3))
        day = date(2026, 10, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=90)))
        credit_code = f"9133082200{n:08d}"
        out.append(VisitFields(f"V{credit_code}", day, credit_code, business, "市场监督管理局", (),
                               (("市场监督管理局", "食品安全"),), (("市场监督管理局", officer, badge),), "routine"))
    return out


@settings(max_examples=60, deadline=None)
@given(random_plans(), st.binary(min_size=32, max_size=32), st.booleans())
def test_a_code_carries_no_other_business_data(visits, key, with_day):
    codes = issue_all(visits, key.hex(), commitment.leaf_hash(b"state"), lambda day: with_day)
    for n, mine in enumerate(visits):
        text = codes[mine.visit_id].text()
        body = base64.b32decode(text[5:] + "=" * (-len(text[5:]) % 8))
        for m, other in enumerate(visits):
            if m != n:
                assert f"〔{m}〕".encode() not in body and other.credit_code.encode() not in body
        decoded = parse_code(text)
        assert decoded.fields_text == mine.text() and decoded.day == (mine.day if with_day else None)
        assert code_verdict(text, decoded.root).status == "valid"


# --- the worked example of docs/commitment.md -------------------------------------------------------------

def test_the_worked_example_recomputes_with_sha256sum(tmp_path):
    text = (ROOT / "docs" / "commitment.md").read_text(encoding="utf-8")
    script = re.search(r"### Worked example.*?```bash\n(.*?)```", text, re.S).group(1)
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    printed = [line.split()[0] for line in done.stdout.splitlines()]
    salt_key = "00" * 31 + "01"
    fields = VisitFields("V91330822MA2000001U", date(2026, 10, 14), "91330822MA2000001U", "天马小吃店", "市场监督管理局",
                         ("消防救援大队",), (("市场监督管理局", "食品安全检查"), ("消防救援大队", "消防安全检查")),
                         (("市场监督管理局", "张三", "33082200123"), ("消防救援大队", "李四", "33082200456")), "routine")
    state = commitment.state_leaf("", "plan seed=example period=2026Q4", "0" * 64)
    other = commitment.leaf_hash(b"visit\nanother visit\n")
    code = issue_all([fields], salt_key, state, lambda day: True)[fields.visit_id]
    assert code.salt in script and code.date_salt in script and other in script and state in script
    root = commitment.tree_root(commitment.ordered_leaves({visit_leaf(fields, salt_key), other}, state))
    assert printed == [date_commitment(code.date_salt, fields.day), visit_leaf(fields, salt_key), root] and root in text


def test_visit_fields_come_from_the_dataset_by_name(tiny, tiny_run):
    visit = tiny_run.plan.visits[0]
    fields = visit_fields(visit, tiny)
    assert fields.lead == tiny.department[visit.lead_dept_id].name
    assert [o[1] for o in fields.officers] == [tiny.inspector[p].name for p in visit.inspector_ids]
    assert [i[1] for i in fields.items] == [tiny.item[i].name for i in visit.item_ids]
