"""Drive the app in Debian's chromium as a coordinator, a department and a phone would, and look at every page.

    .venv/bin/python scripts/browser_check.py [SCREENSHOT_FOLDER [PREFIX]]     (default out/browser, no prefix)

Starts `streamlit run app/main.py` on a free localhost port with a throw-away database and accounts (today fixed
at the tiny fixture's first day through PLANNER_TODAY), then, at 1280×800: logs in (Enter submits), loads the
tiny fixture, draws, plans, opens 结果 (a search), makes a what-if whose end date is edited just before the click,
opens the hand-move calendar, re-plans, picks plans in the sidebar (the first pick counts), adopts the scenario,
reloads the page (the session and the place survive), opens 进度 and 导出; then a department account (its 进度
holds only its own figures, and it sees only the plan in force); then the pages at a phone's 390×844.

On every page it waits for the page's own element (never a fixed sleep), fails on an exception, on an English
word, a solver status or raw change syntax on the page or in a table or chart toolbar (codes such as credit codes,
ids and the seed are allowed; code blocks hold command lines and are skipped), and on a chart or the page wider
than its column. A screenshot of each page is saved, the page's whole height at the viewport's width. Needs
`apt-get install chromium fonts-noto-cjk` (scripts/setup.sh test does it) and the playwright package; not
playwright's own browser.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
SOLVE_TIMEOUT_MS = 180_000
PAGE_TIMEOUT_MS = 60_000
USER, DEPARTMENT, PASSWORD = "浏览器检查", "市场监管账号", "browser-check-password"
TODAY = "2026-10-08"  # the tiny fixture's first day: the what-if has working days ahead of it
DESK, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
# the dataset name; file kinds; credit-risk classes (A类)
ALLOWED_WORDS = {"tiny", "Excel", "CSV", "WPS", *"ABCD"}
FIXTURE = ROOT / "fixtures" / "tiny"
CHANGE_SYNTAX = re.compile(r"\b(absent|add|remove|urgent|missed|move|swap|set|ratio|day_minutes):")
STATUS_WORDS = re.compile(r"\b(OPTIMAL|FEASIBLE|INFEASIBLE|UNKNOWN|MODEL_INVALID)\b")
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9_.\-]*")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_user(env: dict, name: str, *role: str) -> None:
    subprocess.run([sys.executable, "-m", "planner", "users", "add", name, "--role", *role], cwd=ROOT, env=env,
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)


def start_app(port: int, db: Path, log, users=((USER, "coordinator"), (DEPARTMENT, "department", "--dept", "SJ"))
              ) -> subprocess.Popen:
    """`streamlit run app/main.py` on the store `db` with these accounts (name, role, flags), its output to `log`."""
    env = {**os.environ, "PLANNER_DB_URL": str(db), "PLANNER_DATA_DIR": str(db.parent), "PLANNER_TODAY": TODAY}
    env.pop("PLANNER_APP_SYNC", None)  # the real page solves in a background thread
    for name, *role in users:
        add_user(env, name, *role)
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # a file: a pipe nobody reads would fill


def stop_app(app: subprocess.Popen) -> None:
    app.terminate()
    try:
        app.wait(10)
    except subprocess.TimeoutExpired:
        app.kill()


def wait_healthy(port: int, app: subprocess.Popen, log: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise RuntimeError(f"应用启动失败：\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("应用在 60 秒内没有就绪")


def dataset_codes() -> set[str]:
    """The fixture's own codes (departments, categories, 片区 …): the 数据 page lists them beside the names."""
    from models.loading import load_dataset

    ds = load_dataset(FIXTURE)
    return {*ds.department, *ds.category, *ds.zone, *ds.town, *ds.item, *ds.inspector}


