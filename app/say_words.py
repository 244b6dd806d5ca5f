"""The words of the pages of issue #24 (the inspector's phone, the business's say, the rating page), in 简体中文 and
English, added to app.i18n.STRINGS when this module is imported — kept apart so that the pages merge without
touching i18n.py; fold them into it at will."""
from __future__ import annotations

from app.i18n import STRINGS

WORDS: dict[str, tuple[str, str]] = {
    # tabs
    "tab_phone": ("我的检查", "My visits"), "tab_business_say": ("企业预约与评价", "Businesses' say"),
    # the inspector's phone
    "phone_heading": ("{name}的检查（{dept}）", "{name}'s visits ({dept})"),
    "phone_no_officer": ("这个账号对应的执法人员 {id} 不在方案所用的数据集中；请联系协调员。",
                         "Officer {id} of this account is not in the plan's dataset; ask the coordinator."),
    "phone_no_plan": ("还没有可查看的检查安排。", "No schedule to show yet."),
    "phone_plan": ("检查安排：{name}（{period}）", "Schedule: {name} ({period})"),
    "phone_today": ("今天 · {day}", "Today · {day}"), "phone_week": ("本周其他日子", "Rest of this week"),
    "phone_later": ("之后的检查", "Later"), "phone_due": ("已过去、尚未登记结果", "Past, results not entered"),
    "phone_none_today": ("今天没有检查。", "No visit today."), "phone_none_week": ("本周没有其他检查。", "No other visit this week."),
    "phone_address": ("地址：{address}（{town}）", "Address: {address} ({town})"),
    "phone_team": ("检查组", "Team"), "phone_lead": ("牵头", "lead"), "phone_items": ("检查事项", "Items"),
    "phone_badge": ("执法证号 {badge}", "Badge {badge}"), "phone_no_badge": ("执法证号未登记", "no badge number"),
    "phone_checklist": ("检查内容（一表通查）", "Checklist"),
    "phone_entered": ("已登记 {done}/{n} 项", "{done}/{n} entered"),
    "phone_enter": ("登记结果（本部门事项）", "Enter results (our items)"),
    "phone_not_yet": ("检查当天起才能登记结果。", "Results can be entered from the visit's day."),
    "phone_checked_on": ("检查日期", "Checked on"),
    "phone_as_planned": ("检查组与计划一致", "Team as planned"),
    "phone_who_went": ("实际到场的本部门人员", "Who of our department went"),
    "phone_why": ("检查组变动的原因（必填）", "Why the team changed (required)"),
    "phone_why_missing": ("检查组与计划不一致时，请写明变动原因。", "Say why the team differed from the plan."),
    "phone_deviation": ("检查组变动：{why}", "Team changed: {why}"),
    "phone_save": ("保存结果", "Save results"),
    # the business's say (coordinator)
    "say_heading": ("企业预约", "Appointments"),
    "say_help": ("企业可请求安排在某几天接受检查，或说明哪几天不便接受检查。加入后在「假设分析」中重新排程：规则允许时满足，"
                 "否则说明原因；其他检查不受影响。",
                 "A business may ask for days, or say which days it cannot do. Re-plan in What-if: honoured when the "
                 "rules allow, otherwise the reason is given; other visits stay."),
    "say_business": ("企业", "Business"), "say_kind": ("请求", "Request"),
    "say_prefer": ("希望安排在这几天", "Prefers these days"), "say_avoid": ("这几天不便接受检查", "Cannot do these days"),
    "say_from": ("从", "From"), "say_to": ("到", "To"), "say_add": ("加入待重排的变化", "Add to the pending changes"),
    "say_added": ("已加入：{change}。请到「假设分析」重新排程。", "Added: {change}. Re-plan in What-if."),
    "say_pending": ("待重排的企业预约：", "Pending appointments:"),
    "say_outcomes": ("当前方案中的企业预约", "Appointments in the current plan"),
    "say_none": ("当前方案没有企业预约。", "The current plan has no appointments."),
    "say_outcome": ("结果", "Outcome"), "say_reason": ("原因", "Reason"), "say_visit_day": ("检查日期", "Visit day"),
    "say_honoured": ("已满足", "honoured"), "say_refused": ("未能满足", "not honoured"),
    "say_no_open_day": ("本期已没有可调整的工作日。", "No working day left to change."),
    "ratings_heading": ("企业评价（按部门和季度汇总）", "Ratings (per department and quarter)"),
    "ratings_rule": ("评价只按部门和季度汇总，不显示到人、到次；不足 {n} 条的只显示条数。检查人员和部门看不到评价。",
                     "Ratings are shown per department and quarter only, never per officer or visit; fewer than {n} "
                     "show their count only. Officers and departments never see them."),
    "ratings_none": ("还没有企业评价。", "No rating yet."),
    "ratings_period": ("季度", "Quarter"), "ratings_dept": ("部门", "Department"), "ratings_count": ("评价数", "Ratings"),
    "ratings_satisfied": ("满意", "Satisfied"), "ratings_share": ("满意率", "Satisfied share"),
    "ratings_comments": ("意见", "Comments"),
    "ratings_office": ("代企业录入评价（电话或书面提交的）", "Enter a rating sent by phone or on paper"),
    # the rating page (no account)
    "rate_title": ("检查评价", "Rate an inspection"),
    "rate_help": ("请输入检查通知书“五、预约与评价”中的评价码。评价不向检查人员和检查部门公开，只按部门和季度汇总；每次检查只能评价一次。",
                  "Enter the rating code of your notice (section 5). Officers and departments never see ratings; "
                  "they are summed per department and quarter. One rating per inspection."),
    "rate_code": ("统一社会信用代码", "Unified social credit code"), "rate_rating_code": ("评价码", "Rating code"),
    "rate_answer": ("对本次检查", "This inspection"), "rate_yes": ("满意", "Satisfied"), "rate_no": ("不满意", "Not satisfied"),
    "rate_comment": ("意见（可不填，200 字以内）", "Comment (optional, up to 200 characters)"),
    "rate_send": ("提交评价", "Send"), "rate_thanks": ("已收到评价，谢谢！", "Thank you: your rating is kept."),
}
STRINGS.update(WORDS)
