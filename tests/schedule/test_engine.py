"""The engine: blocked and impossible visits get reasons, re-plans pin what no change touches."""
from __future__ import annotations

from dataclasses import replace

from models.records import Absence
from planner.schedule.engine import build_schedule
from planner.schedule.pinning import pinned_placements
from tests.draw_helpers import officer
from tests.schedule.helpers import DAYS, instance


def test_too_few_officers_is_unscheduled_with_reason():
    dataset, requests = instance(1, inspectors=[officer("A", "D3", "Z1")])
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert result.days == {} and result.left_out == {0: "blocked"}
    assert "只有 1 名" in requests[0].blocker and "需要 2 名" in requests[0].blocker


def test_no_common_day_is_unscheduled():
    absences = [Absence("A", DAYS[0], DAYS[1]), Absence("B", DAYS[2], DAYS[2])]
    dataset, requests = instance(1, absences=absences)
    result = build_schedule(dataset, requests, time_limit_s=5)
    assert result.days == {} and result.left_out == {0: "teams"}


def test_replan_pins_only_visits_no_change_touches():
    people = [officer(p, "D3", "Z1") for p in "ABCD"]
    dataset, requests = instance(2, inspectors=people)
    requests = [replace(requests[0], candidates={"D3": ("A", "B")}),
                replace(requests[1], candidates={"D3": ("C", "D")})]
    previous = {requests[0].visit_id: (DAYS[0], ("A", "B")), requests[1].visit_id: (DAYS[1], ("C", "D"))}
    assert set(pinned_placements(dataset, requests, previous)) == {0, 1}
    absent = replace(dataset, absences=[Absence("A", DAYS[0], DAYS[0])])
    assert set(pinned_placements(absent, requests, previous)) == {1}  # visit 0 must move; 1 is untouched
    requests[0] = replace(requests[0], candidates={"D3": ("A", "B", "C")})
    assert set(pinned_placements(absent, requests, previous)) == set()  # C could take over visit 0


def test_every_level_is_reported_on_its_own():
    dataset, requests = instance(2)
    result = build_schedule(dataset, requests, time_limit_s=5)
    levels = result.stages["teams"].levels
    assert levels["left_out"].value == 0 and levels["left_out"].optimal
    assert levels["visit_spread"].value == 0  # two visits, two officers, both on both
