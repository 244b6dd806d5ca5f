"""Drive the inspector's phone page and the business's rating page in Debian's chromium at 390×844, as a phone.

    .venv/bin/python scripts/phone_check.py [SCREENSHOT_FOLDER]     (default out/phone)

Stores the tiny fixture's plan in a throw-away database (today fixed at its first day through PLANNER_TODAY), adds
an inspector account for an officer of a joint visit of that day, starts `streamlit run app/main.py`, then on a
390×844 touch viewport: logs in, checks that the page shows that officer's visits and none of any other, that no
element reaches beyond the screen's edges (nothing to scroll sideways), that no English word or exception shows;
opens the visit's checklist (一表通查); enters the results of the officer's items with a team deviation stated and
waits for the visit's own card to say they are saved and counted; then opens the rating page (?page=rate) without
an account, rates a visit with its 评价码, and sees a second rating of the same visit refused. Screenshots
phone-1-today.png, phone-2-checklist.png, phone-3-entry.png, phone-4-saved.png and phone-5-rate.png are saved
(look at them).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from browser_check import (
    CHROMIUM,
    PAGE_TIMEOUT_MS,
    PASSWORD,
    ROOT,
    TODAY,
    dataset_codes,
    english_on_page,
    free_port,
    pick,
    start_app,
    stop_app,
    wait_healthy,
    with_drawn_date_words,
)
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(ROOT))
PHONE = {"width": 390, "height": 844}
OFFICER = "执法人员-手机检查"


def prepare(db: Path) -> dict:
    """The tiny plan stored as the coordinator would have it; the officer, their visit and the other visits."""
    from app.state import dataset_digest
    from models.loading import load_dataset
    from planner.plan.api import run_plan
    from planner.plan.rating_code import rating_code
    from planner.store.adoption import adopt_if_first
    from planner.store.officers import remember_officers
    from planner.store.store import Store

    dataset = load_dataset(ROOT / "fixtures" / "tiny")
    run = run_plan(dataset, time_limit_s=10)
    folder = db.parent / "plan"
    run.write(folder)
    store = Store(str(db))
    digest = dataset_digest(dataset)
    store.save_dataset(digest, "tiny", "fixture:tiny", None, by="手机检查")
    remember_officers(store, digest, dataset)
    plan_id = store.save_plan("方案1", digest, folder, seed=dataset.settings.seed, changes=[], by="手机检查")
    adopt_if_first(store, plan_id, by="手机检查")  # as the app adopts a quarter's first plan
    store.close()
    visit = next(v for v in run.plan.visits if v.date.isoformat() == TODAY and len(v.dept_ids) > 1)
    officer = visit.inspector_ids[0]
    return {"officer": officer, "visit": visit,
            "items": [dataset.item[i].name for i in visit.item_ids
                      if dataset.item[i].dept_id == dataset.inspector[officer].dept_id],
            "others": [v.business_name for v in run.plan.visits if officer not in v.inspector_ids],
            "rated": visit, "code": rating_code(run.record.salt_key, visit.visit_id)}


def settled(page) -> None:
    """The script run is over and drawn: no status widget, no element left from the run before, no placeholder."""
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("""() => !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')""",
                           timeout=PAGE_TIMEOUT_MS)


