"""A property of the quarter's life (#27): over random todays (before, inside and after the period), changes —
on locked days and after the period too — results that call for re-checks, and settings, on the tiny fixture:
every plan the tool writes passes verify, solving it again gives the same files byte for byte, and no past or
locked visit moves. Derandomized and bounded, so the suite stays fast and every run tries the same cases."""
from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.problems import UserError
from planner.check.self_check import write_verified
from planner.check.verify import verify_plan
from planner.plan.api import run_plan
from planner.plan.folder import read_plan
from planner.plan.locking import recorded_free_from
from planner.quarter.results import import_results

LIMIT = 3
START, END = date(2026, 10, 8), date(2026, 10, 23)
OFFICERS = ["SJ001", "SJ002", "SJ003", "SJ004", "ZH001", "ZH005", "XF001", "XF003"]
SETTINGS = ["set:cross_zone=forbid", "set:cross_zone=allow", "set:zone_balance=ratio:1.25", "set:lock_days=0",
            "set:lock_days=3", "set:recheck_within_days=2", "set:shortlist=all", "set:recheck_team=different"]
days = st.one_of(st.integers(-7, -1), st.integers(0, 15), st.integers(0, 15), st.integers(16, 45)).map(
    lambda n: START + timedelta(days=n))  # before, inside (twice as often) and after the period


@st.composite
def change(draw):
    """One coordinator's change, in its text form; some are refused (a UserError), which writes nothing."""
    kind = draw(st.sampled_from(["absent", "absent", "remove", "missed", "urgent", "set", "day_minutes"]))
    officer = draw(st.sampled_from(OFFICERS))
    if kind == "absent":
        first = draw(st.integers(0, 15))
        return f"absent:{officer}:{START + timedelta(days=first)}:{START + timedelta(days=first + draw(st.integers(0, 4)))}"
    if kind == "remove":
        return f"remove:{officer}"
    if kind == "day_minutes":
        return f"day_minutes:{officer}:{draw(st.sampled_from([90, 200, 300]))}"
    if kind == "set":
        return draw(st.sampled_from(SETTINGS))
    return f"{kind}:<visit {draw(st.integers(0, 22))}>"  # a business of the plan, named when it is known


def with_codes(text: str, plan, businesses: list[str]) -> str:
    """`missed:` names a visit of the plan being changed, `urgent:` a business without one."""
    if "<visit" not in text:
        return text
    n = int(text.split("<visit ")[1].rstrip(">"))
    if text.startswith("missed:"):
        return f"missed:{plan.visits[n % len(plan.visits)].credit_code}"
    visited = {v.credit_code for v in plan.visits}
    free = [code for code in businesses if code not in visited]
    return f"urgent:{free[n % len(free)]}"


class Quarter:
    """The plans of one example: written through the tool's own writer, each checked as the property says."""

    def __init__(self, tiny, root: Path):
        self.tiny, self.root, self.versions = tiny, root, []
        self.businesses = [b.credit_code for b in tiny.businesses if not b.exempt]

    def plan(self, changes: list[str], today: date | None) -> bool:
        """One more version (a re-plan of the last one); False when the tool refused the changes."""
        previous = read_plan(self.versions[-1]) if self.versions else None
        recorded = list(previous.record.changes) if previous else []
        changes = [with_codes(c, previous, self.businesses) for c in changes] if previous is not None \
            else [c for c in changes if "<visit" not in c]
        try:
            run = run_plan(self.tiny, previous=previous, changes=recorded + changes, today=today, time_limit_s=LIMIT)
        except UserError:
            return False
        folder = self.root / f"v{len(self.versions)}"
        write_verified(run, folder)  # raises if the plan fails its own verify
        assert verify_plan(folder, self.tiny, resolve=True, previous=self.versions[-1] if self.versions else None
                           ).findings == []
        if previous is not None:
            start = recorded_free_from(run.record)
            missed = {c.split(":")[1] for c in changes if c.startswith("missed:")}
            if start is not None:
                kept = [v for v in previous.visits if v.date < start and v.credit_code not in missed]
                assert all(v in run.plan.visits for v in kept), "a past or locked visit moved"
        self.versions.append(folder)
        return True

    def results(self, today: date, deadline_days: int) -> None:
        """Departments report a problem to put right for the first past visit still without results."""
        plan = read_plan(self.versions[-1])
        done = {r.visit_id for r in plan.results}
        visit = next((v for v in plan.visits if v.date < today and v.visit_id not in done and v.kind != "recheck"),
                     None)
        if visit is None:
            return
        deadline = visit.date + timedelta(days=deadline_days)
        rows = [f"{visit.visit_id},{item},{visit.date},发现问题已责令改正,责令改正,{deadline},"
                f"{';'.join(visit.inspector_ids)}," for item in visit.item_ids]
        path = self.root / f"results{len(self.versions)}.csv"
        path.write_text("visit_id,item_id,checked_on,result,disposal,rectify_by,inspector_ids,note\n"
                        + "\n".join(rows) + "\n", encoding="utf-8")
        import_results(self.versions[-1], [path], today=today, user="测试", now=datetime(2026, 10, 1, 9))
        assert verify_plan(self.versions[-1], self.tiny).findings == []


@settings(max_examples=14, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(first=st.lists(st.sampled_from(SETTINGS), max_size=2, unique=True),
       steps=st.lists(st.tuples(days, st.lists(change(), max_size=3), st.booleans(), st.integers(0, 4)),
                      min_size=1, max_size=3))
def test_every_plan_of_a_quarter_verifies_solves_again_and_keeps_the_past(tiny, first, steps):
    with tempfile.TemporaryDirectory() as tmp:
        quarter = Quarter(tiny, Path(tmp))
        assert quarter.plan(first, None)
        today = None
        for day, changes, report, deadline_days in steps:
            today = max(day, today) if today else day  # todays only go forward
            if report:
                quarter.results(today, deadline_days)
            quarter.plan(changes, today)
