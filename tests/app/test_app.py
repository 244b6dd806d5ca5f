"""The Streamlit app driven as a coordinator would: log in, load, draw, plan, look, what-if, export; bad data."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.plan.folder import read_plan
from planner.store.accounts import add_user
from planner.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app" / "main.py")
TIME_LIMIT_S = 5.0
COORDINATOR, PASSWORD = "测试协调员", "correct-horse-battery"


@pytest.fixture()
def app_env(tmp_path, monkeypatch):
    """An empty county: a database with one coordinator account, and a data folder."""
    db = tmp_path / "planner.db"
    monkeypatch.setenv("PLANNER_DB_URL", str(db))
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PLANNER_APP_SYNC", "1")  # AppTest runs scripts synchronously: solve inline
    (tmp_path / "data").mkdir()
    store = Store(str(db))
    add_user(store, COORDINATOR, "coordinator", PASSWORD, by="test")
    store.close()
    return db


def log_in(at: AppTest, name: str = COORDINATOR, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_name").set_value(name)
    at.text_input(key="login_password").set_value(password)
    return at.button(key="login").click().run()


def new_app() -> AppTest:
    """The app as a coordinator sees it after logging in."""
    at = AppTest.from_file(APP, default_timeout=180).run()
    return no_exception(log_in(at))


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
    store = Store(str(app_env))
    [base] = store.plans()
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
    scenarios = [p for p in store.plans() if p.is_scenario]
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
    # who planned and re-planned is in the audit log
    actions = [(e.user_name, e.action, e.plan_id) for e in store.audit()]
    assert (COORDINATOR, "replan", scenarios[0].id) in actions and (COORDINATOR, "plan", base.id) in actions


def test_bad_dataset_shows_problem_table(app_env, tmp_path):
    broken = tmp_path / "data" / "broken.zip"
    with zipfile.ZipFile(broken, "w") as z:
        for f in (ROOT / "fixtures" / "tiny").iterdir():
            text = f.read_text(encoding="utf-8")
            if f.name == "inspectors.csv":
                text = text.replace("true", "maybe", 1)
            z.writestr(f.name, text)
    at = new_app()
    at.selectbox(key="server_dataset").set_value("broken.zip")
    no_exception(at.button(key="load_path").click().run())
    table = frame_with(at, "修改建议")
    assert list(table.columns) == ["文件", "行", "列", "值", "问题", "修改建议"]
    assert "inspectors.csv" in set(table["文件"])
    assert at.session_state["dataset"] is None if "dataset" in at.session_state else True


def test_not_a_dataset_is_a_message(app_env, tmp_path):
    junk = tmp_path / "data" / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    at = new_app()
    at.selectbox(key="server_dataset").set_value("junk.xlsx")
    no_exception(at.button(key="load_path").click().run())
    assert at.error, "a broken file must give a message"


def test_english_toggle(app_env):
    at = new_app()
    no_exception(at.radio(key="lang").set_value("en").run())
    assert at.title[0].value == "Joint inspections · random-draw scheduling"


def test_only_the_data_folder_is_offered_on_the_server(app_env, tmp_path):
    (tmp_path / "data" / "county.zip").write_bytes(b"PK")
    (tmp_path / "data" / "changshan").mkdir()
    at = new_app()
    assert at.selectbox(key="server_dataset").options == ["changshan", "county.zip"]
    assert not [w for w in at.text_input if w.key == "server_path"]  # no path is ever typed


def test_nothing_of_the_county_before_login(app_env):
    at = no_exception(AppTest.from_file(APP, default_timeout=60).run())
    assert not at.tabs and not [b for b in at.button if b.key == "load_tiny"]
    no_exception(log_in(at, password="wrong-password"))
    assert [e.value for e in at.error] == ["用户名或密码不正确"] and not at.tabs
    no_exception(log_in(at, name="没有这个人"))
    assert [e.value for e in at.error] == ["用户名或密码不正确"] and not at.tabs
    no_exception(log_in(at))
    assert len(at.tabs) == 6 and any(COORDINATOR in c.value for c in at.sidebar.caption)
    no_exception(at.button(key="logout").click().run())
    assert not at.tabs and at.text_input(key="login_name").value == ""


def test_login_and_plan_on_postgresql(app_env, monkeypatch, postgres_db):
    monkeypatch.setenv("PLANNER_DB_URL", postgres_db)
    store = Store(postgres_db)
    add_user(store, COORDINATOR, "coordinator", PASSWORD, by="test")
    at = new_app()
    no_exception(at.button(key="load_tiny").click().run())
    at.number_input(key="time_limit").set_value(TIME_LIMIT_S)
    no_exception(at.button(key="run_plan").click().run())
    [plan] = store.plans()
    assert plan.created_by == COORDINATOR and at.session_state["plan_id"] == plan.id
    assert [e.action for e in store.audit(user=COORDINATOR)] == ["plan", "login"]
    store.close()


def test_without_accounts_the_app_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB_URL", str(tmp_path / "empty.db"))
    at = no_exception(AppTest.from_file(APP, default_timeout=60).run())
    assert "python -m planner users add" in at.warning[0].value and not at.tabs


def test_other_roles_do_not_get_the_coordinators_pages(app_env):
    store = Store(str(app_env))
    add_user(store, "市场监管", "department", PASSWORD, "SJ", by="test")
    add_user(store, "县领导", "viewer", PASSWORD, by="test")
    for name in ("市场监管", "县领导"):
        at = no_exception(log_in(AppTest.from_file(APP, default_timeout=60).run(), name=name))
        assert not at.tabs and not [b for b in at.button if b.key == "load_tiny"]
        assert "页面还在建设中" in at.info[0].value


def test_a_removed_account_is_logged_out_at_the_next_click(app_env):
    from planner.store.accounts import remove_user

    at = new_app()
    assert at.tabs
    no_exception(at.button(key="load_tiny").click().run())
    remove_user(Store(str(app_env)), COORDINATOR, by="test")
    no_exception(at.button(key="load_changshan").click().run())
    assert not at.tabs and at.text_input(key="login_name").value == ""
    assert "dataset" not in at.session_state  # nothing of the county stays for the next person
