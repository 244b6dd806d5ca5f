"""企业预约: prefer/avoid parsed like every change, honoured in a re-plan that moves only what it must, refused with
the reason when the rules do not allow them, written to appointments.csv, and checked by verify (and --resolve)."""
from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta

import pytest

from models.problems import UserError
from planner.check.appointments import appointment_findings
from planner.check.verify import verify_plan
from planner.output import read_csv_rows
from planner.plan.api import run_plan
from planner.plan.changes import apply_changes
from planner.schedule.appointments import FULL, NO_VISIT, Appointment, Booking, Decision
from planner.whatif.describe import describe_change

TIME_LIMIT_S = 10


def visit_of(plan, code):
    return next(v for v in plan.visits if v.credit_code == code)


def later_window(dataset, visit, days=3):
    """The last `days` working days of the period, none of them the visit's own date."""
    window = [d for d in dataset.workdays if d != visit.date][-days:]
    return window[0], window[-1]


@pytest.fixture(scope="module")
def asked(tiny, tiny_run):
    """A re-plan with one business asking for the period's last days and another avoiding its planned day."""
    first, second = tiny_run.plan.visits[0], tiny_run.plan.visits[-1]
    start, end = later_window(tiny, first)
    changes = [f"prefer:{first.credit_code}:{start}:{end}",
               f"avoid:{second.credit_code}:{second.date}:{second.date}"]
    run = run_plan(tiny, previous=tiny_run.plan, changes=changes, time_limit_s=TIME_LIMIT_S)
    return run, first, second, (start, end)


@pytest.mark.parametrize("change, words", [
    ("prefer:91330822XXXXXXXXXX:2026-10-12:2026-10-13", "不在检查对象名录库"),
    ("avoid:{code}:2026-10-20:2026-10-12", "早于"),
    ("prefer:{code}:2027-01-04:2027-01-08", "不在本期"),
    ("avoid:{code}:10/12:2026-10-13", "日期"),
    ("prefer:{code}:2026-10-12", "无法识别"),
])
def test_bad_appointments_get_a_clear_message(tiny, change, words):
    with pytest.raises(UserError, match=words):
        apply_changes(tiny, [change.format(code=tiny.businesses[0].credit_code)])


def test_the_same_appointment_twice_is_refused_and_each_is_described_in_words(tiny):
    code = tiny.businesses[0].credit_code
    change = f"avoid:{code}:2026-10-12:2026-10-13"
    with pytest.raises(UserError, match="已经登记过"):
        apply_changes(tiny, [change, change])
    assert apply_changes(tiny, [change]).appointments == [
        Appointment(code, "avoid", date(2026, 10, 12), date(2026, 10, 13), change)]
    for text in (change, f"prefer:{code}:2026-10-20:2026-10-22"):
        sentence = describe_change(tiny, text)
        assert tiny.businesses[0].name in sentence and "prefer" not in sentence and "avoid" not in sentence


def test_prefer_and_avoid_are_honoured_and_nothing_else_moves(asked, tiny_run):
    run, first, second, (start, end) = asked
    assert [d.honoured for d in run.appointments] == [True, True]
    assert start <= visit_of(run.plan, first.credit_code).date <= end
    assert visit_of(run.plan, second.credit_code).date != second.date
    before = {v.visit_id: (v.date, v.inspector_ids) for v in tiny_run.plan.visits}
    moved = {v.credit_code for v in run.plan.visits if before.get(v.visit_id) != (v.date, v.inspector_ids)}
    assert moved == {first.credit_code, second.credit_code}
    reasons = {m.credit_code: m.reason for m in run.moves}
    assert "应企业预约" in reasons[first.credit_code] and "应企业预约" in reasons[second.credit_code]


def test_appointments_csv_says_what_became_of_each_request(asked):
    run, first, _, _ = asked
    rows = list(csv_rows(run.files["appointments.csv"]))
    assert [r["honoured"] for r in rows] == ["true", "true"]
    assert rows[0]["date"] == visit_of(run.plan, first.credit_code).date.isoformat()
    assert rows[0]["business_name"] == first.business_name


def csv_rows(data: bytes):
    return csv.DictReader(io.StringIO(data.decode("utf-8-sig")))


def test_a_replan_with_appointments_verifies_and_solves_again_byte_for_byte(asked, tiny, tiny_plan_dir, tmp_path):
    run = asked[0]
    run.write(tmp_path / "asked")
    checked = verify_plan(tmp_path / "asked", tiny, resolve=True, previous=tiny_plan_dir)
    assert checked.findings == []


