"""One adopted plan per quarter (planner.store.adoption), on SQLite and PostgreSQL: the first plan is adopted when
made; adopting a scenario carries the results recorded meanwhile into it through the results merge (a log line,
a commitment link, verify passes), is logged, and refuses a scenario that no longer matches what happened."""
from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import pytest

from app.state import dataset_digest
from planner.check.verify import verify_plan
from planner.plan.api import run_plan
from planner.plan.folder import read_plan
from planner.quarter.results import ResultsRefused, import_results
from planner.store import adoption
from planner.store.access import readable_plans
from planner.store.accounts import User
from planner.store.store import Store

NOW = datetime(2026, 10, 20, 9, 0).astimezone()
COORDINATOR = User("协调员", "coordinator", None, NOW)
DEPARTMENT = User("市场监管", "department", "SJ", NOW)


@pytest.fixture()
def store(db_url):
    store = Store(db_url)
    yield store
    store.close()


def save(store: Store, run, name: str, parent: int | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        run.write(Path(tmp) / "plan")
        return store.save_plan(name, dataset_digest(run.dataset), Path(tmp) / "plan", seed=run.draw.seed,
                               changes=list(run.record.changes), by=COORDINATOR.name, parent_id=parent)


def enter_result(store: Store, plan_id: int, visit, dataset) -> None:
    """A department's result for its first item of `visit`, as the app enters it (a new version)."""
    row = store.plan(plan_id)
    item = next(i for i in visit.item_ids if dataset.item[i].dept_id == "SJ")
    with tempfile.TemporaryDirectory() as tmp:
        folder = store.write_plan(plan_id, Path(tmp) / "plan")
        sent = Path(tmp) / "结果.csv"
        team = ";".join(p for p in visit.inspector_ids if dataset.inspector[p].dept_id == "SJ")
        sent.write_text(f"检查编号,事项编号,检查日期,检查结果,实际检查人员\n"
                        f"{visit.visit_id},{item},{visit.date},未发现问题,{team}\n", encoding="utf-8")
        import_results(folder, [sent], today=visit.date, user=DEPARTMENT.name, now=NOW, dept_id="SJ", dataset=dataset)
        store.update_plan(plan_id, folder, expected_version=row.version, by=DEPARTMENT.name, note="结果登记")


def current(store: Store, plan_id: int):
    with tempfile.TemporaryDirectory() as tmp:
        return read_plan(store.write_plan(plan_id, Path(tmp) / "plan"))


def scenario_of(tiny, base, today):
    """A re-plan moving visits of the busiest officer from `today` on (an absence)."""
    busy = max(sorted({a.inspector_id for a in base.plan.assignments}),
               key=lambda p: sum(a.inspector_id == p and a.date >= today for a in base.plan.assignments))
    return run_plan(tiny, previous=base.plan, changes=[f"absent:{busy}:{tiny.workdays[-4]}:{tiny.workdays[-1]}"],
                    today=today, time_limit_s=10)


def test_adopting_a_scenario_carries_the_results_recorded_meanwhile(store, tiny, tiny_run, tmp_path):
    first = save(store, tiny_run, "方案1")
    assert adoption.adopt_if_first(store, first, by=COORDINATOR.name).plan_id == first
    today = tiny.workdays[3]
    scenario = save(store, scenario_of(tiny, tiny_run, today), "情景2", parent=first)
    assert adoption.adopt_if_first(store, scenario, by=COORDINATOR.name) is None  # one plan in force
    # departments see the plan in force only; the coordinator every plan and scenario
    rows = store.plans()
    assert [r.id for r in readable_plans(DEPARTMENT, rows, adoption.adopted_plans(store).values())] == [first]
    assert [r.id for r in readable_plans(COORDINATOR, rows, [])] == [first, scenario]
    # after the scenario was made, a result is recorded on the plan in force (a visit before today: kept as it is)
    done = next(v for v in tiny_run.plan.visits if v.date < today and "SJ" in v.dept_ids)
    enter_result(store, first, done, tiny)
    before = current(store, scenario)
    adopted = adoption.adopt(store, scenario, by=COORDINATOR.name, now=NOW)
    assert adoption.in_force(store, tiny.settings.period.text) == adopted and adopted.plan_id == scenario
    assert "转入 1 条检查结果" in adopted.note
    after = current(store, scenario)
    assert [(r.visit_id, r.item_id) for r in after.results] == [(r.visit_id, r.item_id) for r in current(store, first).results]
    assert len(after.results_log) == len(before.results_log) + 1 and "转入" in after.results_log[-1].source
    assert len(after.record.commitment_chain) == len(before.record.commitment_chain) + 1
    assert [(e.action, e.plan_id) for e in store.audit(limit=2)][0] == ("adopt", scenario)
    folder = store.write_plan(scenario, tmp_path / "adopted")
    assert verify_plan(folder, tiny).findings == []
    assert adoption.adopt(store, scenario, by=COORDINATOR.name) == adopted  # adopting it again changes nothing


def test_a_scenario_that_moved_a_visit_done_meanwhile_is_refused(store, tiny, tiny_run):
    first = save(store, tiny_run, "方案1")
    adoption.adopt_if_first(store, first, by=COORDINATOR.name)
    run = scenario_of(tiny, tiny_run, tiny.workdays[3])
    moved = {m.credit_code for m in run.moves if m.before_date and m.after_date}
    visit = next(v for v in tiny_run.plan.visits if v.credit_code in moved and "SJ" in v.dept_ids)
    scenario = save(store, run, "情景2", parent=first)
    enter_result(store, first, visit, tiny)  # the visit went ahead on its old day after all
    with pytest.raises(ResultsRefused) as refused:
        adoption.adopt(store, scenario, by=COORDINATOR.name, now=NOW)
    assert visit.visit_id in str(refused.value) and "重新排程" in str(refused.value)
    assert adoption.in_force(store, tiny.settings.period.text).plan_id == first
    assert store.plan(scenario).version == 1
