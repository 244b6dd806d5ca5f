"""企业评价: a business rates its visit once, after it, with the 评价码 of its notice; the coordinator alone sees the
ratings, per department and quarter, and never anything that points at an officer or a visit."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.problems import UserError
from planner.cli import main
from planner.plan.rating_code import normalise_rating_code, rating_code
from planner.store import schema
from planner.store.access import AccessDenied
from planner.store.accounts import User
from planner.store.ratings import (
    MIN_GROUP,
    WRONG_CODE,
    RatingGroup,
    enter_rating,
    rating_groups,
    ratings_figures,
    submit_rating,
)
from planner.store.store import Store
from tests.store.test_store import Clock

CREATED = datetime(2026, 10, 1, tzinfo=UTC)
COORDINATOR = User("张三", "coordinator", None, CREATED)
OTHERS = [User("市场监管", "department", "SJ", CREATED), User("县领导", "viewer", None, CREATED),
          User("王五", "inspector", None, CREATED, inspector_id="SJ001")]
AFTER = date(2026, 10, 30)  # every visit of the tiny plan is done by then
COMMENTS = ["", "检查规范，态度好", "时间有点长", "提前告知很好"]


@pytest.fixture()
def store(db_url, tiny_plan_dir):
    store = Store(db_url, clock=Clock())
    store.save_plan("方案1", "d", tiny_plan_dir, seed="s", changes=[], by="张三")
    yield store
    store.close()


def code_of(tiny_run, visit) -> str:
    return rating_code(tiny_run.record.salt_key, visit.visit_id)


def stored_rows(store: Store) -> list[dict]:
    with store.engine.connect() as db:
        return [dict(row._mapping) for row in db.execute(sa.select(schema.ratings))]


def test_a_business_rates_its_visit_once_after_it(store, tiny_run):
    visit = tiny_run.plan.visits[0]
    code = code_of(tiny_run, visit)
    with pytest.raises(UserError, match="还没有进行"):
        submit_rating(store, visit.credit_code, code, True, "", today=visit.date - timedelta(days=1))
    submit_rating(store, visit.credit_code, code.lower().replace("-", " "), False, "  等候时间太长 ", today=visit.date)
    with pytest.raises(UserError, match="已经评价过"):
        submit_rating(store, visit.credit_code, code, True, "", today=AFTER)
    (row,) = stored_rows(store)
    assert (row["satisfied"], row["comment"], row["received_on"], row["via"]) == (False, "等候时间太长", visit.date, "page")
    assert row["dept_ids"] == list(visit.dept_ids) and row["period"] == tiny_run.record.period.text


@pytest.mark.parametrize("which", ["code", "business", "other visit"])
def test_a_wrong_code_or_business_gets_the_same_message(store, tiny_run, which):
    visit, other = tiny_run.plan.visits[:2]
    code, business = code_of(tiny_run, visit), visit.credit_code
    if which == "code":
        code = code[:-1] + ("A" if code[-1] != "A" else "B")
    elif which == "business":
        business = other.credit_code
    else:
        code = code_of(tiny_run, other)
    with pytest.raises(UserError) as refused:
        submit_rating(store, business, code, True, "", today=AFTER)
    assert str(refused.value) == WRONG_CODE
    assert stored_rows(store) == []


def test_a_rating_row_holds_nothing_that_names_the_visit_the_business_or_an_officer(store, tiny_run, tiny):
    assert {c.name for c in schema.ratings.c} == {"id", "period", "visit_key", "dept_ids", "satisfied", "comment",
                                                  "received_on", "via"}
    for visit in tiny_run.plan.visits[:4]:
        submit_rating(store, visit.credit_code, code_of(tiny_run, visit), True, "好", today=AFTER)
    period = tiny_run.record.period.text  # the tiny fixture's period is a range of dates: not the visits' own
    shown = json.dumps(stored_rows(store), ensure_ascii=False, default=str).replace(period, "")
    for visit in tiny_run.plan.visits[:4]:
        assert visit.visit_id not in shown and visit.credit_code not in shown and visit.business_name not in shown
        assert code_of(tiny_run, visit) not in shown and str(visit.date) not in shown.replace(str(AFTER), "")
        for p in visit.inspector_ids:
            assert p not in shown and tiny.inspector[p].name not in shown


def test_only_the_coordinator_sees_or_enters_ratings(store, tiny_run):
    visit = tiny_run.plan.visits[0]
    for user in OTHERS:
        with pytest.raises(AccessDenied):
            rating_groups(store, user)
        with pytest.raises(AccessDenied):
            enter_rating(store, user, visit.credit_code, code_of(tiny_run, visit), True, "", today=AFTER)
    enter_rating(store, COORDINATOR, visit.credit_code, code_of(tiny_run, visit), True, "", today=AFTER)
    assert stored_rows(store)[0]["via"] == "office"


def test_the_aggregate_is_per_department_and_quarter_and_small_groups_show_their_count_only(store, tiny_run):
    joint = [v for v in tiny_run.plan.visits if len(v.dept_ids) > 1][:2]
    for visit in joint:
        submit_rating(store, visit.credit_code, code_of(tiny_run, visit), True, "很好", today=AFTER)
    groups = rating_groups(store, COORDINATOR)
    counted = {d for v in joint for d in v.dept_ids}
    assert {g.dept_id for g in groups} == counted  # a joint visit's rating counts for each of its departments
    assert all(g.satisfied is None and g.comments == () and g.satisfied_share is None for g in groups
               if g.count < MIN_GROUP)


def test_status_counts_the_quarters_ratings(store, tiny_run, tiny_plan_dir, db_url, capsys):
    visits = tiny_run.plan.visits[:MIN_GROUP]
    for n, visit in enumerate(visits):
        submit_rating(store, visit.credit_code, code_of(tiny_run, visit), n > 0, "", today=AFTER)
    assert ratings_figures(store, tiny_run.record.period.text) == {
        "ratings": MIN_GROUP, "ratings_satisfied_share": round((MIN_GROUP - 1) / MIN_GROUP, 4)}
    assert main(["status", str(tiny_plan_dir), "--today", str(AFTER), "--json", "--db", db_url]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ratings"] == MIN_GROUP and out["ratings_satisfied_share"] == round((MIN_GROUP - 1) / MIN_GROUP, 4)
    assert main(["status", str(tiny_plan_dir), "--today", str(AFTER), "--db", db_url]) == 0
    assert f"企业评价：{MIN_GROUP} 条，满意 67%" in capsys.readouterr().out


def test_codes_are_written_one_way_and_read_leniently(tiny_run):
    codes = {code_of(tiny_run, v) for v in tiny_run.plan.visits}
    assert len(codes) == len(tiny_run.plan.visits)
    code = next(iter(codes))
    assert normalise_rating_code(code) == code
    assert normalise_rating_code("ｘ" + code) == ""
    mistaken = code.replace("O", "0").replace("I", "1").replace("B", "8").lower()
    assert normalise_rating_code(f" {mistaken} ") == code


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(st.tuples(st.booleans(), st.sampled_from(COMMENTS)), min_size=1, max_size=23))
def test_the_aggregate_never_exposes_an_officer(tmp_path_factory, tiny_run, tiny_plan_dir, tiny, answers):
    store = Store(str(tmp_path_factory.mktemp("ratings") / "planner.db"))
    store.save_plan("方案1", "d", tiny_plan_dir, seed="s", changes=[], by="张三")
    rated = tiny_run.plan.visits[:len(answers)]
    for visit, (satisfied, comment) in zip(rated, answers):
        submit_rating(store, visit.credit_code, code_of(tiny_run, visit), satisfied, comment, today=AFTER)
    groups = rating_groups(store, COORDINATOR)
    store.close()
    assert set(RatingGroup.__dataclass_fields__) == {"period", "dept_id", "count", "satisfied", "comments"}
    shown = json.dumps([[g.period, g.dept_id, g.count, g.satisfied, list(g.comments)] for g in groups],
                       ensure_ascii=False)
    for visit in tiny_run.plan.visits:
        assert visit.visit_id not in shown and visit.credit_code not in shown and visit.business_name not in shown
        assert all(p not in shown and tiny.inspector[p].name not in shown for p in visit.inspector_ids)
    for g in groups:
        assert g.count == sum(g.dept_id in v.dept_ids for v in rated)
        # answers and comments only where enough ratings are pooled that none is one visit's (one team's) alone
        assert (g.satisfied is None) == (g.count < MIN_GROUP) and (g.comments == () or g.count >= MIN_GROUP)
        if g.satisfied is not None:
            assert g.satisfied == sum(s for v, (s, _) in zip(rated, answers) if g.dept_id in v.dept_ids)
