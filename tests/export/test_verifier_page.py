"""检查码核验.html in Debian's chromium with the network off: a code pasted or in the URL fragment verifies with
the browser's own SHA-256; a changed code and a superseded one are told apart (playwright, 390×844)."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from planner.export import export_plan
from planner.export.codes import visit_codes
from planner.export.context import ExportContext
from planner.plan.api import run_plan
from planner.plan.folder import read_plan

CHROMIUM = "/usr/bin/chromium"
EARLY = date(2026, 9, 1)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def exported(tiny, tiny_run, tiny_plan_dir, tmp_path):
    """The tiny plan's codes, and the page exported from a re-plan that moved the first visit."""
    plan_dir = tmp_path / "plan"
    shutil.copytree(tiny_plan_dir, plan_dir)
    old = visit_codes(ExportContext.load(plan_dir, tiny, EARLY))
    visit = tiny_run.plan.visits[0]
    run = run_plan(tiny, previous=read_plan(plan_dir), changes=[f"absent:{visit.inspector_ids[0]}:{visit.date}:{visit.date}"],
                   time_limit_s=10)
    run.write(tmp_path / "replan")
    export_plan(tmp_path / "replan", tiny, tmp_path / "out", ["visit"], today=EARLY)
    new = visit_codes(ExportContext.load(tmp_path / "replan", tiny, EARLY))
    return tmp_path / "out" / "公示" / "检查码核验.html", old, new, visit.visit_id


def verdict_of(page) -> tuple[str, str]:
    page.wait_for_selector("#verdict[data-status]")
    box = page.locator("#verdict")
    return box.get_attribute("data-status"), box.inner_text()


@pytest.mark.browser
def test_the_page_verifies_codes_offline(exported, tmp_path):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("缺少 Debian chromium：请运行 scripts/setup.sh test")
    page_path, old, new, moved = exported
    kept = next(v for v in new if new[v].leaf == old[v].leaf)
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, offline=True)
        context.route("**/*", lambda route: (requests.append(route.request.url), route.continue_()))
        page = context.new_page()
        page.goto(page_path.as_uri() + "#" + new[moved].text())
        assert page.evaluate("window.isSecureContext && !!crypto.subtle")  # WebCrypto, not the fallback
        status, text = verdict_of(page)
        assert status == "valid" and text.startswith("有效：")
        assert new[moved].field("business") in page.locator("#fields").inner_text()
        page.screenshot(path=str(tmp_path / "verifier.png"), full_page=True)

        def paste(code: str) -> tuple[str, str]:
            page.evaluate("document.getElementById('verdict').removeAttribute('data-status')")
            page.fill("#code", code)
            page.click("#check")
            return verdict_of(page)

        assert paste(old[moved].text())[0] == "superseded"
        status, text = paste(old[kept].text())
        assert status == "valid" and text.startswith("仍然有效：")
        forged = new[moved].text()
        forged = forged[:-40] + ("A" if forged[-40] != "A" else "B") + forged[-39:]
        assert paste(forged)[0] == "invalid"
        assert paste("hello")[1].startswith("无效：这不是有效的检查码")
        browser.close()
    assert all(url.startswith("file://") for url in requests)
