"""One iCalendar (.ics) file per inspector with one event per visit, to import into phone calendars.

Events are all-day (DTSTART;VALUE=DATE): the plan fixes the day and the team, not the hour — a team orders
its visits of the day on the spot — so a timed event would invent a precision the plan does not have, and
all-day dates need no time-zone data, so they show on the right day in any client.

The UID comes from (period, business, inspector): a business has at most one visit per period, so after a
re-plan moves the visit to another day the re-imported event replaces the old one instead of doubling it.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from icalendar import Calendar, Event

from planner.export.context import ExportContext
from planner.export.formatting import CONFIDENTIAL, LIST_JOIN, period_label, safe_file_name, write_files
from planner.plan.model import Visit

FOLDER = "日历"
PRODID = "-//inspection-planner//综合查一次 检查安排//ZH"
UID_DOMAIN = "inspection-planner"


def event_uid(period: str, credit_code: str, inspector_id: str) -> str:
    digest = hashlib.sha256(f"{period}|{credit_code}|{inspector_id}".encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def calendar_file_name(context: ExportContext, inspector_id: str) -> str:
    return safe_file_name(f"{inspector_id}_{context.inspector_name(inspector_id)}") + ".ics"


def write_calendars(context: ExportContext, out: Path) -> list[Path]:
    return write_files(out / FOLDER, ((calendar_file_name(context, inspector_id),
                                       inspector_calendar(context, inspector_id).to_ical())
                                      for inspector_id in context.assignments_by_inspector))


def inspector_calendar(context: ExportContext, inspector_id: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"检查安排 {context.inspector_name(inspector_id)} {period_label(context.period)}")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for assignment in context.assignments_by_inspector[inspector_id]:
        calendar.add_component(visit_event(context, context.visit[assignment.visit_id], inspector_id))
    return calendar


def visit_event(context: ExportContext, visit: Visit, inspector_id: str) -> Event:
    event = Event()
    event.add("uid", event_uid(context.period.text, visit.credit_code, inspector_id))
    event.add("dtstamp", context.timestamp)  # from the record, never the clock: same plan, same bytes
    event.add("dtstart", visit.date)
    event.add("dtend", visit.date + timedelta(days=1))
    event.add("summary", f"检查：{context.business_name(visit.credit_code, visit.business_name)}")
    event.add("location", location_text(context, visit))
    lat_lon = context.business_lat_lon(visit.credit_code)
    if lat_lon:
        event.add("geo", tuple(round(x, 6) for x in lat_lon))  # 6 decimals ≈ 0.1 m
    event.add("description", description_text(context, visit))
    event.add("class", "CONFIDENTIAL")
    event.add("transp", "OPAQUE")  # the day is taken, although the event has no hours
    return event


def location_text(context: ExportContext, visit: Visit) -> str:
    address = context.business_address(visit.credit_code)
    return " ".join(part for part in (context.town_name(visit.town_id), address) if part)


def description_text(context: ExportContext, visit: Visit) -> str:
    items = [f"  - {dept}：{LIST_JOIN.join(names)}" for dept, names in context.items_by_dept(visit.item_ids)]
    lines = [f"企业：{context.business_name(visit.credit_code, visit.business_name)}",
             f"统一社会信用代码：{visit.credit_code}",
             f"地点：{location_text(context, visit)}",
             "检查事项：", *items,
             f"牵头部门：{context.dept_name(visit.lead_dept_id)}",
             f"检查组：{context.team_text(visit)}",
             f"现场时长：{visit.minutes} 分钟",
             f"检查编号：{visit.visit_id}",
             CONFIDENTIAL]
    return "\n".join(lines)
