"""The export tests' small plan (tests.export.test_export: visits V1–V5, departments D1–D3) with a re-check
visit V6, and results whose figures are worked out by hand in test_status.py."""
from __future__ import annotations

import dataclasses
from datetime import date

from models.records import Result
from planner.plan.model import Plan
from tests.export.test_export import VISITS, tiny_plan, visit

# 集成改一次: B1's 综合执法 problem found on V1 re-checked on V6
RECHECK = dataclasses.replace(visit("V6", date(2026, 11, 20), 1, "T1", "Z1", "C1", "D2", ("D2",), ("I2",),
                                    ("P3", "P4"), 30), kind="recheck")


def result(visit_id: str, item_id: str, checked_on: date, label: str = "未发现问题", disposal: str = "",
           rectify_by: date | None = None, published_on: date | None = None, note: str = "") -> Result:
    team = {"I1": ("P1", "P2"), "I2": ("P3", "P4"), "I3": ("P5", "P6"), "I4": ("P1",)}[item_id]
    return Result(visit_id, item_id, checked_on, label, disposal, rectify_by, team, note, published_on)


RESULTS = [
    # V1 (D1 + D2, joint) done on 10-09; D2 found a problem; published 10-20 (on time) and 11-10 (late)
    result("V1", "I1", date(2026, 10, 9), published_on=date(2026, 10, 20)),
    result("V1", "I2", date(2026, 10, 9), "发现问题已责令改正", "责令改正", date(2026, 11, 9), date(2026, 11, 10),
           note="门前堆放杂物"),
    # V2 (D3 + D1, joint): the business has closed — the visit is done without D1's item
    result("V2", "I3", date(2026, 10, 12), "已关闭停业或正在组织清算", note="门口贴有停业告示"),
    # V3 (D1 only) done 11-04; V4 (D3, 11-05) has no result: overdue; V5 (D2, 12-01) is still ahead
    result("V3", "I1", date(2026, 11, 4)),
    # the re-check finds the problem unresolved
    result("V6", "I2", date(2026, 11, 20), "发现问题待后续处理"),
]
TODAY = date(2026, 11, 23)


def quarter_plan(results: list[Result] = RESULTS) -> Plan:
    plan = tiny_plan([*VISITS, RECHECK])
    plan.results = list(results)
    return plan
