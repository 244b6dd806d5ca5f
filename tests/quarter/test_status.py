"""进度 figures on a small plan whose answers are worked out by hand (tests/quarter/quarter_plan.py).

Publication deadlines (20 working days after the check, statutory calendar): 10-09 → 11-05, 10-12 → 11-09,
11-04 → 12-02, 11-20 → 12-18.
"""
from __future__ import annotations

import json

from planner.cli import main
from planner.quarter.results import PlanFacts
from planner.quarter.status import quarter_status
from tests.export.test_export import write_plan
from tests.quarter.quarter_plan import RESULTS, TODAY, quarter_plan

ITEM_DEPT = {"I1": "D1", "I2": "D2", "I3": "D3", "I4": "D1"}
CONTRACT_KEYS = {"visits_planned", "visits_done", "visits_overdue", "joint_rate", "results_overdue",
                 "rechecks_planned", "rechecks_done"}


def status(plan=None):
    plan = plan or quarter_plan()
    facts = PlanFacts({v.visit_id: v for v in plan.visits}, ITEM_DEPT, frozenset())
    return quarter_status(plan, TODAY, facts)


def test_county_figures():
    county = status().county
    assert (county.visits_planned, county.visits_done, county.visits_overdue) == (6, 4, 1)  # V4 overdue, V5 ahead
    assert county.joint_visits_done == 2 and county.joint_rate == 0.5 and county.joint_rate_target == 0.6
    assert county.completion_rate == 4 / 6
    # V1 I1 on time; V1 I2 published a day late; V2 I3 past 11-09 unpublished; V3, V6 not yet due
    assert (county.results_due, county.results_published, county.results_published_on_time) == (5, 2, 1)
    assert (county.results_overdue, county.results_overdue_unpublished) == (2, 1)
    assert (county.door_knocks, county.door_knocks_separately, county.door_knocks_saved) == (4, 6, 2)
    assert (county.rechecks_planned, county.rechecks_done) == (1, 1)


def test_department_figures_count_its_own_items():
    by_dept = status().by_dept
    d1, d2, d3 = by_dept["D1"], by_dept["D2"], by_dept["D3"]
    # D1 is in V1, V2 (closed by D3's result), V3
    assert (d1.visits_planned, d1.visits_done, d1.visits_overdue, d1.joint_rate) == (3, 3, 0, 2 / 3)
    assert (d1.results_due, d1.results_published_on_time, d1.results_overdue, d1.door_knocks_saved) == (2, 1, 0, 2)
    # D2 is in V1, V5 (ahead) and the re-check V6
    assert (d2.visits_planned, d2.visits_done, d2.joint_rate, d2.rechecks_planned, d2.rechecks_done) == (3, 2, 0.5, 1, 1)
    assert (d2.results_due, d2.results_published, d2.results_overdue, d2.results_overdue_unpublished) == (2, 1, 1, 0)
    assert (d3.visits_planned, d3.visits_done, d3.visits_overdue, d3.joint_rate) == (2, 1, 1, 1.0)
    assert (d3.results_overdue, d3.results_overdue_unpublished) == (1, 1)


def test_zone_figures():
    z1, z2 = status().by_zone["Z1"], status().by_zone["Z2"]
    assert (z1.visits_planned, z1.visits_done, z1.joint_visits_done, z1.results_due, z1.results_overdue) == (4, 3, 2, 4, 2)
    assert (z2.visits_planned, z2.visits_done, z2.visits_overdue, z2.joint_rate, z2.results_overdue) == (2, 1, 1, 0.0, 0)


def test_nothing_done_has_no_rate():
    county = status(quarter_plan([])).county
    assert county.visits_done == 0 and county.joint_rate is None and county.visits_overdue == 5  # all but V5


def test_weekly_series_counts_planned_by_visit_date_and_done_by_check_date():
    weeks = status().by_week
    assert [w["week_start"] for w in (weeks[0], weeks[-1])] == ["2026-10-05", "2026-11-30"] and len(weeks) == 9
    assert weeks[0] == {"week_start": "2026-10-05", "planned": 1, "done": 1, "planned_cumulative": 1,
                        "done_cumulative": 1}
    assert weeks[-1] == {"week_start": "2026-11-30", "planned": 1, "done": 0, "planned_cumulative": 6,
                         "done_cumulative": 4}


def test_a_recheck_finding_the_problem_unresolved_is_flagged():
    (flag,) = status().rechecks_unresolved
    assert (flag.result.visit_id, flag.result.item_id, flag.dept_id) == ("V6", "I2", "D2")
    assert flag.to_json()["result"] == "发现问题待后续处理"


def test_cli_json_has_the_contract_keys_at_every_level(tmp_path, capsys):
    plan_dir = write_plan(tmp_path / "plan", quarter_plan())
    assert main(["status", str(plan_dir), "--today", TODAY.isoformat(), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data.keys() >= CONTRACT_KEYS
    assert set(data["by_dept"]) == {"D1", "D2", "D3"} and set(data["by_zone"]) == {"Z1", "Z2"}
    assert all(f.keys() >= CONTRACT_KEYS for f in [*data["by_dept"].values(), *data["by_zone"].values()])
    # the plan folder alone (draw.csv names the items' departments) gives the figures worked out above
    assert (data["visits_done"], data["results_overdue"], data["joint_rate"]) == (4, 2, 0.5)
    assert data["by_dept"]["D2"]["results_overdue"] == 1 and len(data["rechecks_unresolved"]) == 1


def test_cli_text_names_the_target_and_the_flag(tmp_path, capsys):
    plan_dir = write_plan(tmp_path / "plan", quarter_plan())
    assert main(["status", str(plan_dir), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "联合检查率目标 60%：全县 50.0%，未达到" in out
    assert "复查发现问题仍未整改 1 项" in out and "V6" in out
    assert main(["status", str(plan_dir), "--today", "2026-13-01"]) == 1
    assert "--today 2026-13-01" in capsys.readouterr().err


def test_a_departments_own_figures_and_what_is_done_only_in_part():
    """D2 has not reported V1 (joint with D1): V1 is done for D1, not for the county — 部分完成 on both sides."""
    plan = quarter_plan([r for r in RESULTS if (r.visit_id, r.item_id) != ("V1", "I2")])
    facts = PlanFacts({v.visit_id: v for v in plan.visits}, ITEM_DEPT, frozenset())
    county = quarter_status(plan, TODAY, facts)
    assert county.county.visits_partly_done == 1 and county.by_dept["D1"].visits_partly_done == 1
    assert county.by_dept["D2"].visits_partly_done == 0  # nothing of D2's is done where another lags
    own = quarter_status(plan, TODAY, facts, dept_id="D1")
    assert own.county == county.by_dept["D1"] and set(own.by_dept) == {"D1"}
    d1_visits = [v for v in plan.visits if "D1" in v.dept_ids]
    assert sum(f.visits_planned for f in own.by_zone.values()) == len(d1_visits) < county.county.visits_planned
    assert set(own.by_zone) == {v.zone_id for v in d1_visits}
    assert own.by_week[-1]["planned_cumulative"] == len(d1_visits)
    assert own.by_week[-1]["done_cumulative"] == own.county.visits_done  # done as D1 counts its own items
    assert own.rechecks_unresolved == []  # V6's unresolved finding is D2's
