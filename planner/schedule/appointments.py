"""企业预约: the business's say on the date — days it asks for (`prefer:`) and days it cannot receive a check
(`avoid:`) — honoured as a restriction of the visit's days when the rules allow, else refused with the reason.

A request is decided before the solve where the data alone decide it (no visit, a visit already past or locked,
a hand edit, no working day left in the window, no team present in it); what remains narrows the visit's days
(VisitRequest.days), so a re-plan pins every other visit as before and moves only this one. Should the solver
then leave the narrowed visit out (the team's days are full), the request is refused for that reason and the
schedule is made again without it: a request never costs a visit.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from models.dataset import Dataset
from planner.schedule.engine import Schedule
from planner.schedule.problem import VisitRequest

PREFER, AVOID = "prefer", "avoid"
KINDS = (PREFER, AVOID)
NO_VISIT = "该对象本期没有安排检查（未被抽中，也没有紧急检查或复查），无需预约"
FULL = "所请时段内检查组的现场时间已排满（与其他检查冲突），按原规则安排"
HAND_EDIT = "协调员已手工调整该检查的日期或人员，以手工调整为准"


@dataclass(frozen=True, slots=True)
class Appointment:
    """One request of a business about the date of its visit: the days it asks for, or those it cannot do."""
    credit_code: str
    kind: str  # prefer | avoid
    start: date
    end: date  # inclusive
    text: str  # the change as written (prefer:CODE:FROM:TO)

    def allows(self, day: date) -> bool:
        inside = self.start <= day <= self.end
        return inside if self.kind == PREFER else not inside

    @property
    def words(self) -> str:
        days = f"{self.start:%m-%d}" if self.start == self.end else f"{self.start:%m-%d} 至 {self.end:%m-%d}"
        return f"希望在 {days} 接受检查" if self.kind == PREFER else f"在 {days} 不便接受检查"


@dataclass(frozen=True, slots=True)
class Decision:
    """What became of one appointment for one visit: honoured, or refused with the reason (简体中文)."""
    appointment: Appointment
    visit_id: str  # empty when the business has no visit in the plan
    honoured: bool
    reason: str = ""


@dataclass
class Booking:
    """The requests with the appointments that may be honoured applied to their days, and every decision."""
    requests: list[VisitRequest]
    decisions: list[Decision] = field(default_factory=list)
    original: dict[int, VisitRequest] = field(default_factory=dict)  # request index -> before narrowing

    def solve(self, schedule: Callable[[list[VisitRequest]], Schedule]) -> Schedule:
        """The schedule of the requests; a narrowed request the solver left out (not blocked for its own
        reasons) gets its days back, its appointments refused as FULL, and the schedule is made again."""
        while True:
            result = schedule(self.requests)
            stuck = [r for r, stage in result.left_out.items() if r in self.original and stage != "blocked"]
            if not stuck:
                return result
            for r in stuck:
                self.requests[r] = self.original.pop(r)
                visit_id = self.requests[r].visit_id
                self.decisions = [replace(d, honoured=False, reason=FULL) if d.visit_id == visit_id and d.honoured
                                  else d for d in self.decisions]

    def honoured(self) -> dict[str, list[Appointment]]:
        """Visit id -> the appointments its date honours."""
        out: dict[str, list[Appointment]] = {}
        for d in self.decisions:
            if d.honoured:
                out.setdefault(d.visit_id, []).append(d.appointment)
        return out


def book(dataset: Dataset, requests: list[VisitRequest], appointments: list[Appointment],
         kept: dict[str, tuple[str, date]], forced: set[int]) -> Booking:
    """Decide every appointment (in the order written) for the visits of its business: `requests` are the
    visits to place, `kept` the visits a re-plan keeps as they are (visit id -> (credit code, date)), `forced`
    the requests a hand edit places. A later `prefer:` of one business replaces its earlier one."""
    booking = Booking(list(requests))
    latest_prefer = {a.credit_code: a for a in appointments if a.kind == PREFER}
    by_code: dict[str, list[int]] = {}
    for r, request in enumerate(requests):
        by_code.setdefault(request.credit_code, []).append(r)
    for appointment in appointments:
        code = appointment.credit_code
        if appointment.kind == PREFER and latest_prefer[code] is not appointment:
            booking.decisions.append(Decision(appointment, "", False, f"已被之后的预约（{latest_prefer[code].words}）取代"))
            continue
        found = False
        for visit_id, (kept_code, day) in sorted(kept.items()):
            if kept_code == code:
                found = True
                booking.decisions.append(_kept_decision(dataset, appointment, visit_id, day))
        for r in by_code.get(code, []):
            found = True
            booking.decisions.append(_narrow(dataset, booking, r, appointment, r in forced))
        if not found:
            booking.decisions.append(Decision(appointment, "", False, NO_VISIT))
    return booking


def _kept_decision(dataset: Dataset, appointment: Appointment, visit_id: str, day: date) -> Decision:
    if appointment.allows(day):
        return Decision(appointment, visit_id, True, "已安排的日期本来就符合")
    return Decision(appointment, visit_id, False,
                    f"检查（{day:%m-%d}）已过去或在锁定期内（今天起 {dataset.settings.lock_days} 个工作日内的检查"
                    "已通知检查组和企业），不再调整")


def _narrow(dataset: Dataset, booking: Booking, r: int, appointment: Appointment, forced: bool) -> Decision:
    """Narrow request r's days by the appointment, or say why not (the request stays as it was)."""
    request = booking.requests[r]
    if request.blocker:
        return Decision(appointment, request.visit_id, False, f"该检查本身无法安排：{request.blocker}")
    if forced:
        return Decision(appointment, request.visit_id, False, HAND_EDIT)
    days = tuple(day for day in request.days if appointment.allows(day))
    if not days:
        return Decision(appointment, request.visit_id, False, _no_day(dataset, request, appointment))
    short = missing_officers(dataset, request, days)
    if short:
        return Decision(appointment, request.visit_id, False,
                        f"所请时段内，随机抽取的{short}执法人员凑不齐检查组（请假、回避或不在岗）")
    booking.original.setdefault(r, request)
    booking.requests[r] = replace(request, days=days)
    return Decision(appointment, request.visit_id, True)


def missing_officers(dataset: Dataset, request: VisitRequest, days: tuple[date, ...]) -> str:
    """The department (by name) whose shortlisted officers are too few on every one of `days`; "" when some day
    has enough of every department."""
    def short_on(day: date) -> str | None:
        for dept_id, need in request.needs.items():
            present = sum(day in dataset.presence.get(p, ()) for p in request.candidates[dept_id])
            if present < need:
                return dataset.department[dept_id].name
        return None
    found = [short_on(day) for day in days]
    return "" if None in found else found[0] or ""


def _no_day(dataset: Dataset, request: VisitRequest, appointment: Appointment) -> str:
    if appointment.kind == PREFER:
        open_days = [d for d in dataset.workdays if appointment.allows(d)]
        if not open_days:
            return "所请时段内没有本期还能安排的工作日（节假日、周末，或已过去、在锁定期内）"
        return "所请时段内的工作日都不符合该检查的日期规则（事项时间窗口、宁静日、部门间隔或期限等）"
    return "除所请时段外，本期已没有符合该检查日期规则的工作日"
