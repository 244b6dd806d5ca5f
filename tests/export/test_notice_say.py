"""The 检查通知书's section 五: how to ask for other days (whom, until when, which days) and the visit's own 评价码."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from planner.export.context import ExportContext
from planner.export.visit_documents import Para, appointment_line, last_day_to_ask, notice_document, rating_line
from planner.plan.rating_code import rating_code

EARLY = date(2026, 9, 20)  # before the tiny period: every notice shows only the week


def context(tiny, tiny_plan_dir, today=EARLY, **settings) -> ExportContext:
    dataset = replace(tiny, settings=replace(tiny.settings, **settings)) if settings else tiny
    return ExportContext.load(tiny_plan_dir, dataset, today)


def test_the_rating_line_carries_the_visits_own_code_and_who_never_sees_the_rating(tiny, tiny_plan_dir):
    ctx = context(tiny, tiny_plan_dir)
    visit = ctx.plan.visits[0]
    code = rating_code(ctx.record.salt_key, visit.visit_id)
    line = rating_line(ctx, visit)
    assert f"评价码：{code}" in line and "不向检查人员和检查部门公开" in line
    assert ctx.dept_name(visit.lead_dept_id) in line  # no rating page configured: the office enters it
    blocks = notice_document(ctx, visit, None).blocks
    assert any(isinstance(b, Para) and code in b.text for b in blocks)
    assert all(code not in rating_line(ctx, other) for other in ctx.plan.visits[1:])


def test_a_county_with_a_rating_page_and_a_contact_prints_both(tiny, tiny_plan_dir):
    ctx = context(tiny, tiny_plan_dir, rating_url="https://zf.example.cn/?page=rate",
                  notice_contact="县综合执法指挥中心，电话 0570-5012345")
    visit = ctx.plan.visits[0]
    assert "打开评价页面 https://zf.example.cn/?page=rate" in rating_line(ctx, visit)
    line = appointment_line(ctx, visit, with_day=False)
    assert "县综合执法指挥中心，电话 0570-5012345" in line and "10月8日至10月23日" in line


def test_the_last_day_to_ask_leaves_the_lock_days_and_never_gives_the_day_away(tiny, tiny_plan_dir):
    ctx = context(tiny, tiny_plan_dir)
    workdays, lock = tiny.workdays, tiny.settings.lock_days
    late = max(ctx.plan.visits, key=lambda v: v.date)
    by_day = last_day_to_ask(ctx, late, with_day=True)
    assert by_day == workdays[workdays.index(late.date) - lock - 1]
    week_start = next(d for d in workdays if d.isocalendar()[:2] == late.date.isocalendar()[:2])
    assert last_day_to_ask(ctx, late, with_day=False) == workdays[workdays.index(week_start) - lock - 1]
    assert f"请在{by_day.month}月{by_day.day}日前" in appointment_line(ctx, late, with_day=True)
    first = min(ctx.plan.visits, key=lambda v: v.date)
    soon = context(tiny, tiny_plan_dir, today=first.date)
    assert last_day_to_ask(soon, first, with_day=True) is None
    assert "检查日期已临近" in appointment_line(soon, first, with_day=True)
