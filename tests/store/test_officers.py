"""Inspector accounts (执法人员): created for one officer of the county's roster, they see that officer's own visits
and enter results for their department's items on those visits only — on SQLite and PostgreSQL."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from models.problems import UserError
from models.records import Result
from planner.cli import main
from planner.store import accounts
from planner.store.access import Action, may, officer_view, results_not_allowed, visible_plan
from planner.store.accounts import User, add_user, authenticate
from planner.store.adoption import adopt_if_first
from planner.store.officers import known_officers, plan_for_officers, remember_officers
from planner.store.store import Store
from tests.store.test_store import Clock

PASSWORD = "长城-2026-secret"
CREATED = datetime(2026, 10, 1, tzinfo=UTC)


@pytest.fixture()
def store(db_url):
    store = Store(db_url, clock=Clock())
    yield store
    store.close()


def officer_on_joint_visit(plan):
    """An officer of a joint visit, and that visit."""
    visit = next(v for v in plan.visits if len(v.dept_ids) > 1)
    return visit.inspector_ids[0], visit


def test_an_inspector_account_names_its_officer_and_only_it_does(store):
    with pytest.raises(UserError, match="--inspector"):
        add_user(store, "王五", "inspector", PASSWORD, by="admin")
    with pytest.raises(UserError, match="只有执法人员账号"):
        add_user(store, "张三", "coordinator", PASSWORD, by="admin", inspector_id="SJ001")
    with pytest.raises(UserError, match="只有部门账号"):
        add_user(store, "王五", "inspector", PASSWORD, "SJ", by="admin", inspector_id="SJ001")
    add_user(store, "王五", "inspector", PASSWORD, by="admin", inspector_id=" SJ001 ")
    assert authenticate(store, "王五", PASSWORD).inspector_id == "SJ001"
    assert [(u.name, u.role, u.inspector_id) for u in accounts.users(store)] == [("王五", "inspector", "SJ001")]


def test_once_a_dataset_is_saved_the_officer_must_be_on_its_roster(store, tiny):
    remember_officers(store, "d1", tiny)
    assert known_officers(store) == {p.inspector_id: p.name for p in sorted(tiny.inspectors, key=lambda p: p.inspector_id)}
    with pytest.raises(UserError, match="「NOBODY」不是本县已保存数据集中的执法人员"):
        add_user(store, "王五", "inspector", PASSWORD, by="admin", inspector_id="NOBODY")
    renamed = replace(tiny, inspectors=[replace(p, name="新名字") if p.inspector_id == "SJ001" else p
                                        for p in tiny.inspectors])
    remember_officers(store, "d2", renamed)  # a newer dataset renames an officer: the newer name is kept
    assert known_officers(store)["SJ001"] == "新名字"


def test_an_earlier_store_gains_the_inspector_column(tmp_path):
    db = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:  # the users table as the store made it before inspector accounts
        conn.execute(sa.text("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(64) NOT NULL UNIQUE, "
                             "role VARCHAR(16) NOT NULL, dept_id VARCHAR(64), password_hash VARCHAR(255) NOT NULL, "
                             "created DATETIME NOT NULL, disabled BOOLEAN NOT NULL, failed_logins INTEGER NOT NULL, "
                             "locked_until DATETIME)"))
    engine.dispose()
    store = Store(str(db))
    add_user(store, "王五", "inspector", PASSWORD, by="admin", inspector_id="SJ001")
    assert accounts.user(store, "王五").inspector_id == "SJ001"
    store.close()


def test_an_officer_sees_their_own_visits_with_their_team_and_nothing_else(tiny_run, tiny):
    plan = replace(tiny_run.plan, results=[Result(v.visit_id, i, v.date, "未发现问题") for v in tiny_run.plan.visits
                                           for i in v.item_ids])
    inspector_id, _ = officer_on_joint_visit(plan)
    officer = User("王五", "inspector", None, CREATED, inspector_id=inspector_id)
    seen = visible_plan(officer, plan, tiny)
    assert seen.visits and all(inspector_id in v.inspector_ids for v in seen.visits)
    assert {v.visit_id for v in seen.visits} == {v.visit_id for v in plan.visits if inspector_id in v.inspector_ids}
    assert {a.visit_id for a in seen.assignments} == {v.visit_id for v in seen.visits}
    assert len(seen.assignments) == sum(len(v.inspector_ids) for v in seen.visits)  # the whole team of each
    assert seen.unscheduled == [] and seen.results_log == []
    assert {r.visit_id for r in seen.results} == {v.visit_id for v in seen.visits}
    assert officer_view(plan, "", tiny).visits == []
    assert {a for a in Action if may(officer, a)} == {Action.LISTS, Action.RESULTS}


def test_an_officer_enters_their_own_departments_items_on_their_own_visits_only(tiny_run, tiny):
    plan = tiny_run.plan
    inspector_id, joint = officer_on_joint_visit(plan)
    officer = User("王五", "inspector", None, CREATED, inspector_id=inspector_id)
    own_dept = tiny.inspector[inspector_id].dept_id
    other = next(v for v in plan.visits if inspector_id not in v.inspector_ids)
    mine = [Result(joint.visit_id, i, date(2026, 10, 20), "未发现问题") for i in joint.item_ids
            if tiny.item[i].dept_id == own_dept]
    theirs = [Result(joint.visit_id, i, date(2026, 10, 20), "未发现问题") for i in joint.item_ids
              if tiny.item[i].dept_id != own_dept]
    elsewhere = [Result(other.visit_id, i, date(2026, 10, 20), "未发现问题") for i in other.item_ids]
    assert mine and theirs
    assert results_not_allowed(officer, mine, tiny, plan) == []
    assert results_not_allowed(officer, theirs + elsewhere, tiny, plan) == theirs + elsewhere
    assert results_not_allowed(officer, mine, tiny) == mine  # without the plan nothing is known to be theirs


def test_the_officers_plan_is_the_newest_of_the_day_else_the_next_one(store, tiny_plan_dir):
    assert plan_for_officers(store, date(2026, 10, 12)) is None
    first = store.save_plan("方案1", "d", tiny_plan_dir, seed="s", changes=[], by="x")
    second = store.save_plan("方案2", "d", tiny_plan_dir, seed="s", changes=[], by="x")
    assert plan_for_officers(store, date(2026, 10, 12)).id == second  # 2026-10-08..2026-10-23
    assert plan_for_officers(store, date(2026, 9, 30)).id == second
    assert plan_for_officers(store, date(2026, 11, 2)) is None
    assert first < second


def test_the_officers_plan_is_the_one_in_force(store, tiny_plan_dir):
    first = store.save_plan("方案1", "d", tiny_plan_dir, seed="s", changes=[], by="x")
    adopt_if_first(store, first, by="x")
    store.save_plan("情景2", "d", tiny_plan_dir, seed="s", changes=[], by="x")  # a scenario, not adopted
    assert plan_for_officers(store, date(2026, 10, 12)).id == first


def test_users_add_inspector_on_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLANNER_DB_URL", f"sqlite:///{tmp_path / 'planner.db'}")
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password\n"))
    assert main(["users", "add", "执法-王五", "--role", "inspector", "--inspector", "SJ001"]) == 0
    out = capsys.readouterr().out
    assert "已新建账号「执法-王五」（执法人员：SJ001）" in out and "无法与本县的 inspectors.csv 核对" in out
    assert main(["users", "list"]) == 0
    assert "执法-王五\t执法人员\tSJ001\t正常" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password\n"))
    assert main(["users", "add", "执法-赵六", "--role", "inspector"]) == 1
    assert "--inspector" in capsys.readouterr().err