def english_on_page(text: str, codes: set[str]) -> list[str]:
    """Words a coordinator should not meet: English words, solver statuses, change syntax. A token with a digit
    is a code (credit code, id, seed, date) and allowed, as are the dataset's own codes."""
    found = [m.group(0) for m in CHANGE_SYNTAX.finditer(text)] + [m.group(0) for m in STATUS_WORDS.finditer(text)]
    found += [w for w in WORD.findall(text)
              if not any(c.isdigit() for c in w) and w not in ALLOWED_WORDS and w not in codes]
    return sorted(set(found))


def with_drawn_date_words(page, text: str) -> str:
    """The text with an empty date field's segments as drawn: they hold Streamlit's en-US "yyyy", and the page
    draws its own words over them (app/main.py's style)."""
    for segment, drawn in page.evaluate("""() => [...document.querySelectorAll(
            '[data-testid="stMain"] [data-testid="stDateInput"] [data-placeholder][data-type]')]
        .filter(e => e.checkVisibility())
        .map(e => [e.textContent, getComputedStyle(e, '::before').content.replace(/^"|"$/g, '')])"""):
        text = text.replace(segment, drawn, 1)
    return text


class Pages:
    def __init__(self, page, folder: Path, prefix: str, db: Path, shots: list[int]):
        self.page, self.folder, self.prefix, self.db, self.shots = page, folder, prefix, db, shots
        self.codes = dataset_codes()

    def settled(self) -> None:
        """Streamlit has finished the script run (its status widget is gone) and every table shown is drawn."""
        expect(self.page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=SOLVE_TIMEOUT_MS)
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
            .filter(e => e.checkVisibility()).every(e => e.querySelector('th'))""", timeout=PAGE_TIMEOUT_MS)

    def text(self) -> str:
        """What the main area shows: its visible text, the tables' headers and visible cells (the grid draws on a
        canvas; its accessible table holds the same words), and the words of any toolbar a pointer brings up;
        command lines and icon names left out."""
        main = self.page.locator('[data-testid="stMain"]')
        tables = main.locator('[data-testid="stDataFrame"], [data-testid="stVegaLiteChart"]')
        shown = [table for table in tables.all() if table.is_visible()]
        if shown:
            shown[0].hover()  # a table's toolbar (search, download) shows on hover: it must hold no English
        text = main.inner_text()
        for block in main.locator('[data-testid="stCode"], [data-testid="stIconMaterial"]').all():
            text = text.replace(block.inner_text(), "", 1)
        text = with_drawn_date_words(self.page, text)
        cells = self.page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')]
            .filter(e => e.checkVisibility()).flatMap(e => [...e.querySelectorAll('th, td')].map(c => c.textContent))""")
        tools = self.page.evaluate("""() => [...document.querySelectorAll('[data-testid="stElementToolbar"] *')]
            .filter(e => e.checkVisibility()).flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title'),
                                                          e.textContent]).filter(Boolean)""")
        return "\n".join([text, *cells, *tools])

    def too_wide(self) -> list[str]:
        """Charts wider than their column, and a page wider than the window (a phone would scroll sideways)."""
        return self.page.evaluate("""() => {
            const out = [];
            for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
                if (!c.checkVisibility()) continue;
                const svg = c.querySelector('svg, canvas');
                const column = c.parentElement.getBoundingClientRect().width;
                if (svg && svg.getBoundingClientRect().width > column + 2)
                    out.push(`图表宽 ${Math.round(svg.getBoundingClientRect().width)} 像素，所在栏只有 ${Math.round(column)}`);
            }
            const main = document.querySelector('[data-testid="stMain"]');
            if (main && main.scrollWidth > window.innerWidth + 2)
                out.push(`页面宽 ${main.scrollWidth} 像素，窗口只有 ${window.innerWidth}`);
            return out;
        }""")

    def check(self, name: str) -> None:
        """A screenshot of the whole page (kept when the check fails: it shows why), no exception, no English, and
        nothing wider than its column."""
        self.settled()
        self.shots[0] += 1  # numbered across the browser contexts of one check
        self.screenshot(name)
        errors = self.page.locator('[data-testid="stException"]')
        if errors.count():
            raise AssertionError(f"「{name}」页面出现异常：{errors.first.inner_text()}")
        text = self.text()
        words = english_on_page(text, self.codes)
        if words:
            raise AssertionError(f"「{name}」页面上有英文或原始变化语法：{words}\n{text}")
        wide = self.too_wide()
        if wide:
            raise AssertionError(f"「{name}」页面放不下：{'；'.join(wide)}")

    def screenshot(self, name: str) -> None:
        """The page scrolls inside its main area: the window is made as tall as the page for the picture, at the
        same width, then put back."""
        size = self.page.viewport_size
        shown = size["height"]
        for _ in range(4):  # charts drawn once in view make the page taller: measure again until it holds
            height = self.page.evaluate("""() => Math.max(...[...document.querySelectorAll(
                '[data-testid="stMain"], [data-testid="stMainBlockContainer"], section')].map(e => e.scrollHeight))""")
            wanted = max(size["height"], min(height + 80, 12000))
            if wanted <= shown:
                break
            shown = wanted
            self.page.set_viewport_size({"width": size["width"], "height": shown})
            self.page.wait_for_timeout(500)  # charts redraw at the new height
        self.page.screenshot(path=str(self.folder / f"{self.prefix}{self.shots[0]:02d}-{name}.png"), full_page=True)
        self.page.set_viewport_size(size)

    def tab(self, name: str):
        self.page.get_by_role("tab", name=name, exact=True).first.click()
        return self.page.get_by_role("tabpanel", name=name, exact=True).first

    def sidebar(self):
        return self.page.locator('[data-testid="stSidebar"]')


