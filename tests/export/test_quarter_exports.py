"""The quarter's exports: the 抽查结果公示 (public: no inspector, no note) and one 整改通知单 per business with
problems to fix, read back with csv and pypdf; publishing them is recorded in the plan."""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.cli import main
from planner.export import export_plan, record_publication
from planner.export.publicity import HEADERS
from planner.plan.folder import read_plan
from tests.export.test_export import BUSINESS_NAMES, INSPECTOR_NAMES, B, tiny_dataset, write_plan
from tests.quarter.quarter_plan import RECHECK, TODAY, quarter_plan, result

NOW = datetime(2026, 11, 23, 17, 0)


def pdf_text(path: Path) -> str:
    # pypdf yields a NUL before each CJK character of fpdf2's fonts (see test_export.py); drop them and spaces
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in PdfReader(path).pages))


def assert_private_left_out(text: str) -> None:
    assert not any(name in text for name in INSPECTOR_NAMES.values())
    assert not any(re.search(rf"\b{p}\b", text) for p in INSPECTOR_NAMES)
    assert "门口贴有停业告示" not in text and "门前堆放杂物" not in text  # notes stay internal


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("publicity")
    plan_dir = write_plan(root / "plan", quarter_plan())
    export_plan(plan_dir, tiny_dataset(), root / "out", ["notice", "pdf"], today=TODAY)
    return plan_dir, root / "out"


def test_publicity_csv_lists_unpublished_results_overdue_first(published):
    _, out = published
    raw = (out / "公示" / "抽查结果公示.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert reader.fieldnames == HEADERS
    rows = [(r["统一社会信用代码"], r["抽查事项"], r["检查类型"], r["检查日期"], r["检查结果"], r["实施机关"]) for r in reader]
    assert rows == [  # V2's result is past its 11-09 deadline: first; V1's results were published before
        (B[2], "危化品安全", "双随机抽查", "2026-10-12", "已关闭停业或正在组织清算", "应急管理局"),
        (B[3], "食品安全", "双随机抽查", "2026-11-04", "未发现问题", "市场监管局"),
        (B[1], "油烟与招牌", "整改复查", "2026-11-20", "发现问题待后续处理", "综合执法局")]
    assert_private_left_out(raw.decode("utf-8-sig"))


def test_publicity_html_and_pdf_hold_the_same_results_and_nothing_private(published):
    _, out = published
    page = (out / "公示" / "抽查结果公示.html").read_text(encoding="utf-8")
    text = pdf_text(out / "公示" / "抽查结果公示.pdf")
    for shown in (page, text):
        assert all(name in shown for name in (BUSINESS_NAMES[1], BUSINESS_NAMES[2], BUSINESS_NAMES[3]))
        assert BUSINESS_NAMES[4] not in shown  # V4 has no result
        assert_private_left_out(shown)


def test_publication_is_recorded_once_and_a_second_export_that_day_is_identical(published, tmp_path):
    plan_dir, out = published
    new = record_publication(plan_dir, tiny_dataset(), out, TODAY, user="协调员", now=NOW)
    assert [(d.result.visit_id, d.late(TODAY)) for d in new] == [("V2", True), ("V3", False), ("V6", False)]
    plan = read_plan(plan_dir)
    assert sum(r.published_on == TODAY for r in plan.results) == 3
    assert plan.results_log[-1].source == "公示/抽查结果公示.csv" and plan.results_log[-1].changed == 3
    assert plan.record.commitment_chain[-1]["event"].startswith(f"publish {TODAY.isoformat()} ")
    export_plan(plan_dir, tiny_dataset(), tmp_path / "again", ["notice"], today=TODAY)
    name = Path("公示") / "抽查结果公示.csv"
    assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes()
    assert record_publication(plan_dir, tiny_dataset(), tmp_path / "again", TODAY, user="协调员", now=NOW) == []
    export_plan(plan_dir, tiny_dataset(), tmp_path / "next", ["notice"], today=date(2026, 11, 24))
    assert not (tmp_path / "next" / name).exists()  # nothing left to publish


def rectification_plan():
    """B1: 市场监管局 and 综合执法局 both order rectification on V1, re-check V6 planned; B3: a problem pending
    follow-up with a deadline, no re-check yet."""
    return quarter_plan([
        result("V1", "I1", date(2026, 10, 9), "发现问题已责令改正", "责令改正", date(2026, 11, 9), note="从业人员无健康证"),
        result("V1", "I2", date(2026, 10, 9), "发现问题已责令改正", "责令改正", date(2026, 11, 2), note="门前堆放杂物"),
        result("V3", "I1", date(2026, 11, 4), "发现问题待后续处理", "", date(2026, 12, 4), note="冷藏温度不足"),
        result("V4", "I3", date(2026, 11, 5)),
    ])


def test_one_rectification_notice_per_business_with_every_departments_problems(tmp_path):
    plan_dir = write_plan(tmp_path / "plan", rectification_plan())
    export_plan(plan_dir, tiny_dataset(), tmp_path / "out", ["notice", "pdf"], today=TODAY)
    folder = tmp_path / "out" / "整改通知"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{B[n]}_{BUSINESS_NAMES[n]}.{ext}" for n in (1, 3) for ext in ("html", "pdf"))
    for shown in ((folder / f"{B[1]}_{BUSINESS_NAMES[1]}.html").read_text(encoding="utf-8"),
                  pdf_text(folder / f"{B[1]}_{BUSINESS_NAMES[1]}.pdf")):
        assert "从业人员无健康证" in shown and "门前堆放杂物" in shown  # both departments on one page
        assert "市场监管局" in shown and "综合执法局" in shown
        assert "2026-11-09" in shown and "2026-11-02" in shown
        assert f"复查安排：{RECHECK.date.isoformat()}" in shown.replace(" ", "")
        assert B[3] not in shown and BUSINESS_NAMES[3] not in shown and "冷藏温度不足" not in shown
        assert not any(name in shown for name in INSPECTOR_NAMES.values())
    other = (folder / f"{B[3]}_{BUSINESS_NAMES[3]}.html").read_text(encoding="utf-8")
    assert "复查日期另行通知" in other and BUSINESS_NAMES[1] not in other


def test_a_resolved_recheck_closes_the_notice(tmp_path):
    fixed = [*rectification_plan().results, result("V6", "I2", date(2026, 11, 20))]
    fixed = [dataclasses.replace(r, disposal="无需处置", rectify_by=None) if r.visit_id == "V1" and r.item_id == "I1"
             else r for r in fixed]
    plan_dir = write_plan(tmp_path / "plan", quarter_plan(fixed))
    export_plan(plan_dir, tiny_dataset(), tmp_path / "out", ["notice"], today=TODAY)
    assert sorted(p.name for p in (tmp_path / "out" / "整改通知").iterdir()) == [f"{B[3]}_{BUSINESS_NAMES[3]}.html"]


def test_cli_export_records_the_publication(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("planner.cli.export.load_dataset", lambda path: tiny_dataset())
    plan_dir = write_plan(tmp_path / "plan", quarter_plan())
    args = ["export", str(plan_dir), "--data", "x", "--out", str(tmp_path / "out"), "--format", "notice",
            "--today", TODAY.isoformat(), "--by", "协调员"]
    assert main(args) == 0
    assert "新列入 3 条结果（其中已超过公示期限 1 条，排在最前）" in capsys.readouterr().out
    assert main(args) == 0
    assert "新列入" not in capsys.readouterr().out
