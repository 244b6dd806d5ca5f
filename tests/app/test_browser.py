"""The app in a real browser (Debian's chromium through playwright); scripts/test.sh installs chromium."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.browser
def test_plan_through_the_page_and_screenshot_results(tmp_path):
    import playwright  # noqa: F401  (the test extra installs it; scripts/test.sh installs the test extra)

    if not Path("/usr/bin/chromium").exists():
        pytest.fail("缺少 Debian chromium：请运行 scripts/setup.sh test")
    shot = tmp_path / "results.png"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "browser_check.py"), str(shot)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert shot.stat().st_size > 20_000  # a real page, not a blank one
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