def pick(page, box, option: str) -> None:
    """Choose in a Streamlit selectbox by typing (its search) and clicking the option."""
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()


def set_date(page, field, day: str) -> None:
    """Type a YYYY-MM-DD day into a Streamlit date field, segment by segment as a person does."""
    year, month, dd = day.split("-")
    for segment, digits in (("year", year), ("month", month), ("day", dd)):
        field.get_by_role("spinbutton", name=re.compile(f"^{segment}")).click()
        page.keyboard.type(digits)


def log_in(page, url: str, name: str) -> None:
    """Name and password, then Enter: the form submits without the button."""
    page.goto(url)
    expect(page.get_by_role("heading", name="综合查一次 · 双随机抽查排程")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("密码").press("Enter")
    expect(page.get_by_text(f"已登录：{name}")).to_be_visible(timeout=PAGE_TIMEOUT_MS)


def coordinator(page, url: str, pages: Pages) -> None:
    log_in(page, url, USER)
    page.get_by_role("button", name="加载小型示例（23 家）").click()
    expect(page.get_by_text("当前数据集：tiny")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("数据")

    panel = pages.tab("抽取（双随机）")
    panel.get_by_role("button", name="抽取", exact=True).click()
    expect(panel.get_by_text("双随机抽取结果")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("抽取")

    panel = pages.tab("排程（综合查一次）")
    limit = panel.get_by_label("求解时间上限（秒）")
    limit.fill("5")
    limit.press("Enter")
    panel.get_by_role("button", name="开始排程").click()
    expect(panel.get_by_text("已完成并保存")).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    expect(panel.get_by_text("已作为本季度采用的方案")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("排程")

    panel = pages.tab("结果")
    expect(panel.get_by_text("求解质量")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(panel.locator('[data-testid="stVegaLiteChart"]')).to_have_count(4, timeout=PAGE_TIMEOUT_MS)
    search = panel.get_by_label("查找")
    search.fill("廖利民")
    search.press("Enter")
    expect(panel.get_by_text("廖利民 · 市场监督管理局")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("结果")

    what_if(page, pages)
    plan_picker_and_adoption(page, pages)
    reload_keeps_place(page, pages)

    panel = pages.tab("进度")
    expect(panel.get_by_text("每周进度")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("进度")
    department_view(page, pages)


def what_if(page, pages: Pages) -> None:
    """An absence whose end date is edited just before the click (the change holds the date the user sees), the
    hand-move calendar, the re-plan and what it cost."""
    panel = pages.tab("假设分析")
    form = panel.get_by_role("tabpanel", name="人员请假")
    pick(page, form.get_by_role("combobox").first, "廖利民")
    set_date(page, form.get_by_role("group", name="开始日期"), "2026-10-12")
    set_date(page, form.get_by_role("group", name="结束日期"), "2026-10-16")
    form.get_by_role("button", name="加入").click()  # right after the edit: the change must hold the new end
    expect(panel.get_by_text("市场监督管理局 廖利民 10-12 至 10-16 请假")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("假设分析-变化")
    panel.get_by_role("tab", name="手工调整一次检查").click()
    hand = panel.get_by_role("tabpanel", name="手工调整一次检查")
    expect(hand.locator('[data-testid="stAlert"]')).to_have_count(0)  # nothing checked before a choice
    hand.get_by_role("combobox").first.click()
    page.get_by_role("option").first.click()
    expect(hand.get_by_text(re.compile(r"日历中绿色的 \d+ 天可以改过去"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(hand.locator('[data-testid="stVegaLiteChart"]')).to_have_count(1, timeout=PAGE_TIMEOUT_MS)
    pages.check("假设分析-手工调整日历")
    panel.get_by_role("button", name="按这 1 项变化重新排程").click()
    expect(panel.get_by_text("相对方案 #1 的代价")).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    expect(panel.get_by_text("比较方案与情景")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("假设分析-代价")


def plan_picker_and_adoption(page, pages: Pages) -> None:
    """The sidebar's plan picker on the first pick, each way; then the scenario adopted as the quarter's plan."""
    picker = pages.sidebar().get_by_role("combobox", name="当前方案 / 情景")
    pick(page, picker, "#1 方案")
    panel = pages.tab("结果")
    expect(panel.get_by_role("heading", name=re.compile(r"^#1 方案1（采用中）"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pick(page, pages.sidebar().get_by_role("combobox", name="当前方案 / 情景"), "#2 情景")
    expect(panel.get_by_role("heading", name=re.compile(r"^#2 情景2（情景，未采用）"))).to_be_visible(
        timeout=PAGE_TIMEOUT_MS)
    panel = pages.tab("结果登记")
    expect(panel.get_by_text("结果只登记到本季度采用的方案 #1 方案1（采用中）")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    panel = pages.tab("假设分析")
    panel.get_by_role("button", name="采用 #2 为本季度方案").click()
    expect(panel.get_by_text(re.compile(r"已采用 #2 情景2（采用中）为本季度方案"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(pages.sidebar().get_by_role("combobox", name="当前方案 / 情景")).to_have_value("#2 情景 · 情景2（采用中）")
    pages.check("假设分析-采用")


def reload_keeps_place(page, pages: Pages) -> None:
    """F5: still logged in, on the same page, the same plan and 查看范围."""
    pick(page, pages.sidebar().get_by_role("combobox", name="查看范围"), "市场监督管理局")
    pages.tab("进度")
    pages.settled()
    page.reload()
    expect(page.get_by_text(f"已登录：{USER}")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_role("tab", name="进度", selected=True)).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    sidebar = pages.sidebar()
    expect(sidebar.get_by_role("combobox", name="查看范围")).to_have_value("市场监督管理局（部门视图）",
                                                                         timeout=PAGE_TIMEOUT_MS)
    expect(sidebar.get_by_role("combobox", name="当前方案 / 情景")).to_have_value("#2 情景 · 情景2（采用中）")
    pages.check("刷新后-部门视图-进度")
    pick(page, pages.sidebar().get_by_role("combobox", name="查看范围"), "全县")


def department_view(page, pages: Pages) -> None:
    """The coordinator opens a department's view: what that department sees, enters and downloads."""
    pick(page, pages.sidebar().get_by_role("combobox", name="查看范围"), "市场监督管理局")
    panel = pages.tab("结果")
    expect(panel.get_by_text("本部门参加的检查")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("部门视图-结果")
    panel = pages.tab("结果登记")
    expect(panel.get_by_text("登记检查结果")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("部门视图-结果登记")
    panel = pages.tab("导出")
    panel.get_by_role("button", name="准备市场监督管理局的下载").click()
    expect(panel.get_by_role("button", name=re.compile("下载市场监督管理局的工作簿"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("部门视图-下载")
    pick(page, pages.sidebar().get_by_role("combobox", name="查看范围"), "全县")
    panel = pages.tab("导出")
    panel.get_by_role("button", name="生成所选的导出文件").click()
    expect(panel.get_by_role("button", name="下载全部导出（压缩包）")).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    pages.check("导出")


def department(page, url: str, pages: Pages) -> None:
    """A department account: only the plan in force, and on 进度 only its own figures (the store says how many)."""
    from planner.store import adoption
    from planner.store.store import Store

    log_in(page, url, DEPARTMENT)
    store = Store(str(pages.db))
    in_force = store.plan(adoption.adopted_plans(store)["2026-10-08..2026-10-23"])
    ours = sum(1 for line in _visits(store, in_force.id) if "SJ" in line["dept_ids"].split(";"))
    store.close()
    expect(pages.sidebar().get_by_text(f"本季度采用的方案：#{in_force.id}")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(pages.sidebar().get_by_role("combobox", name="当前方案 / 情景")).to_have_count(0)
    pages.check("部门账号-检查安排")
    panel = pages.tab("进度")
    planned = panel.locator('[data-testid="stMetric"]').filter(has_text="计划检查").first
    expect(planned.locator('[data-testid="stMetricValue"]')).to_have_text(str(ours), timeout=PAGE_TIMEOUT_MS)
    expect(panel.get_by_text(re.compile("全县的进度要等联合检查的所有部门都登记才算完成"))).to_be_visible()
    pages.check("部门账号-进度")


def _visits(store, plan_id: int) -> list[dict]:
    import csv
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(store.plan_files(plan_id))) as z:
        return list(csv.DictReader(io.StringIO(z.read("visits.csv").decode("utf-8-sig"))))


def phone(page, url: str, pages: Pages) -> None:
    """The same county at a phone's width: every chart inside its column, nothing to scroll sideways."""
    log_in(page, url, USER)
    shown = re.compile(r"^(在 )?#2 情景2（采用中）")  # the plan the last session had open, on every page
    for tab, name in (("结果", "手机-结果"), ("假设分析", "手机-假设分析"), ("进度", "手机-进度")):
        panel = pages.tab(tab)
        expect(panel.get_by_text(shown).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        pages.check(name)


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else ROOT / "out" / "browser")
    prefix = argv[1] if len(argv) > 1 else ""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        db, log = Path(tmp) / "planner.db", Path(tmp) / "app.log"
        with log.open("wb") as out:
            app = start_app(port, db, out)
        try:
            wait_healthy(port, app, log)
            url = f"http://127.0.0.1:{port}/"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless",
                                                                            "--disable-gpu"])
                shots = [0]
                try:
                    for size, drive in ((DESK, coordinator), (DESK, department), (PHONE, phone)):
                        context = browser.new_context(viewport=size, locale="zh-CN")  # its own cookies
                        page = context.new_page()
                        pages = Pages(page, folder, prefix, db, shots)
                        drive(page, url, pages)
                        context.close()
                except Exception:
                    print(f"应用的日志（最后部分）：\n{log.read_text(errors='replace')[-6000:]}", file=sys.stderr)
                    raise
                finally:
                    browser.close()
        finally:
            stop_app(app)
    print(f"浏览器检查通过，截图在 {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
