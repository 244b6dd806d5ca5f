"""The Streamlit app driven as its users would (AppTest, solves inline): login, each role's view, what-ifs, hand
edits, results entry, 结果公示 — and what the pages render checked for codes, English and other departments' rows.

Most tests start from the tiny fixture's plan, solved once per session and stored in each test's fresh database;
one test plans through the page.
"""
from __future__ import annotations

import json
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from app.state import dataset_digest
from planner.check.hand_edit import allowed_days
from planner.plan.folder import read_plan
from planner.plan.locking import first_unlocked
from planner.store import adoption
from planner.store.accounts import add_user
from planner.store.store import Store
from planner.whatif.describe import describe_change

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app" / "main.py")
TIME_LIMIT_S = 5
COORDINATOR, DEPARTMENT, LEADER, PASSWORD = "测试协调员", "市场监管", "县领导", "correct-horse-battery"
TODAY = date(2026, 10, 8)  # the tiny fixture's first day: working days lie ahead for what-ifs
CHANGE_SYNTAX = re.compile(r"\b(absent|add|remove|urgent|missed|move|swap|set|ratio|day_minutes):")
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9_.\-]*")


@pytest.fixture()
def app_env(tmp_path, monkeypatch):
    """An empty county: a database with a coordinator, a department (市场监管, SJ) and a leader account."""
    db = tmp_path / "planner.db"
    monkeypatch.setenv("PLANNER_DB_URL", str(db))
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PLANNER_APP_SYNC", "1")  # AppTest runs scripts synchronously: solve inline
    monkeypatch.setenv("PLANNER_TODAY", TODAY.isoformat())
    (tmp_path / "data").mkdir()
    store = Store(str(db))
    add_user(store, COORDINATOR, "coordinator", PASSWORD, by="test")
    add_user(store, DEPARTMENT, "department", PASSWORD, "SJ", by="test")
    add_user(store, LEADER, "viewer", PASSWORD, by="test")
    store.close()
    return db


@pytest.fixture()
def planned(app_env, tiny, tiny_plan_dir):
    """The county with the tiny fixture's plan stored, as if the coordinator had planned it (plan #1)."""
    store = Store(str(app_env))
    digest = dataset_digest(tiny)
    store.save_dataset(digest, "tiny", "fixture:tiny", None, by=COORDINATOR)
    store.save_plan("方案1", digest, tiny_plan_dir, seed=tiny.settings.seed, changes=[], by=COORDINATOR)
    adoption.adopt_if_first(store, 1, by=COORDINATOR)  # as the app does with a quarter's first plan
    return store


