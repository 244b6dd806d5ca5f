"""集成改一次, worked by hand: the latest result per (business, item) decides what is open; only a first visit's
open problems call for a re-check. Before one rule, the scheduler counted every first-visit problem and the 整改通知单
the latest result, so the two disagreed in the cases below."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.records import Result
from models.rectification import RecheckNeed, open_rectifications, recheck_need_before, recheck_needs


@dataclass(frozen=True)
class Visit:
    visit_id: str
    credit_code: str
    kind: str
    inspector_ids: tuple[str, ...]


B1, B2 = "91330822MA2AAAAAA1", "91330822MA2BBBBBB2"
FIRST = Visit("V1", B1, "routine", ("P1", "P2"))
OTHER = Visit("V2", B2, "urgent", ("P3", "P4"))
RECHECK = Visit("R1", B1, "recheck", ("P1", "P5"))
VISITS = [FIRST, OTHER, RECHECK]
RECHECK_DAY = date(2026, 11, 9)
FOUND = [Result("V1", "I1", date(2026, 10, 12), "发现问题已责令改正", "责令改正", date(2026, 11, 2)),
         Result("V1", "I2", date(2026, 10, 12), "发现问题待后续处理", "", date(2026, 11, 6)),
         Result("V1", "I3", date(2026, 10, 12), "未发现问题", "无需处置"),
         Result("V2", "I4", date(2026, 10, 13), "发现问题待后续处理", "移送案件线索")]  # no deadline: not to rectify


def recheck(item: str, result: str, disposal: str = "无需处置", by: date | None = None) -> Result:
    return Result("R1", item, RECHECK_DAY, result, disposal, by)


def test_first_visit_problems_are_open_and_call_for_one_recheck():
    assert {code: [f.result.item_id for f in found] for code, found in open_rectifications(VISITS, FOUND).items()} \
        == {B1: ["I1", "I2"]}  # by deadline; I3 found nothing, I4 has no deadline
    assert recheck_needs(VISITS, FOUND) == [RecheckNeed(B1, ("I1", "I2"), date(2026, 11, 6), ("P1", "P2"))]


def test_a_recheck_finding_nothing_closes_the_item_for_the_notice_and_the_scheduler():
    results = [*FOUND, recheck("I1", "未发现问题")]
    assert [f.result.item_id for f in open_rectifications(VISITS, results)[B1]] == ["I2"]
    # the old scheduler still asked for I1 and the 11-02 deadline
    assert recheck_needs(VISITS, results) == [RecheckNeed(B1, ("I2",), date(2026, 11, 6), ("P1", "P2"))]
    closed = [*results, recheck("I2", "未发现问题")]
    assert open_rectifications(VISITS, closed) == {} and recheck_needs(VISITS, closed) == []


def test_a_recheck_finding_the_problem_again_stays_open_but_calls_for_no_recheck():
    results = [*FOUND, recheck("I1", "发现问题已责令改正", "责令改正", date(2026, 11, 30)),
               recheck("I2", "未发现问题")]
    (again,) = open_rectifications(VISITS, results)[B1]
    assert (again.visit, again.result.rectify_by) == (RECHECK, date(2026, 11, 30))  # the notice's new deadline
    assert recheck_needs(VISITS, results) == []  # the coordinator decides; the old scheduler re-planned one


def test_what_a_recheck_answers_is_what_was_found_before_it():
    results = [*FOUND, recheck("I1", "未发现问题"), recheck("I2", "未发现问题")]
    assert recheck_need_before(VISITS, results, B1, RECHECK_DAY) \
        == RecheckNeed(B1, ("I1", "I2"), date(2026, 11, 6), ("P1", "P2"))
    assert recheck_need_before(VISITS, results, B2, RECHECK_DAY) is None


def test_on_one_day_the_recheck_comes_after_the_check_it_follows_up():
    same_day = Result("R1", "I1", date(2026, 10, 12), "未发现问题", "无需处置")
    first_after = [same_day, *FOUND]  # the order of the rows does not matter
    assert [f.result.item_id for f in open_rectifications(VISITS, first_after)[B1]] == ["I2"]


def test_results_of_visits_not_in_the_plan_are_ignored():
    stray = Result("V9", "I1", date(2026, 10, 12), "发现问题已责令改正", "责令改正", date(2026, 11, 2))
    assert recheck_needs(VISITS, [stray]) == [] and open_rectifications(VISITS, [stray]) == {}

