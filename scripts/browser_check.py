"""Drive the app in Debian's chromium: log in, load the tiny fixture, draw, plan, open 结果, save a screenshot.

    .venv/bin/python scripts/browser_check.py [out/results.png]

Starts `streamlit run app/main.py` on a free localhost port with a throw-away database and account, waits for page
elements (never a fixed sleep), and fails when any page shows an exception. Needs `apt-get install chromium
fonts-noto-cjk` (scripts/setup.sh test does it) and the playwright package; not playwright's own browser.
"""
from __future__ import annotations

import os
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
USER, PASSWORD = "浏览器检查", "browser-check-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PLANNER_DB_URL": str(db), "PLANNER_DATA_DIR": str(db.parent)}
    env.pop("PLANNER_APP_SYNC", None)  # the real page solves in a background thread
    subprocess.run([sys.executable, "-m", "planner", "users", "add", USER, "--role", "coordinator"], cwd=ROOT,
                   env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
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


def no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    if errors.count():
        raise AssertionError(f"页面出现异常：{errors.first.inner_text()}")


def drive(page, url: str, screenshot: Path) -> None:
    page.goto(url)
    expect(page.locator('[data-testid="stApp"]')).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="综合查一次 · 双随机抽查排程")).to_be_visible(timeout=60_000)
    page.get_by_label("用户名").fill(USER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="加载小型示例（23 家）").click()
    expect(page.get_by_text("当前数据集：tiny")).to_be_visible(timeout=60_000)
    no_exception(page)

    page.get_by_role("tab", name="抽取（双随机）").click()
    page.get_by_role("button", name="抽取", exact=True).click()
    expect(page.get_by_text("合并后上门家次")).to_be_visible(timeout=60_000)
    no_exception(page)

    page.get_by_role("tab", name="排程（综合查一次）").click()
    limit = page.get_by_label("求解时间上限（秒）")
    limit.fill("5")
    limit.press("Enter")
    page.get_by_role("button", name="开始排程").click()
    expect(page.get_by_text("已完成并保存")).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    no_exception(page)

    page.get_by_role("tab", name="结果").click()
    panel = page.get_by_role("tabpanel", name="结果")
    expect(panel.get_by_text("求解状态")).to_be_visible(timeout=60_000)
    expect(panel.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=60_000)
    expect(panel.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first
           ).to_be_visible(timeout=60_000)
    expect(panel.locator('[data-testid="stVegaLiteChart"]')).to_have_count(4, timeout=60_000)  # incl. the map
    no_exception(page)
    page.wait_for_load_state("networkidle")  # the page's main area scrolls inside itself: a tall viewport shows it all
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)


def main(argv: list[str]) -> int:
    screenshot = Path(argv[0] if argv else ROOT / "out" / "results.png")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(port, Path(tmp) / "planner.db")
        try:
            wait_healthy(port, app)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM,
                                            args=["--no-sandbox", "--headless", "--disable-gpu",
                                                  # software WebGL, so the pydeck map draws without a GPU
                                                  "--use-angle=swiftshader", "--enable-unsafe-swiftshader"])
                page = browser.new_page(viewport={"width": 1400, "height": 3000}, locale="zh-CN")
                try:
                    drive(page, f"http://127.0.0.1:{port}/", screenshot)
                finally:
                    browser.close()
        finally:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
    print(f"浏览器检查通过，截图：{screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
