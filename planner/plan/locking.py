"""What a re-plan may no longer move (docs/quarter.md §6): the past, and the lock_days working days from today.

The first day a plan may place a visit on follows from today, lock_days and the working days, and never moves
back: a visit once locked stays locked (a later re-plan with fewer lock_days unlocks nothing, and a re-plan's
today may not be earlier than the previous one's). Visits before that day are kept exactly as they are — with
the team they had, even when a change now says one of its officers was away or has left: the conflict is
reported for the coordinator to resolve (`missed:` places the visit again), and `verify` judges such a visit by
the version of the plan that placed it. When no working day is left — the period is over, or what remains is
locked — nothing is solved: the re-plan records its changes, and whatever they would add goes to
unscheduled.csv for the next period.
"""
from __future__ import annotations

from datetime import date, timedelta

from models.dataset import Dataset
from models.problems import UserError
from planner.plan.changes import removed
from planner.plan.model import Plan, Unscheduled, Visit
from planner.plan.record import PlanRecord
from planner.plan.today import first_plan_day
from planner.schedule.problem import VisitRequest


def first_unlocked(workdays: list[date], today: date, lock_days: int) -> date | None:
    """The first working day a re-plan may place a visit on: the lock_days working days from today (today
    included when it is one) are locked — the business and the team may already have been told. None when the
    period has no such day left."""
    ahead = [day for day in workdays if day >= today]
    return ahead[lock_days] if lock_days < len(ahead) else None


def free_from(dataset: Dataset, today: date | None, earlier: date | None = None, *, first: bool = False
              ) -> date | None:
    """The first day a plan made on `today` may place a visit on: None without a today (the whole period is
    free); for a first plan, planner.plan.today's rule (the whole period before it starts or once it is over);
    for a re-plan, the day after the period when no working day is left unlocked, and never before `earlier`
    (the plan's previous version's)."""
    if today is None:
        return earlier
    if first:
        day = first_plan_day(dataset.workdays, dataset.settings, today)
        return day or (dataset.workdays[0] if dataset.workdays else after_period(dataset.settings.end))
    day = first_unlocked(dataset.workdays, today, dataset.settings.lock_days) or after_period(dataset.settings.end)
    return max(day, earlier) if earlier else day


def after_period(end: date) -> date:
    return end + timedelta(days=1)


def recorded_today(record: PlanRecord | None) -> date | None:
    """The today a plan was made with (record.json → parameters), or None."""
    return _recorded_day(record, "today")


def recorded_free_from(record: PlanRecord | None) -> date | None:
    """The first day the plan could place a visit on, as its record says (free_from)."""
    if recorded_today(record) is None:
        return None
    return _recorded_day(record, "first_unlocked_day") or after_period(record.period.end)


def _recorded_day(record: PlanRecord | None, key: str) -> date | None:
    if record is None:
        return None
    text = {**record.draw.parameters, **record.parameters}.get(key)
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        raise UserError(f"record.json 的 parameters.{key}「{text}」不是日期；请恢复程序生成的原文件") from None


def free_parameters(today: date | None, start: date | None, end: date) -> dict:
    """What record.json keeps of it: today, and the first free day (null when none was left)."""
    if today is None:
        return {}
    return {"today": today.isoformat(), "first_unlocked_day": start.isoformat() if start and start <= end else None}


def check_today(previous: Plan | None, today: date | None) -> None:
    """A re-plan of a plan that knew today knows today too, and not an earlier one: what was past or locked then
    is past or locked still."""
    before = recorded_today(previous.record) if previous is not None else None
    if before is not None and (today is None or today < before):
        raise UserError(f"上一版方案是按今天为 {before} 重排的，{'本次重排须给出今天的日期' if today is None else f'今天 {today} 早于它'}："
                        "当时已过去或已锁定的检查不能再改动。请用 --today 给出不早于 "
                        f"{before} 的日期（缺省为系统日期）")


def kept_visits(previous: Plan | None, start: date | None, missed: list[str]) -> list[Visit]:
    """The previous plan's visits a re-plan keeps as they are: those before `start` (past or locked), except
    the ones whose team could not go (`missed`: this re-plan's), which are placed again."""
    if previous is None or start is None:
        return []
    return [v for v in previous.visits if v.date < start and v.credit_code not in missed]


def kept_conflicts(dataset: Dataset, kept: list[Visit], today: date) -> list[str]:
    """What the changes now say against a kept visit — an officer away on its day, or removed before a locked
    visit (a past one was theirs before they left), an inspector-day over its minutes —, one sentence each
    (简体中文) for the coordinator: the visit keeps its team."""
    out, minutes = [], {}
    for v in kept:
        when = "已过去" if v.date < today else "已锁定"
        for p in v.inspector_ids:
            minutes[p, v.date] = minutes.get((p, v.date), 0) + v.minutes
            gone = removed(dataset, p)
            if p in dataset.inspector and not dataset.is_present(p, v.date) and not (gone and v.date < today):
                person = dataset.inspector[p]
                away = "已移出名录" if gone else f"在 {v.date} 不在岗"
                out.append(f"{person.name}（{p}）{away}，但 {v.date} 对 {v.business_name}（{v.credit_code}）的检查{when}，"
                           f"仍由原检查组执行，未作调整：请与检查组核实；若该检查未能成行，请用 missed:{v.credit_code} 重排")
    for (p, day), total in sorted(minutes.items()):
        person = dataset.inspector.get(p)
        if person is not None and total > person.day_minutes:
            out.append(f"{person.name}（{p}）在 {day} 已安排的检查共 {total} 分钟，超过现在的每日上限 {person.day_minutes} "
                       "分钟；该日的检查已过去或已锁定，未作调整：请与检查组核实")
    return out


def no_day_left(requests: list[VisitRequest], today: date, dataset: Dataset) -> list[Unscheduled]:
    """Every visit still to place, when no working day is left: unscheduled, for the next period."""
    why = (f"本期已结束（今天为 {today}）" if today > dataset.settings.end
           else f"本期剩余的工作日都在锁定期（{dataset.settings.lock_days} 个工作日）内")
    return [Unscheduled(r.credit_code, r.item_ids, f"{why}，没有可以安排的日期：请转下期安排", r.kind)
            for r in requests]


def period_over_note(today: date, dataset: Dataset, left: int) -> str:
    why = "本期已结束" if today > dataset.settings.end else "本期剩余的工作日都在锁定期内"
    return (f"{why}：过去和锁定的检查都保持原样，本次重排只记录变化，没有重新求解"
            + (f"；{left} 项检查无法再安排，已列入 unscheduled.csv（请转下期）" if left else ""))
