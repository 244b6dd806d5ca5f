"""verify: the draw re-derived from record.json's seed catches every kind of tampering, naming what changed."""
from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from models.problems import UserError
from models.records import PastInspection
from planner.check.verify import verify_plan
from planner.cli import main
from planner.draw import draw
from planner.draw.files import DrawRecord, draw_files
from planner.draw.knocks import knocks_of_draw
from planner.plan.folder import write_plan_folder
from planner.plan.record import PlanRecord
from tests.draw_helpers import small_county

SEED = "20261001"


@pytest.fixture
def dataset():
    return small_county(seed=None)


@pytest.fixture
def plan(tmp_path, dataset):
    folder = tmp_path / "plan"
    result = draw(dataset, SEED)
    files = draw_files(result)
    write_plan_folder(folder, files, PlanRecord(DrawRecord.of(result, files, knocks_of_draw(result))))
    return folder


def verify_draw(folder, dataset) -> list[str]:
    return verify_plan(folder, dataset).findings


def edit_line(path, index, old, new):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines[index]


def test_untouched_plan_verifies_clean(plan, dataset):
    assert verify_draw(plan, dataset) == []


def test_swapped_business_in_draw_csv_is_named_with_item_and_class(plan, dataset):
    header, first = (plan / "draw.csv").read_text(encoding="utf-8").splitlines()[:2]
    item_id, _, original, risk = first.split(",")[:4]
    frame = next(f for f in draw(dataset, SEED).frames if (f.item_id, f.risk_level) == (item_id, risk))
    outsider = frame.codes[frame.sample_size]  # next in the random order, not drawn
    edit_line(plan / "draw.csv", 1, original, outsider)
    findings = "\n".join(verify_draw(plan, dataset))
    assert "draw.csv 在抽取后被改动" in findings
    assert f"事项 {item_id}（事项{item_id}） 风险等级 {risk}：draw.csv 列出的对象不在重新推导的样本中：对象 {outsider}" \
        in findings
    assert f"重新推导抽中的对象在 draw.csv 中缺失：对象 {original}" in findings


def test_edited_rank_is_named(plan, dataset):
    line = (plan / "draw.csv").read_text(encoding="utf-8").splitlines()[1]
    assert line.endswith(",1")
    edit_line(plan / "draw.csv", 1, line, line[:-1] + "9")
    findings = "\n".join(verify_draw(plan, dataset))
    assert f"对象 {line.split(',')[2]}" in findings and "rank 为 9（应为 1）" in findings


def test_changed_business_row_is_caught_and_the_business_named(plan, dataset):
    drawn = draw(dataset, SEED).pairs[0]
    original = dataset.business[drawn.credit_code]
    moved = dataclasses.replace(original, risk_level="A" if original.risk_level != "A" else "B")
    changed = dataclasses.replace(
        dataset, businesses=[moved if b is original else b for b in dataset.businesses],
        inputs_sha256={"businesses.csv": "1" * 64})
    findings = "\n".join(verify_draw(plan, changed))
    assert "输入文件 businesses.csv 在抽取后被改动" in findings
    assert f"事项 {drawn.item_id}（事项{drawn.item_id}） 风险等级 {drawn.risk_level}：对象框与抽取时不同" in findings
    assert f"对象 {drawn.credit_code}（{original.name}）：draw.csv 中风险等级为 {original.risk_level}，" \
           f"名录库现在为 {moved.risk_level}" in findings


def test_changed_row_of_a_business_that_was_not_drawn_is_named_through_the_published_frames(plan, dataset):
    drawn = {p.credit_code for p in draw(dataset, SEED).pairs}
    quiet = next(b for b in dataset.businesses if b.credit_code not in drawn and b.risk_level == "B")
    moved = dataclasses.replace(quiet, risk_level="C")
    changed = dataclasses.replace(dataset, businesses=[moved if b is quiet else b for b in dataset.businesses])
    findings = verify_draw(plan, changed)
    named = f"对象 {quiet.credit_code}（{quiet.name}）"
    moved_out = [f for f in findings if "风险等级 B：对象框与抽取时不同" in f]
    moved_in = [f for f in findings if "风险等级 C：对象框与抽取时不同" in f]
    assert moved_out and all(f"移出 {named}" in f for f in moved_out)
    assert moved_in and all(f"新增 {named}" in f for f in moved_in)


def test_history_reaching_the_yearly_cap_changes_the_frame(plan, dataset):
    drawn = draw(dataset, SEED).pairs[0]
    history = [PastInspection(drawn.credit_code, drawn.dept_id, date(2026, m, 1)) for m in (2, 5)]
    changed = dataclasses.replace(dataset, history=history)
    findings = "\n".join(verify_draw(plan, changed))
    assert f"风险等级 {drawn.risk_level}：对象框与抽取时不同" in findings
    assert f"重新推导的样本中：对象 {drawn.credit_code}" in findings


def test_changed_seed_in_the_record_is_caught(plan, dataset):
    record = json.loads((plan / "record.json").read_text(encoding="utf-8"))
    record["seed"] = "20261002"
    (plan / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    findings = verify_draw(plan, dataset)
    assert "随机种子或参数可能在抽取后被改动" in findings[0]
    assert len(findings) <= 2 + 2 * 21  # capped, not one line per row


def test_seed_differing_from_settings_is_reported(plan, dataset):
    other = dataclasses.replace(dataset, settings=dataset.settings.with_changes(seed="777"))
    assert any("随机种子：record.json 为 20261001，数据集 settings.toml 事先公布的为 777" in f
               for f in verify_draw(plan, other))


def test_changed_setting_is_reported_once_and_the_draw_still_checks(plan, dataset):
    other = dataclasses.replace(dataset, settings=dataset.settings.with_changes(cross_zone="forbid"))
    findings = verify_draw(plan, other)
    assert len(findings) == 1 and "cross_zone" in findings[0]


def test_edited_inspector_order_names_business_and_department(plan, dataset):
    lines = (plan / "inspector_orders.csv").read_text(encoding="utf-8").splitlines()
    code, dept_id, rank, first, zone, flag = lines[1].split(",")
    _, _, _, second, _, _ = lines[2].split(",")
    lines[1], lines[2] = lines[1].replace(first, second), lines[2].replace(second, first)
    (plan / "inspector_orders.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    findings = "\n".join(verify_draw(plan, dataset))
    assert "inspector_orders.csv 在抽取后被改动" in findings
    assert f"对象 {code}（" in findings and f"（{dept_id}） 检查人员随机顺序与重新推导不符" in findings


def test_missing_record_is_a_clear_error(tmp_path, dataset):
    with pytest.raises(UserError, match="record.json"):
        verify_draw(tmp_path, dataset)


def test_cli_verify_exit_codes_and_chinese_output(plan, dataset, monkeypatch, capsys):
    monkeypatch.setattr("planner.cli.verify.load_dataset", lambda path: dataset)
    args = ["verify", str(plan), "--data", "ignored"]
    assert main(args) == 0
    assert "复核通过" in capsys.readouterr().out
    edit_line(plan / "draw.csv", 1, ",1", ",2")
    assert main(args) == 1
    assert "复核发现" in capsys.readouterr().out
