"""Issue #24's pages driven as their users would (AppTest): the inspector's phone page (only the officer's own
visits, whatever the session or the address says; results entered on the spot through the app's one results
path, seen at once by the department), the business's rating page without an account, and the coordinator's
企业预约与评价."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from planner.plan.rating_code import rating_code
from planner.store.accounts import add_user
from planner.store.ratings import MIN_GROUP, submit_rating
from planner.whatif.describe import describe_change
from tests.app import test_app
from tests.app.test_app import (
    APP,
    CHANGE_SYNTAX,
    DEPARTMENT,
    PASSWORD,
    TODAY,
    coordinator_with_plan,
    english,
    frame_with,
    new_app,
    no_exception,
    read_plan_of,
    tab,
    texts,
)

OFFICER = "执法-测试"
app_env, planned = test_app.app_env, test_app.planned  # the app's fixtures: an empty county, the tiny plan stored


def officer_of_today(plan, tiny):
    """An officer of the lead department (市场监管, the test's department account) on a joint visit of TODAY, that
    visit, and the officer's own items."""
    visit = next(v for v in plan.visits if v.date == TODAY and len(v.dept_ids) > 1 and v.lead_dept_id == "SJ")
    officer = next(p for p in visit.inspector_ids if tiny.inspector[p].dept_id == visit.lead_dept_id)
    return officer, visit, [i for i in visit.item_ids if tiny.item[i].dept_id == visit.lead_dept_id]


@pytest.fixture()
def officer(planned, tiny, tiny_run):
    inspector_id, visit, items = officer_of_today(tiny_run.plan, tiny)
    add_user(planned, OFFICER, "inspector", PASSWORD, by="test", inspector_id=inspector_id)
    return inspector_id, visit, items


def shown(at: AppTest) -> str:
    return "\n".join(texts(at.main) + [e.value for e in at.main.get("markdown")])


def others(plan, inspector_id):
    return [v for v in plan.visits if inspector_id not in v.inspector_ids]


def test_an_officer_sees_only_their_own_visits_today_first(officer, tiny_run, tiny):
    inspector_id, visit, _ = officer
    at = new_app(OFFICER)
    assert not at.tabs  # one page: 我的检查
    page = shown(at)
    headings = [m.value for m in at.markdown if m.value.startswith("#####")]
    assert headings[:2] == ["##### 今天 · 10月8日（周四）", "##### 本周其他日子"]
    assert visit.business_name in page and tiny.inspector[inspector_id].name in page
    for other in others(tiny_run.plan, inspector_id):
        assert other.business_name not in page and other.credit_code not in page
    assert english(texts(at.main), {*tiny.inspector, *tiny.item, *tiny.department}) == []
    assert not CHANGE_SYNTAX.search(page)


@pytest.mark.parametrize("trick", ["scope", "plan", "address", "role"])
def test_no_session_or_address_trick_shows_an_officer_another_visit(officer, tiny_run, trick):
    inspector_id, _, _ = officer
    at = new_app(OFFICER)
    if trick == "scope":
        at.session_state["scope"] = tiny_run.plan.visits[0].lead_dept_id
    elif trick == "plan":
        at.session_state["plan_id"] = 1
    elif trick == "address":
        at.query_params["page"] = "tab_data"
    else:  # a session holding another account's user object is re-read from the store on every run
        at.session_state["user"] = at.session_state["user"].__class__(OFFICER, "coordinator", None,
                                                                      at.session_state["user"].created)
    no_exception(at.run())
    page = shown(at)
    assert not at.tabs
    for other in others(tiny_run.plan, inspector_id):
        assert other.business_name not in page


def test_an_officer_enters_results_on_the_spot_and_the_department_sees_them(officer, planned, tiny):
    _, visit, items = officer
    at = new_app(OFFICER)
    key = f"phone_1_1_{visit.visit_id}"
    at.checkbox(key=f"{key}_as_planned").uncheck()
    no_exception(at.run())
    for item_id in items:
        at.selectbox(key=f"{key}_result_{item_id}").set_value("未发现问题")
    no_exception(at.button(key=f"{key}_save").click().run())
    assert any("变动原因" in e.value for e in at.error) and planned.plan(1).version == 1  # a deviation is stated
    at.text_input(key=f"{key}_why").set_value("蔡慧敏临时请假，由同事替换")
    no_exception(at.button(key=f"{key}_save").click().run())
    assert planned.plan(1).version == 2 and any(f"新增 {len(items)} 条" in s.value for s in at.success)
    saved = {(r.visit_id, r.item_id): r for r in read_plan_of(planned, 1).results}
    assert all(saved[visit.visit_id, i].result == "未发现问题" and "检查组变动" in saved[visit.visit_id, i].note
               for i in items)
    department = new_app(DEPARTMENT)  # the department's own entry page shows the officer's results at once
    status = frame_with(tab(department, "结果登记"), "检查结果")
    assert (status["检查结果"] == "未发现问题").sum() == len(items)


def test_a_business_rates_its_visit_without_an_account(planned, tiny_run):
    visit = next(v for v in tiny_run.plan.visits if v.date <= TODAY)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = "rate"
    no_exception(at.run())
    assert "login_name" not in [w.key for w in at.text_input] and not at.tabs
    at.text_input(key="rate_credit_code").set_value(visit.credit_code)
    at.text_input(key="rate_rating_code").set_value("AAAAA-AAAAA")
    no_exception(at.button(key="rate_send").click().run())
    assert [e.value for e in at.error] and "评价码不正确" in at.error[0].value
    at.text_input(key="rate_rating_code").set_value(rating_code(tiny_run.record.salt_key, visit.visit_id))
    at.text_area(key="rate_comment").set_value("检查规范")
    no_exception(at.button(key="rate_send").click().run())
    assert any("谢谢" in s.value for s in at.success)
    assert visit.business_name not in shown(at)  # the page shows nothing of the county


def test_the_coordinator_adds_an_appointment_and_reads_the_ratings(planned, tiny, tiny_run):
    at = coordinator_with_plan()
    page = tab(at, "企业预约与评价")
    visit = next(v for v in tiny_run.plan.visits if v.date > TODAY)
    page.selectbox(key="say_business").set_value(visit.credit_code)
    page.radio(key="say_kind").set_value("avoid")
    page.date_input(key="say_from").set_value(visit.date)
    page.date_input(key="say_to").set_value(visit.date)
    no_exception(page.button(key="say_add").click().run())
    change = f"avoid:{visit.credit_code}:{visit.date}:{visit.date}"
    assert at.session_state["whatif_pending"] == [change]
    assert any(describe_change(tiny, change) in s.value for s in at.success)
    for done in [v for v in tiny_run.plan.visits if v.date <= TODAY][:MIN_GROUP]:
        submit_rating(planned, done.credit_code, rating_code(tiny_run.record.salt_key, done.visit_id), True, "好",
                      today=TODAY)
    no_exception(at.run())
    table = frame_with(tab(at, "企业预约与评价"), "满意率")
    assert set(table.columns) == {"季度", "部门", "评价数", "满意", "满意率", "意见"}
    assert table["评价数"].max() >= MIN_GROUP
    for _, group in table.iterrows():  # all satisfied; small groups show their count only
        assert group["满意率"] == ("100%" if group["评价数"] >= MIN_GROUP else "—")
    codes = {*tiny.department, *tiny.category, *tiny.zone, *tiny.town, *tiny.item, *tiny.inspector}
    assert english(texts(tab(at, "企业预约与评价")), codes) == []
