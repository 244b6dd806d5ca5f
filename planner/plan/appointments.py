"""企业预约 in the plan folder: appointments.csv (every prefer/avoid request and what became of it), the reason of
a move an appointment caused (changes.csv), and the sentences the command line prints.

appointments.csv: one row per (request, visit of its business) — `change` (as written), `credit_code`,
`business_name`, `kind` (prefer | avoid), `start`, `end`, `visit_id` (empty: the business has no visit),
`date` (the visit's date in this plan), `honoured` (true | false), `reason` (why not, 简体中文).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from models.dataset import Dataset
from planner.output import csv_bytes, read_csv_rows
from planner.plan.model import Plan
from planner.plan.moves import MAKE_ROOM, Move
from planner.schedule.appointments import Booking, Decision

APPOINTMENTS_FILE = "appointments.csv"
APPOINTMENT_COLUMNS = ["change", "credit_code", "business_name", "kind", "start", "end", "visit_id", "date",
                       "honoured", "reason"]


def appointments_csv(dataset: Dataset, decisions: list[Decision], plan: Plan) -> bytes:
    dates = {v.visit_id: v.date.isoformat() for v in plan.visits}
    rows = []
    for d in decisions:
        a = d.appointment
        business = dataset.business.get(a.credit_code)
        rows.append([a.text, a.credit_code, business.name if business else "", a.kind, a.start.isoformat(),
                     a.end.isoformat(), d.visit_id, dates.get(d.visit_id, ""), "true" if d.honoured else "false",
                     d.reason])
    return csv_bytes(APPOINTMENT_COLUMNS, rows)


def read_appointments(folder) -> list[dict[str, str]]:
    """The rows of a plan folder's appointments.csv ([] when it has none)."""
    return read_csv_rows(Path(folder) / APPOINTMENTS_FILE)


def with_appointment_reasons(moves: list[Move], booking: Booking) -> list[Move]:
    """A move no other rule forced that an honoured appointment asked for says so in changes.csv."""
    honoured = {a.credit_code: a for appointments in booking.honoured().values() for a in appointments}
    return [replace(m, reason=f"应企业预约调整（{honoured[m.credit_code].words}）")
            if m.reason == MAKE_ROOM and m.credit_code in honoured and m.before_date != m.after_date else m
            for m in moves]


def decision_sentence(dataset: Dataset, decision: Decision) -> str:
    """One appointment's outcome, as the command line prints it."""
    a = decision.appointment
    business = dataset.business.get(a.credit_code)
    who = business.name if business else a.credit_code
    if decision.honoured:
        return f"企业预约已满足：{who}{a.words}"
    return f"企业预约未能满足：{who}{a.words}——{decision.reason}"