def looked_at(page, folder: Path, name: str, codes: set[str], others: list[str] = ()) -> None:
    """A 390×844 screenshot; no exception, nothing wider than the screen, no English, no other officer's visit."""
    settled(page)
    page.screenshot(path=str(folder / f"phone-{name}.png"))
    errors = page.locator('[data-testid="stException"]')
    if errors.count():
        raise AssertionError(f"「{name}」页面出现异常：{errors.first.inner_text()}")
    wide = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"], [data-testid="stMain"] *')]
        .filter(e => { const r = e.getBoundingClientRect();
                       return r.width > 0 && r.height > 0 && (r.left < -1 || r.right > window.innerWidth + 1)
                              || e.matches('[data-testid="stMain"]') && e.scrollWidth > e.clientWidth + 1; })
        .map(e => e.getAttribute('data-testid') || e.tagName)""")
    if wide:
        raise AssertionError(f"「{name}」页面比手机屏幕宽（需要横向滚动）：{wide}")
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    for icon in main.locator('[data-testid="stIconMaterial"]').all():
        text = text.replace(icon.inner_text(), "", 1)
    text = with_drawn_date_words(page, text)
    words = english_on_page(text, codes)
    if words:
        raise AssertionError(f"「{name}」页面上有英文：{words}\n{text}")
    shown = [b for b in others if b in text]
    if shown:
        raise AssertionError(f"「{name}」页面显示了其他人员的检查：{shown}")


def drive(page, url: str, facts: dict, folder: Path) -> None:
    codes = dataset_codes()
    page.goto(url)
    page.get_by_label("用户名").fill(OFFICER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    visit = facts["visit"]
    expect(page.get_by_text("今天 · ").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_text(visit.business_name).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    looked_at(page, folder, "1-today", codes, facts["others"])
    # the visit's card: the innermost block holding its business and its expanders
    card = page.locator('[data-testid="stVerticalBlock"]', has_text=visit.business_name,
                        has=page.locator('[data-testid="stExpander"]')).last
    card.get_by_text("检查内容（一表通查）").click()
    expect(card.get_by_text(facts["items"][0]).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    looked_at(page, folder, "2-checklist", codes, facts["others"])
    card.get_by_text("检查内容（一表通查）").click()
    form = card.locator('[data-testid="stExpander"]', has_text="登记结果")
    form.get_by_text("检查组与计划一致").click()
    expect(form.get_by_label("检查组变动的原因（必填）")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    settled(page)
    form.get_by_label("检查组变动的原因（必填）").fill("同事临时请假，由本部门其他人员替换")
    form.get_by_label("检查组变动的原因（必填）").press("Enter")
    settled(page)
    for n in range(len(facts["items"])):
        pick(page, form.get_by_role("combobox", name="检查结果").nth(n), "未发现问题")
        settled(page)
    form.get_by_text("检查结果").first.scroll_into_view_if_needed()
    looked_at(page, folder, "3-entry", codes, facts["others"])
    form.get_by_role("button", name="保存结果").click()
    n = len(facts["items"])
    expect(card.get_by_text("已保存").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)  # in the visit's card itself
    expect(card.get_by_text(f"已登记 {n}/{n} 项")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    card.get_by_text(f"已登记 {n}/{n} 项").scroll_into_view_if_needed()
    looked_at(page, folder, "4-saved", codes, facts["others"])
    page.goto(url + "?page=rate")
    expect(page.get_by_role("heading", name="检查评价")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.get_by_label("统一社会信用代码").fill(facts["rated"].credit_code)
    page.get_by_label("评价码").fill(facts["code"])
    page.get_by_label("意见（可不填，200 字以内）").fill("检查规范，提前告知")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("已收到评价，谢谢！")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    looked_at(page, folder, "5-rate", codes, [facts["rated"].business_name])
    page.get_by_role("button", name="提交评价").click()  # one rating per visit
    expect(page.get_by_text("已经评价过了")).to_be_visible(timeout=PAGE_TIMEOUT_MS)


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else ROOT / "out" / "phone")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        db, log = Path(tmp) / "planner.db", Path(tmp) / "app.log"
        facts = prepare(db)
        out = log.open("wb")
        app = start_app(port, db, out, users=[(OFFICER, "inspector", "--inspector", facts["officer"])])
        try:
            wait_healthy(port, app, log)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless",
                                                                            "--disable-gpu"])
                context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                              locale="zh-CN")
                try:
                    drive(context.new_page(), f"http://127.0.0.1:{port}/", facts, folder)
                finally:
                    browser.close()
        finally:
            stop_app(app)
            out.close()
    print(f"手机页面检查通过，截图在 {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
