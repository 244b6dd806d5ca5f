"""The Streamlit app driven as a coordinator would: load, draw, plan, look, what-if, export; bad data."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.store import Store
from app.store import main as store_cli
from planner.plan.folder import read_plan

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app" / "main.py")
TIME_LIMIT_S = 5.0


@pytest.fixture()
def app_env(tmp_path, monkeypatch):
    db = tmp_path / "planner.db"
    monkeypatch.setenv("PLANNER_DB_URL", str(db))
    monkeypatch.setenv("PLANNER_APP_SYNC", "1")  # AppTest runs scripts synchronously: solve inline
    return db


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["coordinator"] = "测试协调员"
    return at.run()


def no_exception(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at: AppTest, column: str):
    """The first table on the page with this column (st.dataframe keys are not visible to AppTest)."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def busiest_inspector(plan) -> tuple[str, list]:
    """The inspector with the most visits, and their first few visit days: an absence there must move visits."""
    days: dict[str, set] = {}
    for a in plan.assignments:
        days.setdefault(a.inspector_id, set()).add(a.date)
    who = max(sorted(days), key=lambda p: len(days[p]))
    return who, sorted(days[who])[:2]


def test_load_draw_plan_results_whatif_export(app_env, tmp_path):
    at = new_app()
    no_exception(at.button(key="load_tiny").click().run())
    assert any(m.label == "检查对象" and m.value == "80" for m in at.metric)

    no_exception(at.button(key="run_draw").click().run())
    assert any(m.label == "合并后上门家次" for m in at.metric)
    assert "CS-TINY-20261008-70809478" in " ".join(md.value for md in at.markdown)

    at.number_input(key="time_limit").set_value(TIME_LIMIT_S)
    no_exception(at.button(key="run_plan").click().run())
    store = Store(app_env)
    [base] = store.plans("测试协调员")
    assert base.record["metrics"]["visits"] > 0
    assert at.session_state["plan_id"] == base.id
    # 结果: solver status, the charts and the map are on the page
    assert any(m.label == "求解状态" for m in at.metric)
    assert len(at.get("vega_lite_chart")) >= 4  # calendar, timeline, load, map
    assert len(at.get("deck_gl_json_chart")) == 1

    before = read_plan(store.write_plan(base.id, tmp_path / "before"))
    who, days = busiest_inspector(before)
    change = f"absent:{who}:{days[0]}:{days[-1]}"
    at.text_area(key="whatif_changes").set_value(change)
    no_exception(at.button(key="replan").click().run())
    scenarios = [p for p in store.plans("测试协调员") if p.is_scenario]
    assert len(scenarios) == 1 and scenarios[0].changes == [change]
    after = read_plan(store.write_plan(scenarios[0].id, tmp_path / "after"))
    assert not [a for a in after.assignments if a.inspector_id == who and days[0] <= a.date <= days[-1]]
    kept = {(v.credit_code, v.date, frozenset(v.inspector_ids)) for v in before.visits}
    unchanged = [v for v in after.visits if (v.credit_code, v.date, frozenset(v.inspector_ids)) in kept]
    assert len(unchanged) >= 0.6 * len(before.visits)
    assert scenarios[0].record["moved"] >= len(before.visits) - len(unchanged) > 0
    assert at.session_state["plan_id"] == scenarios[0].id
    assert any(m.label == "调整的检查" for m in at.metric)
    # both plans compared side by side
    compared = frame_with(at, f"#{base.id} {base.name}")
    assert list(compared.columns) == [f"#{base.id} {base.name}", f"#{scenarios[0].id} {scenarios[0].name}"]

    downloads = at.get("download_button")
    assert {d.proto.label for d in downloads} >= {"下载方案文件夹（zip）", "下载全部导出（zip）"}


def test_bad_dataset_shows_problem_table(app_env, tmp_path):
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as z:
        for f in (ROOT / "fixtures" / "tiny").iterdir():
            text = f.read_text(encoding="utf-8")
            if f.name == "inspectors.csv":
                text = text.replace("true", "maybe", 1)
            z.writestr(f.name, text)
    at = new_app()
    at.text_input(key="server_path").set_value(str(broken))
    no_exception(at.button(key="load_path").click().run())
    table = frame_with(at, "修改建议")
    assert list(table.columns) == ["文件", "行", "列", "值", "问题", "修改建议"]
    assert "inspectors.csv" in set(table["文件"])
    assert at.session_state["dataset"] is None if "dataset" in at.session_state else True


def test_not_a_dataset_is_a_message(app_env, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    at = new_app()
    at.text_input(key="server_path").set_value(str(junk))
    no_exception(at.button(key="load_path").click().run())
    assert at.error, "a broken file must give a message"


def test_english_toggle(app_env):
    at = new_app()
    no_exception(at.radio(key="lang").set_value("en").run())
    assert at.title[0].value == "Joint inspections · random-draw scheduling"


def test_store_cli_lists_and_exports_a_plan(app_env, tmp_path, capsys):
    plan_dir = tmp_path / "p"
    plan_dir.mkdir()
    (plan_dir / "record.json").write_text('{"metrics": {"visits": 3, "unscheduled": 0}}', encoding="utf-8")
    (plan_dir / "visits.csv").write_text("visit_id\n", encoding="utf-8")
    store = Store(app_env)
    a = store.save_plan("甲", "方案1", "d1", plan_dir, seed="s", changes=[])
    store.save_plan("乙", "方案1", "d1", plan_dir, seed="s", changes=["remove:X"], parent_id=a)
    assert store_cli(["list", "--coordinator", "甲"]) == 0
    listed = capsys.readouterr().out
    assert "甲" in listed and "乙" not in listed
    assert store_cli(["export", "方案1", "--coordinator", "乙", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "visits.csv").read_text(encoding="utf-8") == "visit_id\n"
