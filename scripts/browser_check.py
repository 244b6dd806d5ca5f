"""Drive the app in Debian's chromium as a coordinator would, and look at every page.

    .venv/bin/python scripts/browser_check.py [SCREENSHOT_FOLDER]     (default out/browser)

Starts `streamlit run app/main.py` on a free localhost port with a throw-away database and accounts (today fixed
at the tiny fixture's first day through PLANNER_TODAY), then: logs in, loads the tiny fixture, draws, plans, opens
结果, makes a what-if whose end date is edited just before the click and re-plans, opens 进度, a department's
view (结果登记, 下载) and 导出. On every page it waits for the page's own element (never a fixed sleep), fails on an
exception, and fails when the page shows an English word, a solver status or raw change syntax (codes such as
credit codes, ids and the seed are allowed; code blocks hold command lines and are skipped). A screenshot of
each page is saved. Needs `apt-get install chromium fonts-noto-cjk` (scripts/setup.sh test does it) and the
playwright package; not playwright's own browser.
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
CHROMIUM = "/usr/bin/chromium"
SOLVE_TIMEOUT_MS = 180_000
PAGE_TIMEOUT_MS = 60_000
USER, PASSWORD = "浏览器检查", "browser-check-password"
TODAY = "2026-10-08"  # the tiny fixture's first day: the what-if has working days ahead of it
# the dataset name; file kinds; credit-risk classes (A类); the date mask of an empty date field (yyyy-mm-dd)
ALLOWED_WORDS = {"tiny", "Excel", "CSV", "WPS", *"ABCD", "yyyy", "mm", "dd"}
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


def start_app(port: int, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PLANNER_DB_URL": str(db), "PLANNER_DATA_DIR": str(db.parent), "PLANNER_TODAY": TODAY}
    env.pop("PLANNER_APP_SYNC", None)  # the real page solves in a background thread
    add_user(env, USER, "coordinator")
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_healthy(port: int, app: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise RuntimeError(f"应用启动失败：\n{app.stdout.read().decode(errors='replace')}")
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


class Pages:
    def __init__(self, page, folder: Path):
        self.page, self.folder, self.count = page, folder, 0
        self.codes = dataset_codes()

    def settled(self) -> None:
        """Streamlit has finished the script run (its status widget is gone) and every table shown is drawn."""
        expect(self.page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=SOLVE_TIMEOUT_MS)
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
            .filter(e => e.checkVisibility()).every(e => e.querySelector('th'))""", timeout=PAGE_TIMEOUT_MS)

    def text(self) -> str:
        """What the main area shows: its visible text and the tables' headers and visible cells (the grid draws on
        a canvas; its accessible table holds the same words); command lines and icon names left out."""
        main = self.page.locator('[data-testid="stMain"]')
        text = main.inner_text()
        for block in main.locator('[data-testid="stCode"], [data-testid="stIconMaterial"]').all():
            text = text.replace(block.inner_text(), "", 1)
        cells = self.page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')]
            .filter(e => e.checkVisibility()).flatMap(e => [...e.querySelectorAll('th, td')].map(c => c.textContent))""")
        return "\n".join([text, *cells])

    def check(self, name: str) -> None:
        """A screenshot of the whole page (kept when the check fails: it shows why), no exception, no English."""
        self.settled()
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)
        errors = self.page.locator('[data-testid="stException"]')
        if errors.count():
            raise AssertionError(f"「{name}」页面出现异常：{errors.first.inner_text()}")
        text = self.text()
        words = english_on_page(text, self.codes)
        if words:
            raise AssertionError(f"「{name}」页面上有英文或原始变化语法：{words}\n{text}")

    def tab(self, name: str):
        self.page.get_by_role("tab", name=name, exact=True).first.click()
        return self.page.get_by_role("tabpanel", name=name, exact=True).first


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


def drive(page, url: str, pages: Pages) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="综合查一次 · 双随机抽查排程")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.get_by_label("用户名").fill(USER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
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
    pages.check("排程")

    panel = pages.tab("结果")
    expect(panel.get_by_text("求解质量")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(panel.locator('[data-testid="stVegaLiteChart"]')).to_have_count(4, timeout=PAGE_TIMEOUT_MS)
    pages.check("结果")

    what_if(page, pages)

    panel = pages.tab("进度")
    expect(panel.get_by_text("每周进度")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("进度")

    department_view(page, pages)


def what_if(page, pages: Pages) -> None:
    """An absence whose end date is edited just before the click: the change holds the date the user sees."""
    panel = pages.tab("假设分析")
    form = panel.get_by_role("tabpanel", name="人员请假")
    pick(page, form.get_by_role("combobox").first, "廖利民")
    set_date(page, form.get_by_role("group", name="开始日期"), "2026-10-12")
    set_date(page, form.get_by_role("group", name="结束日期"), "2026-10-16")
    form.get_by_role("button", name="加入").click()  # right after the edit: the change must hold the new end
    expect(panel.get_by_text("市场监督管理局 廖利民 10-12 至 10-16 请假")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("假设分析-变化")
    panel.get_by_role("button", name="按这 1 项变化重新排程").click()
    expect(panel.get_by_text("相对方案 #1 的代价")).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    expect(panel.get_by_text("比较方案与情景")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("假设分析-代价")


def department_view(page, pages: Pages) -> None:
    """The coordinator opens a department's view: what that department sees, enters and downloads."""
    pick(page, page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="查看范围"), "市场监督管理局")
    panel = pages.tab("结果")
    expect(panel.get_by_text("本部门参加的检查")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("部门视图-结果")
    panel = pages.tab("结果登记")
    expect(panel.get_by_text("登记检查结果")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("部门视图-结果登记")
    panel = pages.tab("导出")
    expect(panel.get_by_role("button", name=re.compile("下载市场监督管理局的工作簿"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("部门视图-下载")
    pick(page, page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="查看范围"), "全县")
    panel = pages.tab("导出")
    expect(panel.get_by_role("button", name="下载全部导出（压缩包）")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    pages.check("导出")


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else ROOT / "out" / "browser")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(port, Path(tmp) / "planner.db")
        try:
            wait_healthy(port, app)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless",
                                                                            "--disable-gpu"])
                # the page scrolls inside its main area: a tall window shows it whole in a screenshot
                page = browser.new_page(viewport={"width": 1400, "height": 4000}, locale="zh-CN")
                try:
                    drive(page, f"http://127.0.0.1:{port}/", Pages(page, folder))
                finally:
                    browser.close()
        finally:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
    print(f"浏览器检查通过，截图在 {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
