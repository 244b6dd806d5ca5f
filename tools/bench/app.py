"""`bench --what app`: the app's plan and re-plan beside the command line's, on one fixture.

The app runs in Streamlit's AppTest (its scripts, reruns, store and charts, without a browser), as a coordinator
would use it: log in, load the fixture, 排程, then a what-if with two absences and 重新排程. The same plan and
re-plan are made with `python -m planner plan`. The app's plans must be the command line's, file for file."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from tools.bench import run_cli

APP = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
FIXTURES = {  # fixture -> (folder, its demonstration today, the what-if's two changes)
    "changshan": ("fixtures/changshan", "2026-10-01",
                  ("absent:XF011:2026-10-21:2026-10-27", "absent:SJ003:2026-11-02:2026-11-06")),
    "tiny": ("fixtures/tiny", "2026-10-08", ("absent:SJ003:2026-10-13:2026-10-14", "absent:SJ001:2026-10-19:2026-10-19"))}
USER, PASSWORD = "协调员", "bench-口令-2026"
COMPARED = ("visits.csv", "assignments.csv")


def bench_app(fixture: str = "changshan") -> tuple[list[str], dict[str, bool]]:
    """The figures, and per step whether the app's plan files equal the command line's."""
    path, today, changes = FIXTURES[fixture]
    with tempfile.TemporaryDirectory() as scratch:
        cli_plan, cli_replan = Path(scratch) / "plan", Path(scratch) / "replan"
        cli = {"plan": run_cli("plan", path, "--out", cli_plan, "--quiet", "--today", today)[0],
               "replan": run_cli("plan", path, "--previous", cli_plan, "--out", cli_replan, "--quiet", "--today", today,
                                 *(a for c in changes for a in ("--change", c)))[0]}
        app, folders = _in_the_app(fixture, today, changes, Path(scratch))
        same = {step: all((folders[step] / name).read_bytes() == (cli_dir / name).read_bytes() for name in COMPARED)
                for step, cli_dir in (("plan", cli_plan), ("replan", cli_replan))}
    lines = [f"\n{path}: 应用（AppTest：脚本、重跑、数据库与图表，不含浏览器）与命令行的用时（秒）",
             f"{'':<26}{'应用 app':>12}{'命令行 CLI':>14}{'差 app − CLI':>16}{'方案文件相同':>12}"]
    for step, label in (("load", "读取数据集 load"), ("plan", "排程 plan"), ("replan", "重新排程（2 项变化）re-plan")):
        if step == "load":
            lines.append(f"{label:<26}{app[step]:>12.2f}{'—':>14}{'—':>16}{'—':>12}")
        else:
            lines.append(f"{label:<26}{app[step]:>12.2f}{cli[step]:>14.2f}{app[step] - cli[step]:>16.2f}"
                         f"{'是' if same[step] else '否':>12}")
    return lines, same


def _in_the_app(fixture: str, today: str, changes: tuple[str, ...], scratch: Path) -> tuple[dict[str, float], dict[str, Path]]:
    from streamlit.testing.v1 import AppTest

    from planner.store.accounts import add_user
    from planner.store.store import Store

    db = scratch / "planner.db"
    (scratch / "data").mkdir()
    saved = {k: os.environ.get(k) for k in ("PLANNER_DB_URL", "PLANNER_DATA_DIR", "PLANNER_APP_SYNC", "PLANNER_TODAY")}
    os.environ.update(PLANNER_DB_URL=str(db), PLANNER_DATA_DIR=str(scratch / "data"), PLANNER_APP_SYNC="1",
                      PLANNER_TODAY=today)
    try:
        store = Store(str(db))
        add_user(store, USER, "coordinator", PASSWORD, by="bench")
        at = AppTest.from_file(APP, default_timeout=900).run()
        at.text_input(key="login_name").set_value(USER)
        at.text_input(key="login_password").set_value(PASSWORD)
        at.button(key="login").click().run()
        seconds = {"load": _timed(at.button(key=f"load_{fixture}").click)}
        _open(at, "排程（综合查一次）")
        seconds["plan"] = _timed(at.button(key="run_plan").click)
        at.session_state["whatif_pending"] = list(changes)  # as the 假设分析 forms leave them
        _open(at, "假设分析")
        seconds["replan"] = _timed(at.button(key="replan").click)
        if at.exception:
            raise RuntimeError("应用出错：" + "；".join(e.value for e in at.exception))
        rows = sorted(store.plans(), key=lambda r: r.id)
        folders = {}
        for step, row in zip(("plan", "replan"), rows):
            folders[step] = scratch / f"app-{step}"
            store.write_plan(row.id, folders[step], row.version)
        store.close()
        return seconds, folders
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _open(at, page: str) -> None:
    at.session_state["page"] = page
    at.run()


def _timed(click) -> float:
    started = time.perf_counter()
    click().run()
    return time.perf_counter() - started
