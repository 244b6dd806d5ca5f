"""企业预约 in verify: appointments.csv against the recorded prefer/avoid changes and the plan's dates.

Every recorded request has its rows; a request said to be honoured is honoured by its visit's date; a refusal
gives its reason, and "no visit" is true of the plan. Whether a refused request could have been honoured is
the solver's answer, which `verify --resolve` checks by solving again.
"""
from __future__ import annotations

from pathlib import Path

from planner.plan.appointments import APPOINTMENTS_FILE, read_appointments
from planner.plan.model import Plan
from planner.schedule.appointments import NO_VISIT, Appointment


def appointment_findings(folder: Path, appointments: list[Appointment], plan: Plan) -> list[str]:
    """Findings (简体中文) about the plan's appointments; [] when every request is accounted for."""
    rows = read_appointments(folder)
    if not appointments and not rows:
        return []
    by_text = {a.text: a for a in appointments}
    visits = {v.visit_id: v for v in plan.visits}
    findings = []
    for missing in sorted(by_text.keys() - {row.get("change", "") for row in rows}):
        findings.append(f"[企业预约] record.json 记录的预约「{missing}」在 {APPOINTMENTS_FILE} 中没有结果。")
    for n, row in enumerate(rows, start=2):
        where = f"{APPOINTMENTS_FILE} 第{n}行"
        appointment = by_text.get(row.get("change", ""))
        if appointment is None:
            findings.append(f"[企业预约] {where}：预约「{row.get('change', '')}」不在 record.json 记录的变化中。")
            continue
        visit = visits.get(row.get("visit_id", ""))
        if row.get("honoured") == "true":
            if visit is None or not appointment.allows(visit.date):
                findings.append(f"[企业预约] {where}：记为已满足，但该检查"
                                f"{'不在方案中' if visit is None else f'安排在 {visit.date}'}，不符合预约。")
        elif not row.get("reason"):
            findings.append(f"[企业预约] {where}：记为未能满足，但没有写明原因。")
        elif row.get("reason") == NO_VISIT and any(v.credit_code == appointment.credit_code for v in plan.visits):
            findings.append(f"[企业预约] {where}：记为该对象本期没有检查，但方案中有它的检查。")
    return findings