def test_refused_requests_say_why_and_leave_the_visit_where_it_was(tiny, tiny_run):
    plan = tiny_run.plan
    weekend = next(tiny.settings.start + timedelta(days=k) for k in range(14)
                   if tiny.settings.start + timedelta(days=k) not in set(tiny.workdays))
    on_weekend, team_away = plan.visits[1], plan.visits[2]
    undrawn = next(b.credit_code for b in tiny.businesses if b.credit_code not in {v.credit_code for v in plan.visits})
    start, end = later_window(tiny, team_away)
    dept = team_away.lead_dept_id
    away = [f"absent:{p}:{start}:{end}" for p in tiny_run.draw.shortlist(team_away.credit_code, dept)]
    changes = [*away, f"prefer:{on_weekend.credit_code}:{weekend}:{weekend}",
               f"prefer:{team_away.credit_code}:{start}:{end}", f"avoid:{undrawn}:{start}:{end}"]
    run = run_plan(tiny, previous=plan, changes=changes, time_limit_s=TIME_LIMIT_S)
    decisions = {d.appointment.credit_code: d for d in run.appointments}
    assert not any(d.honoured for d in decisions.values())
    assert "没有本期还能安排的工作日" in decisions[on_weekend.credit_code].reason
    assert "凑不齐" in decisions[team_away.credit_code].reason
    assert tiny.department[dept].name in decisions[team_away.credit_code].reason
    assert decisions[undrawn].reason == NO_VISIT and decisions[undrawn].visit_id == ""
    assert visit_of(run.plan, on_weekend.credit_code).date == on_weekend.date


def test_a_visit_already_locked_keeps_its_day_and_the_request_says_so(tiny, tiny_run):
    plan = tiny_run.plan
    today = plan.visits[0].date
    locked = plan.visits[0]
    start, end = later_window(tiny, locked)
    run = run_plan(tiny, previous=plan, changes=[f"prefer:{locked.credit_code}:{start}:{end}"], today=today,
                   time_limit_s=TIME_LIMIT_S)
    (decision,) = run.appointments
    assert not decision.honoured and "锁定期" in decision.reason
    assert visit_of(run.plan, locked.credit_code).date == locked.date


def test_a_later_prefer_replaces_the_earlier_one(tiny, tiny_run):
    visit = tiny_run.plan.visits[0]
    days = [d for d in tiny.workdays if d != visit.date]
    changes = [f"prefer:{visit.credit_code}:{days[-1]}:{days[-1]}", f"prefer:{visit.credit_code}:{days[-3]}:{days[-2]}"]
    run = run_plan(tiny, previous=tiny_run.plan, changes=changes, time_limit_s=TIME_LIMIT_S)
    earlier, later = run.appointments
    assert not earlier.honoured and "取代" in earlier.reason
    assert later.honoured and days[-3] <= visit_of(run.plan, visit.credit_code).date <= days[-2]


class FakeSchedule:
    def __init__(self, left_out):
        self.left_out = left_out


def test_a_narrowed_visit_the_solver_leaves_out_gets_its_days_back_and_the_request_is_refused(tiny, tiny_run):
    """The solver's side of Booking: the first schedule leaves the narrowed request out, the second places it."""
    from planner.schedule.problem import visit_requests
    requests = visit_requests(tiny, tiny_run.draw)
    request = requests[0]
    appointment = Appointment(request.credit_code, "prefer", request.days[-1], request.days[-1], "prefer:…")
    booking = Booking([replace(request, days=request.days[-1:]), *requests[1:]],
                      [Decision(appointment, request.visit_id, True)], {0: request})
    seen = []

    def schedule(given):
        seen.append(given[0].days)
        return FakeSchedule({0: "days"} if len(seen) == 1 else {})

    booking.solve(schedule)
    assert seen == [request.days[-1:], request.days]
    assert booking.decisions == [Decision(appointment, request.visit_id, False, FULL)]


def test_verify_names_an_appointment_said_honoured_that_is_not(asked, tmp_path):
    run, first, _, _ = asked
    folder = tmp_path / "plan"
    run.write(folder)
    rows = read_csv_rows(folder / "appointments.csv")
    assert appointment_findings(folder, requested(run), run.plan) == []
    text = (folder / "appointments.csv").read_text(encoding="utf-8-sig")
    moved_back = replace(run.plan, visits=[replace(v, date=first.date) if v.credit_code == first.credit_code else v
                                           for v in run.plan.visits])
    findings = appointment_findings(folder, requested(run), moved_back)
    assert any("记为已满足" in f and "第2行" in f for f in findings)
    (folder / "appointments.csv").write_text(text.replace(rows[1]["change"], "avoid:X:2026-10-12:2026-10-12"),
                                             encoding="utf-8")
    findings = appointment_findings(folder, requested(run), run.plan)
    assert any("没有结果" in f for f in findings) and any("不在 record.json" in f for f in findings)


def requested(run):
    return [d.appointment for d in run.appointments]


def test_an_appointment_in_the_record_without_its_file_is_named(asked, tmp_path):
    run = asked[0]
    folder = tmp_path / "plan"
    run.write(folder)
    (folder / "appointments.csv").unlink()
    assert len(appointment_findings(folder, requested(run), run.plan)) == 2
