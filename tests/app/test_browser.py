"""The app in a real browser (Debian's chromium through playwright); scripts/test.sh installs chromium.

scripts/browser_check.py logs in, plans, makes a what-if, opens the hand-move calendar, picks plans in the
sidebar, adopts the scenario, reloads, opens a department's view, a department's own account and the pages at a
phone's width; it fails on an exception, an English word (toolbars included), a solver status, raw change syntax
or a chart wider than its column on any page, and saves a screenshot of each.
scripts/phone_check.py does the same for the inspector's phone page and the business's rating page at 390×844.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["数据", "抽取", "排程", "结果", "假设分析-变化", "假设分析-手工调整日历", "假设分析-代价", "假设分析-采用",
         "刷新后-部门视图-进度", "进度", "部门视图-结果", "部门视图-结果登记", "部门视图-下载", "导出", "部门账号-检查安排",
         "部门账号-进度", "手机-结果", "手机-假设分析", "手机-进度"]


@pytest.mark.browser
def test_plan_and_what_if_through_the_page_in_chinese(tmp_path):
    import playwright  # noqa: F401  (the test extra installs it; scripts/test.sh installs the test extra)

    if not Path("/usr/bin/chromium").exists():
        pytest.fail("缺少 Debian chromium：请运行 scripts/setup.sh test")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "browser_check.py"), str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    shots = sorted(tmp_path.glob("*.png"))
    assert [p.stem.split("-", 1)[1] for p in shots] == PAGES
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000  # a real page


PHONE_PAGES = ["today", "checklist", "entry", "saved", "rate"]


@pytest.mark.browser
def test_the_inspectors_phone_and_the_rating_page_at_390_by_844(tmp_path):
    """scripts/phone_check.py: an inspector logs in on a 390×844 touch screen, sees only their own visits, opens the
    checklist, enters results with a team deviation stated, sees them saved in the visit's card; then a business
    rates its visit without an account, once. It fails on an exception, English, another officer's visit or
    anything reaching beyond the screen's edges."""
    import playwright  # noqa: F401

    if not Path("/usr/bin/chromium").exists():
        pytest.fail("缺少 Debian chromium：请运行 scripts/setup.sh test")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "phone_check.py"), str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    shots = sorted(tmp_path.glob("phone-*.png"))
    assert [p.stem.split("-", 2)[2] for p in shots] == PHONE_PAGES
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
        assert shot.read_bytes()[16:24] == (780).to_bytes(4, "big") + (1688).to_bytes(4, "big")  # 390×844 at 2×
