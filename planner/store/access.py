"""What each role may see and do, as data-level rules the app (and the command line) call.

A page asks `may(user, action)` before it draws anything and reads plans only through `visible_plan`, so a
department account never holds another department's lists, and a viewer never holds a business list at all.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from enum import StrEnum

from models.dataset import Dataset
from models.problems import UserError
from models.records import Result
from planner.plan.model import Plan
from planner.store.accounts import ROLES, User
from planner.store.store import PlanRow


class Action(StrEnum):
    LOAD_DATA = "load_data"  # load or upload a dataset
    PLAN = "plan"  # draw, plan, re-plan, what-ifs
    LISTS = "lists"  # drawn businesses, visits and dates (confidential before the visit)
    RESULTS = "results"  # enter inspection results
    PROGRESS = "progress"  # the 进度 figures and charts
    EXPORT = "export"  # the plan folder and its exports
    RATINGS = "ratings"  # 企业评价: the aggregate per department and quarter, and entering one for a business
    ADOPT = "adopt"  # make a plan the county's plan in force for its quarter (planner.store.adoption)


ACTION_NAMES = {Action.LOAD_DATA: "加载数据集", Action.PLAN: "抽取和排程", Action.LISTS: "查看检查名单和日期",
                Action.RESULTS: "录入检查结果", Action.PROGRESS: "查看进度", Action.EXPORT: "导出方案",
                Action.RATINGS: "查看或录入企业评价",
                Action.ADOPT: "采用方案"}
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    "coordinator": frozenset(Action),
    "department": frozenset({Action.LISTS, Action.RESULTS, Action.PROGRESS}),  # its own department's only
    "viewer": frozenset({Action.PROGRESS}),
    "inspector": frozenset({Action.LISTS, Action.RESULTS}),  # the officer's own visits only (officer_view)
}


class AccessDenied(UserError):
    """The account's role does not allow this (the message names the role and the action)."""


def may(user: User | None, action: Action) -> bool:
    return user is not None and not user.disabled and action in ROLE_ACTIONS.get(user.role, frozenset())


def require(user: User | None, action: Action) -> None:
    if user is None:
        raise AccessDenied("请先登录")
    if not may(user, action):
        raise AccessDenied(f"{ROLES.get(user.role, user.role)}账号「{user.name}」不能{ACTION_NAMES[action]}")


def readable_plans(user: User | None, rows: Sequence[PlanRow], in_force: Collection[int]) -> list[PlanRow]:
    """The stored plans this user may open: every plan and scenario for a coordinator; for anyone else only the
    plans in force (`in_force`: their ids, planner.store.adoption) — scenarios are the coordinator's to explore."""
    if user is None or user.disabled:
        return []
    if may(user, Action.PLAN):
        return list(rows)
    return [row for row in rows if row.id in in_force]


def visible_plan(user: User, plan: Plan, dataset: Dataset) -> Plan:
    """The plan as this user may read it: whole for a coordinator, the department's part for a department
    (see department_view), the officer's own visits for an inspector (officer_view); a viewer reads no lists
    (AccessDenied) — the app shows it figures only."""
    require(user, Action.LISTS)
    if user.role == "coordinator":
        return plan
    if user.role == "inspector":
        return officer_view(plan, user.inspector_id or "", dataset)
    return department_view(plan, user.dept_id or "", dataset)


def department_view(plan: Plan, dept_id: str, dataset: Dataset) -> Plan:
    """What a department sees of a plan: the visits it takes part in with their whole joint team (its officers
    go with them, as in its export workbook), its own items among the unscheduled, and the results of its own
    items. Other departments' work and the results log (whose files, from whom) are left out."""
    item_dept = {item.item_id: item.dept_id for item in dataset.items}
    visits = [v for v in plan.visits if dept_id in v.dept_ids]
    visit_ids = {v.visit_id for v in visits}
    unscheduled = []
    for u in plan.unscheduled:
        own = tuple(i for i in u.item_ids if item_dept.get(i) == dept_id)
        if own:
            unscheduled.append(replace(u, item_ids=own))
    return Plan(
        visits=visits,
        assignments=[a for a in plan.assignments if a.visit_id in visit_ids],
        unscheduled=unscheduled,
        record=plan.record,
        results=[r for r in plan.results if r.visit_id in visit_ids and item_dept.get(r.item_id) == dept_id],
        results_log=[],
    )


def officer_view(plan: Plan, inspector_id: str, dataset: Dataset) -> Plan:
    """What an officer (an inspector account) sees of a plan: the visits they are on, with their whole team (they
    go together), and those visits' results. Nothing of any other visit, no unscheduled list, no results log."""
    visits = [v for v in plan.visits if inspector_id and inspector_id in v.inspector_ids]
    visit_ids = {v.visit_id for v in visits}
    return Plan(
        visits=visits,
        assignments=[a for a in plan.assignments if a.visit_id in visit_ids],
        unscheduled=[],
        record=plan.record,
        results=[r for r in plan.results if r.visit_id in visit_ids],
        results_log=[],
    )


def officer_department(user: User, dataset: Dataset) -> str | None:
    """The department an inspector account enters results for: its officer's."""
    person = dataset.inspector.get(user.inspector_id or "")
    return person.dept_id if user.role == "inspector" and person is not None else None


def results_not_allowed(user: User, results: Iterable[Result], dataset: Dataset, plan: Plan | None = None
                        ) -> list[Result]:
    """The results this user may not enter: for a department, those of other departments' items; for an
    inspector, also those of visits they are not on (`plan`: the plan the results go into)."""
    if not may(user, Action.RESULTS):
        return list(results)
    if user.role not in ("department", "inspector"):
        return []
    item_dept = {item.item_id: item.dept_id for item in dataset.items}
    if user.role == "department":
        return [r for r in results if item_dept.get(r.item_id) != user.dept_id]
    own_dept = officer_department(user, dataset)
    own_visits = {v.visit_id for v in officer_view(plan, user.inspector_id or "", dataset).visits} if plan else set()
    return [r for r in results if item_dept.get(r.item_id) != own_dept or r.visit_id not in own_visits]