def log_in(at: AppTest, name: str = COORDINATOR, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_name").set_value(name)
    at.text_input(key="login_password").set_value(password)
    return at.button(key="login").click().run()


def new_app(name: str = COORDINATOR) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    return no_exception(log_in(at, name))


def coordinator_with_plan() -> AppTest:
    """The coordinator, the tiny fixture loaded: the stored plan is the current one."""
    return no_exception(new_app().button(key="load_tiny").click().run())


def no_exception(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


PAGES = {"数据", "抽取（双随机）", "排程（综合查一次）", "结果", "假设分析", "进度", "结果登记", "导出", "本部门检查安排",
         "下载", "企业预约与评价", "我的检查", "年度"}


def tab(at: AppTest, label: str):
    """A page's tab, opened first (only the open page runs) — or a tab inside the open page."""
    if label in PAGES and at.session_state["page"] != label if "page" in at.session_state else label in PAGES:
        at.session_state["page"] = label
        no_exception(at.run())
    return next(t for t in at.tabs if t.label == label)


def frame_with(block, column: str) -> pd.DataFrame:
    """The first table on the page with this column (st.dataframe keys are not visible to AppTest)."""
    for frame in block.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def texts(block) -> list[str]:
    """Every word the block shows: text elements, labels, options, table headers and cells, chart titles."""
    out: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader", "title"):
        out += [e.value for e in getattr(block, kind)]
    out += [f"{m.label} {m.value}" for m in block.metric]
    out += [b.label for b in block.button] + [e.label for e in block.expander]
    for kind in ("selectbox", "multiselect", "radio"):
        out += [w.label for w in getattr(block, kind)] + [str(o) for w in getattr(block, kind) for o in w.options]
    for frame in block.dataframe:
        out += [str(c) for c in frame.value.columns] + [str(v) for v in frame.value.to_numpy().ravel()]
        out += [str(i) for i in frame.value.index if not isinstance(i, int)]
    for chart in block.get("vega_lite_chart"):
        out += chart_titles(json.loads(chart.proto.spec))
    return out


def chart_titles(spec) -> list[str]:
    """The titles and header labels a chart draws (fields are internal names; titles are what is read)."""
    found: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                found.append(value)
            elif key not in ("datasets", "data"):
                found += chart_titles(value)
    elif isinstance(spec, list):
        for value in spec:
            found += chart_titles(value)
    return found


def chart_frames(block) -> list[pd.DataFrame]:
    """The data of every chart on the block, as the browser receives it."""
    frames = []
    for chart in block.get("vega_lite_chart"):
        frames += [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]
        frames += [pd.json_normalize(d["values"]) for d in _inline_data(json.loads(chart.proto.spec))]
    return frames


def _inline_data(spec) -> list[dict]:
    if isinstance(spec, dict):
        found = [spec] if isinstance(spec.get("values"), list) else []
        return found + [d for value in spec.values() for d in _inline_data(value)]
    if isinstance(spec, list):
        return [d for value in spec for d in _inline_data(value)]
    return []


def english(words: list[str], codes: set[str]) -> list[str]:
    """Change syntax, solver statuses and English words; a token with a digit is a code, as are the dataset's
    own codes; A–D are the credit-risk classes (A类)."""
    text = "\n".join(words)
    found = [m.group(0) for m in CHANGE_SYNTAX.finditer(text)]
    found += [w for w in WORD.findall(text) if not any(c.isdigit() for c in w) and w not in codes
              and w not in {"A", "B", "C", "D", "tiny"}]
    return sorted(set(found))


def busiest_inspector(plan, after: date) -> tuple[str, list[date]]:
    """The inspector with the most visits from `after` on, and two of those days: an absence there moves visits."""
    days: dict[str, set] = {}
    for a in plan.assignments:
        if a.date >= after:
            days.setdefault(a.inspector_id, set()).add(a.date)
    who = max(sorted(days), key=lambda p: len(days[p]))
    return who, sorted(days[who])[:2]


# --- login ----------------------------------------------------------------------------------------------

def test_nothing_of_the_county_before_login(planned):
    at = no_exception(AppTest.from_file(APP, default_timeout=60).run())
    assert not at.tabs and not at.dataframe and not [b for b in at.button if b.key == "load_tiny"]
    no_exception(log_in(at, password="wrong-password"))
    assert [e.value for e in at.error] == ["用户名或密码不正确"] and not at.tabs and not at.dataframe
    no_exception(log_in(at, name="没有这个人"))
    assert [e.value for e in at.error] == ["用户名或密码不正确"] and not at.tabs
    no_exception(log_in(at))
    assert [t.label for t in at.tabs][:4] == ["数据", "抽取（双随机）", "排程（综合查一次）", "结果"]
    assert any(COORDINATOR in c.value for c in at.sidebar.caption)
    no_exception(at.button(key="logout").click().run())
    assert not at.tabs and at.text_input(key="login_name").value == ""


def test_without_accounts_the_app_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB_URL", str(tmp_path / "empty.db"))
    at = no_exception(AppTest.from_file(APP, default_timeout=60).run())
    assert "python -m planner users add" in at.warning[0].value and not at.tabs


def test_a_removed_account_is_logged_out_at_the_next_click(app_env):
    from planner.store.accounts import remove_user

    at = new_app()
    no_exception(at.button(key="load_tiny").click().run())
    remove_user(Store(str(app_env)), COORDINATOR, by="test")
    no_exception(at.button(key="load_changshan").click().run())
    assert not at.tabs and at.text_input(key="login_name").value == ""
    assert "dataset" not in at.session_state  # nothing of the county stays for the next person


# --- planning through the page --------------------------------------------------------------------------

def test_load_draw_plan_and_look(app_env):
    at = new_app()
    no_exception(at.button(key="load_tiny").click().run())
    assert any(m.label == "检查对象" and m.value == "80" for m in at.metric)
    no_exception(tab(at, "抽取（双随机）").button(key="run_draw").click().run())
    halves = frame_with(at, "随机候选人员（人员随机）")
    assert "CS-TINY-20261008-70809478" in " ".join(md.value for md in at.markdown)
    assert halves["抽中的事项（对象随机）"].str.contains("对象框").all()  # both halves of 双随机, row by row
    tab(at, "排程（综合查一次）").number_input(key="time_limit").set_value(TIME_LIMIT_S)
    no_exception(at.button(key="run_plan").click().run())
    store = Store(str(app_env))
    [base] = store.plans()
    assert base.record["metrics"]["visits"] > 0 and at.session_state["plan_id"] == base.id
    assert any("已证明最优" in s.value or "与最优相差" in s.value for s in at.success)  # quality in words
    assert adoption.in_force(store, base.record["period"]).plan_id == base.id  # the quarter's first plan: in force
    results = tab(at, "结果")
    assert any(m.label == "检查次数" and m.value == str(base.record["metrics"]["visits"]) for m in results.metric)
    # calendar, the inspector's month, the day map, the load chart
    assert len(results.get("vega_lite_chart")) == 4
    assert (COORDINATOR, "plan", base.id) in [(e.user_name, e.action, e.plan_id) for e in store.audit()]


def test_the_coordinators_pages_read_in_chinese(planned, tiny):
    """Headers, labels, options, table cells and chart titles: no English, no status code, no change syntax,
    no empty cell (Streamlit would draw "None") — on every page once a what-if has been made."""
    at = coordinator_with_plan()
    add_absence(at, *busiest_inspector(read_plan_of(planned, 1), first_open(tiny)))
    no_exception(at.button(key="replan").click().run())
    codes = {*tiny.department, *tiny.category, *tiny.zone, *tiny.town, *tiny.item, *tiny.inspector}
    for label in ("抽取（双随机）", "排程（综合查一次）", "结果", "假设分析", "进度", "结果登记", "导出"):
        page = tab(at, label)
        assert english(texts(page), codes) == [], label
        for frame in page.dataframe:
            assert not frame.value.isna().any().any(), (label, frame.value.columns)


# --- roles ----------------------------------------------------------------------------------------------

def test_a_department_receives_only_its_own_rows(planned, tiny, tiny_run):
    at = new_app(DEPARTMENT)
    assert [t.label for t in at.tabs] == ["本部门检查安排", "结果登记", "进度", "下载"]
    plan = tiny_run.plan
    ours = {v.credit_code for v in plan.visits if "SJ" in v.dept_ids}
    theirs = {v.credit_code for v in plan.visits} - ours
    names = {tiny.business[c].name for c in theirs}
    assert ours and theirs
    visits_table = frame_with(tab(at, "本部门检查安排"), "统一社会信用代码")
    assert set(visits_table["统一社会信用代码"]) == ours
    rendered = texts(at.main) + [str(v) for f in chart_frames(at.main) for v in f.to_numpy().ravel()]
    assert [w for w in rendered if any(c in w for c in theirs | names)] == []
    assert all("市场监督管理局" in o for o in at.selectbox(key="calendar_inspector").options)  # its own officers
    # the download holds its workbook and its own officers' calendars, nothing else
    no_exception(tab(at, "下载").button(key="prepare_department").click().run())  # made when asked for
    [download] = [d for d in tab(at, "下载").get("download_button") if d.key == "download_department"]
    assert "市场监督管理局" in download.proto.label
    assert not [b for b in at.button if b.key in ("run_plan", "replan", "load_tiny", "record_publication")]


def test_a_coordinator_opens_a_departments_view(planned, tiny_run):
    at = coordinator_with_plan()
    county = frame_with(tab(at, "结果"), "统一社会信用代码")
    no_exception(at.sidebar.selectbox(key="scope_zh").set_value("XF").run())
    view = frame_with(tab(at, "结果"), "统一社会信用代码")
    assert set(view["统一社会信用代码"]) == {v.credit_code for v in tiny_run.plan.visits if "XF" in v.dept_ids}
    assert len(view) < len(county)
    no_exception(tab(at, "导出").button(key="prepare_department").click().run())
    assert any("消防救援大队" in d.proto.label for d in tab(at, "导出").get("download_button"))


def test_a_leader_sees_figures_and_no_business(planned, tiny):
    at = new_app(LEADER)
    assert not at.tabs  # one page: 进度
    assert any(m.label == "计划检查" for m in at.metric) and len(at.get("vega_lite_chart")) == 1
    shown = texts(at.main) + [str(v) for f in chart_frames(at.main) for v in f.to_numpy().ravel()]
    businesses = {b.name for b in tiny.businesses} | set(tiny.business)
    assert not [w for w in shown if any(b in w for b in businesses)]
    assert {d.key for d in at.get("download_button")} <= {"progress_by_dept_download", "progress_by_zone_download"}


# --- what-ifs -------------------------------------------------------------------------------------------

def first_open(tiny) -> date:
    return first_unlocked(tiny.workdays, TODAY, tiny.settings.lock_days)


def read_plan_of(store: Store, plan_id: int):
    with store.opened_plan(plan_id) as folder:  # a private copy, gone after the read
        return read_plan(folder)


def add_absence(at: AppTest, who: str, days: list[date]) -> AppTest:
    tab(at, "假设分析")
    whatif = tab(at, "人员请假")
    whatif.selectbox(key="absent_who").set_value(who)
    whatif.date_input(key="absent_from").set_value(days[0])
    whatif.date_input(key="absent_to").set_value(days[-1])  # edited and clicked in one run, as in a browser
    return no_exception(whatif.button(key="add_absent").click().run())


def test_a_what_if_holds_the_dates_the_user_sees(planned, tiny):
    at = coordinator_with_plan()
    before = read_plan_of(planned, 1)
    who, days = busiest_inspector(before, first_open(tiny))
    add_absence(at, who, [days[0] + timedelta(days=1), days[0]])
    assert at.session_state["whatif_pending"] == []  # end before start: refused, in words
    [error] = [e.value for e in at.error]
    assert "早于开始日期" in error and not CHANGE_SYNTAX.search(error)
    add_absence(at, who, days)
    change = f"absent:{who}:{days[0]}:{days[-1]}"
    assert at.session_state["whatif_pending"] == [change]
    assert any(describe_change(tiny, change) in m.value for m in at.markdown)  # shown as a sentence
    assert not any(CHANGE_SYNTAX.search(m.value) for m in at.markdown)
    no_exception(at.button(key="replan").click().run())
    [scenario] = [p for p in planned.plans() if p.is_scenario]
    assert scenario.changes == [change] and at.session_state["plan_id"] == scenario.id
    after = read_plan_of(planned, scenario.id)
    assert not [a for a in after.assignments if a.inspector_id == who and days[0] <= a.date <= days[-1]]
    # what it cost: visits moved, of which only to make room; and both plans compared without asking
    moved = {m.label: int(m.value) for m in tab(at, "假设分析").metric if m.label in ("调整的检查", "其中仅为腾出时间")}
    assert moved["调整的检查"] == scenario.record["moved"] > 0 and moved["其中仅为腾出时间"] <= moved["调整的检查"]
    compared = frame_with(tab(at, "假设分析"), f"#{scenario.id} {scenario.name}")
    assert list(compared.columns) == ["#1 方案1", f"#{scenario.id} {scenario.name}"]
    assert at.session_state["whatif_pending"] == []  # done: the next what-if starts empty


def test_changes_survive_a_failed_solve(planned, tiny, monkeypatch):
    from app import solving

    def fail(*args, **kwargs):
        raise RuntimeError("求解器出错")

    monkeypatch.setattr(solving, "run_plan", fail)
    at = coordinator_with_plan()
    who, days = busiest_inspector(read_plan_of(planned, 1), first_open(tiny))
    add_absence(at, who, days)
    no_exception(at.button(key="replan").click().run())
    assert any("求解器出错" in e.value for e in at.error)
    assert at.session_state["whatif_pending"] == [f"absent:{who}:{days[0]}:{days[-1]}"]
    assert not [p for p in planned.plans() if p.is_scenario]


def test_a_what_if_never_offers_a_past_day(planned, tiny):
    at = coordinator_with_plan()
    tab(at, "假设分析")
    first = first_open(tiny)
    locked = [f"{d.month}月{d.day}日（" for d in tiny.workdays if d < first]
    codes = at.selectbox(key="hand_code").options  # as shown: "10月12日（周一） · 企业 · 检查组"
    assert locked and codes and not [o for o in codes if o.startswith(tuple(locked))]
    assert at.date_input(key="absent_from").min == first and at.date_input(key="urgent_deadline").min == first


def test_the_hand_move_shows_the_allowed_days_first_and_checks_after_a_choice(planned, tiny, tiny_run):
    at = coordinator_with_plan()
    tab(at, "假设分析")
    plan = read_plan_of(planned, 1)
    first = first_open(tiny)
    open_days = [d for d in tiny.workdays if d >= first]
    visit = next(v for v in sorted(plan.visits, key=lambda v: v.date) if v.date >= first
                 and 0 < len(allowed_days(tiny, plan, tiny_run.draw, v.credit_code, open_days)) < len(open_days) - 1)
    form = tab(at, "手工调整一次检查")
    assert not form.error and not form.get("vega_lite_chart")  # nothing checked before a visit is chosen
    no_exception(form.selectbox(key="hand_code").set_value(visit.credit_code).run())
    form = tab(at, "手工调整一次检查")
    allowed = allowed_days(tiny, plan, tiny_run.draw, visit.credit_code, open_days)
    days = form.selectbox(key=f"hand_day_{visit.credit_code}")
    assert days.options == [f"{d.month}月{d.day}日（周{'一二三四五六日'[d.weekday()]}）" for d in allowed]  # only these
    assert len(form.get("vega_lite_chart")) == 1 and not form.error and form.button(key="add_hand").disabled
    no_exception(days.set_value(allowed[0]).run())
    form = tab(at, "手工调整一次检查")
    assert any(s.value.startswith("符合所有硬性规则") for s in form.success)
    no_exception(form.button(key="add_hand").click().run())
    assert at.session_state["whatif_pending"] == [f"move:{visit.credit_code}:{allowed[0]}"]
    no_exception(at.button(key="replan").click().run())
    [scenario] = [p for p in planned.plans() if p.is_scenario]
    after = read_plan_of(planned, scenario.id)
    assert next(v.date for v in after.visits if v.credit_code == visit.credit_code) == allowed[0]
    moved = frame_with(tab(at, "假设分析"), "原因")
    assert "协调员手工调整" in set(moved[moved["检查对象"] == visit.business_name]["原因"])


# --- results, 结果公示 ----------------------------------------------------------------------------------

def test_a_department_enters_results_under_the_import_rules(planned, tiny, tiny_run):
    at = new_app(DEPARTMENT)
    entry = tab(at, "结果登记")
    assert any(c.value.startswith("保存到：#1 方案1（采用中）") for c in entry.caption)  # the plan it writes to
    [result] = [w for w in entry.selectbox if w.key.startswith("entry_result_")][:1]
    result.set_value("未发现问题")
    next(w for w in entry.date_input if w.key.startswith("entry_rectify_")).set_value(date(2026, 10, 30))
    no_exception(entry.button(key="entry_save").click().run())
    problems = frame_with(tab(at, "结果登记"), "修改建议")
    assert list(problems["列"]) == ["整改期限"] and planned.plan(1).version == 1  # refused, nothing stored
    entry = tab(at, "结果登记")
    next(w for w in entry.date_input if w.key.startswith("entry_rectify_")).set_value(None)
    no_exception(entry.button(key="entry_save").click().run())
    row = planned.plan(1)
    assert row.version == 2 and any("已保存到 #1 方案1（采用中）：新增 1 条" in s.value for s in at.success)
    saved = read_plan_of(planned, 1)
    [found] = saved.results
    assert found.result == "未发现问题" and tiny.item[found.item_id].dept_id == "SJ"
    assert [(e.user_name, e.action) for e in planned.audit(limit=1)] == [(DEPARTMENT, "results")]
    # the coordinator records the 结果公示 of it: a new version, the result published today
    at = coordinator_with_plan()
    no_exception(tab(at, "导出").button(key="record_publication").click().run())
    assert planned.plan(1).version == 3
    assert read_plan_of(planned, 1).results[0].published_on == TODAY
    export = tab(at, "导出")  # the page says so at once: nothing waits, no button to press again
    assert not [b for b in export.button if b.key == "record_publication"]
    assert any("没有待公示的检查结果" in c.value for c in export.caption)


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
    assert "dataset" not in at.session_state or at.session_state["dataset"] is None


def test_not_a_dataset_is_a_message(app_env, tmp_path):
    (tmp_path / "data" / "junk.xlsx").write_bytes(b"not a workbook")
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


def test_login_and_plan_on_postgresql(app_env, monkeypatch, postgres_db):
    monkeypatch.setenv("PLANNER_DB_URL", postgres_db)
    store = Store(postgres_db)
    add_user(store, COORDINATOR, "coordinator", PASSWORD, by="test")
    at = new_app()
    no_exception(at.button(key="load_tiny").click().run())
    tab(at, "排程（综合查一次）").number_input(key="time_limit").set_value(TIME_LIMIT_S)
    no_exception(at.button(key="run_plan").click().run())
    [plan] = store.plans()
    assert plan.created_by == COORDINATOR and at.session_state["plan_id"] == plan.id
    assert [e.action for e in store.audit(user=COORDINATOR)] == ["adopt", "plan", "login"]
    store.close()


# --- the plan in force, the picker, a department's figures ---------------------------------------------

def store_result(store: Store, plan_id: int, visit, dataset, rectify: date | None = None) -> None:
    """A department's (SJ) result for its first item of `visit`, stored as the plan's next version."""
    import tempfile

    from planner.quarter.results import import_results

    row = store.plan(plan_id)
    item = next(i for i in visit.item_ids if dataset.item[i].dept_id == "SJ")
    team = ";".join(p for p in visit.inspector_ids if dataset.inspector[p].dept_id == "SJ")
    finding = f"发现问题已责令改正,责令改正,{rectify}" if rectify else "未发现问题,,"
    with tempfile.TemporaryDirectory() as tmp:
        folder = store.write_plan(plan_id, Path(tmp) / "plan")
        sent = Path(tmp) / "结果.csv"
        sent.write_text(f"检查编号,事项编号,检查日期,检查结果,后续处置,整改期限,实际检查人员\n"
                        f"{visit.visit_id},{item},{visit.date},{finding},{team}\n", encoding="utf-8")
        import_results(folder, [sent], today=visit.date, user=DEPARTMENT, now=datetime.now().astimezone(),
                       dept_id="SJ", dataset=dataset)
        store.update_plan(plan_id, folder, expected_version=row.version, by=DEPARTMENT, note="结果登记")


def make_scenario(at: AppTest, planned: Store, tiny) -> int:
    add_absence(at, *busiest_inspector(read_plan_of(planned, 1), first_open(tiny)))
    no_exception(at.button(key="replan").click().run())
    [scenario] = [p for p in planned.plans() if p.is_scenario]
    return scenario.id


def test_the_plan_picker_takes_the_first_pick(planned, tiny):
    at = coordinator_with_plan()
    scenario = make_scenario(at, planned, tiny)
    assert at.session_state["plan_id"] == scenario  # a re-plan shows as picked, marked as a scenario
    picker = at.sidebar.selectbox(key="plan_pick_zh_1")
    assert picker.value == scenario and "采用中" in picker.options[0] and "采用中" not in picker.options[1]
    no_exception(picker.set_value(1).run())  # one pick
    assert at.session_state["plan_id"] == 1 and tab(at, "结果").markdown[0].value.startswith("#### #1 方案1（采用中）")
    no_exception(at.sidebar.selectbox(key="plan_pick_zh_1").set_value(scenario).run())
    assert at.session_state["plan_id"] == scenario
    assert tab(at, "结果").markdown[0].value.startswith(f"#### #{scenario} ")


def test_results_go_to_the_plan_in_force_until_a_scenario_is_adopted(planned, tiny):
    at = coordinator_with_plan()
    scenario = make_scenario(at, planned, tiny)
    department = new_app(DEPARTMENT)  # sees and enters the plan in force only, never the scenario
    assert not [w for w in department.sidebar.selectbox if w.key.startswith("plan_pick")]
    assert any("本季度采用的方案：#1 方案 · 方案1（采用中）" in c.value for c in department.sidebar.caption)
    entry = tab(at, "结果登记")  # the coordinator, looking at the scenario, enters for a department picked here
    assert any("结果只登记到本季度采用的方案 #1" in i.value for i in entry.info)
    no_exception(entry.selectbox(key="entry_dept").set_value("SJ").run())
    entry = tab(at, "结果登记")
    next(w for w in entry.selectbox if w.key.startswith("entry_result_")).set_value("未发现问题")
    no_exception(entry.button(key="entry_save").click().run())
    assert planned.plan(1).version == 2 and planned.plan(scenario).version == 1
    assert any(s.value.startswith("已保存到 #1") or "已保存到 #1" in s.value for s in tab(at, "结果登记").success)
    whatif = tab(at, "假设分析")
    no_exception(whatif.button(key="adopt").click().run())
    assert adoption.in_force(planned, "2026-10-08..2026-10-23").plan_id == scenario
    assert len(read_plan_of(planned, scenario).results) == 1  # carried over with the adoption
    assert ("adopt", scenario) in [(e.action, e.plan_id) for e in planned.audit(limit=3)]
    picker = at.sidebar.selectbox(key=f"plan_pick_zh_{scenario}")  # the sidebar says so at once
    assert picker.value == scenario and "采用中" in picker.options[1] and "采用中" not in picker.options[0]
    department = new_app(DEPARTMENT)
    assert any(f"本季度采用的方案：#{scenario} 情景" in c.value for c in department.sidebar.caption)


def test_a_departments_progress_holds_only_its_own_figures(planned, tiny, tiny_run):
    at = new_app(DEPARTMENT)
    progress = tab(at, "进度")
    ours = [v for v in tiny_run.plan.visits if "SJ" in v.dept_ids]
    planned_metric = next(m for m in progress.metric if m.label == "计划检查")
    assert int(planned_metric.value) == len(ours) < len(tiny_run.plan.visits)
    zones = frame_with(progress, "片区")
    assert zones["计划检查"].sum() == len(ours) and set(frame_with(progress, "部门")["部门"]) == {"市场监督管理局"}
    assert any("部分完成" in c.value and "全县" in c.value for c in progress.caption)  # the joint rule, said
    weekly = [f for f in chart_frames(progress) if "visits" in f.columns]
    assert weekly and max(weekly[0]["visits"]) == len(ours)  # the weeks count its own visits


def test_results_needing_rechecks_offer_a_replan(planned, tiny):
    plan = read_plan_of(planned, 1)
    visit = next(v for v in sorted(plan.visits, key=lambda v: v.date) if "SJ" in v.dept_ids)
    store_result(planned, 1, visit, tiny, rectify=tiny.workdays[4])
    at = coordinator_with_plan()
    button = tab(at, "假设分析").button(key="replan")
    assert button.label == "有 1 家需要复查，重新排程以安排复查" and not button.disabled
    no_exception(button.click().run())
    [scenario] = [p for p in planned.plans() if p.is_scenario]
    assert [v.credit_code for v in read_plan_of(planned, scenario.id).visits if v.kind == "recheck"] == [visit.credit_code]


# --- a session that survives a reload; the login ------------------------------------------------------

def test_a_reload_keeps_the_session_and_the_place(planned, tiny, monkeypatch):
    from app import login
    from planner.store import sessions

    at = coordinator_with_plan()
    no_exception(at.sidebar.selectbox(key="scope_zh").set_value("XF").run())
    add_absence(at, *busiest_inspector(read_plan_of(planned, 1), first_open(tiny)))
    pending = list(at.session_state["whatif_pending"])
    cookie, _ = sessions.exchange(planned, at.session_state["session_ticket"])  # what the browser got
    monkeypatch.setattr(login, "browser_cookie", lambda: cookie)
    reloaded = no_exception(AppTest.from_file(APP, default_timeout=180).run())  # F5: a new script session
    assert reloaded.session_state["user"].name == COORDINATOR and reloaded.tabs
    assert reloaded.session_state["dataset"].name == "tiny" and reloaded.session_state["plan_id"] == 1
    assert reloaded.session_state["scope"] == "XF" and reloaded.session_state["whatif_pending"] == pending
    assert reloaded.session_state["page"] == "假设分析"
    no_exception(reloaded.sidebar.button(key="logout").click().run())
    again = no_exception(AppTest.from_file(APP, default_timeout=60).run())  # the cookie of a logged-out session
    assert not again.tabs and again.text_input(key="login_name").value == ""


def test_the_login_warns_before_the_last_try(planned):
    at = no_exception(AppTest.from_file(APP, default_timeout=60).run())
    for n in range(1, 5):
        no_exception(log_in(at, password="wrong-password"))
        warned = [w.value for w in at.warning if "再输错一次" in w.value]
        assert bool(warned) == (n == 4), n
    no_exception(log_in(at, name="没有这个人", password="wrong"))  # an unknown name: its own count, same words
    assert not [w for w in at.warning if "再输错一次" in w.value]


def test_the_english_toggle_and_back(planned, tiny):
    at = coordinator_with_plan()
    no_exception(at.radio(key="lang").set_value("en").run())
    assert any("(coordinator)" in c.value for c in at.sidebar.caption)
    assert any(m.label == "Businesses" for m in at.metric) and "Zone" in frame_with(at, "Zone ID").columns
    assert at.session_state["page"] == "Data"
    no_exception(at.radio(key="lang").set_value("zh").run())
    tab(at, "假设分析")
    no_exception(at.radio(key="lang").set_value("en").run())
    assert at.session_state["page"] == "What-if"  # the open page follows the language
    names = [w for w in at.text_input if w.key.startswith("scenario_name_")]
    assert names and names[0].value.startswith("Scenario")
    assert not [m.value for m in at.markdown if "请假" in m.value or "检查组" in m.value]
    no_exception(at.radio(key="lang").set_value("zh").run())
    assert at.session_state["page"] == "假设分析"
    scenario = make_scenario(at, planned, tiny)
    assert planned.plan(scenario).name.startswith("情景")  # not "Scenario 2"


def test_the_year_page_sums_the_plans_in_force_and_offers_the_next_years_calendar_draft(planned, tiny):
    at = coordinator_with_plan()
    page = tab(at, "年度")
    figures = {m.label: m.value for m in page.metric}
    assert set(figures) == {"计划完成率", "联合检查率", "结果公示率", "少敲门（次）"}
    assert any(tiny.settings.period.text in c.value for c in page.caption)  # the plan in force, by its period
    [missing] = [w.value for w in page.warning]  # 2027: not in the packaged calendar, nothing marked yet
    assert "2027" in missing and "春节" in missing and "国庆" in missing
