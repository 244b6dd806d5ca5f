"""Why a drawn visit got no place in the plan, in words a coordinator can act on."""
from __future__ import annotations

from collections import defaultdict

from models.dataset import Dataset
from planner.schedule.engine import Schedule


def left_out_reasons(dataset: Dataset, schedule: Schedule) -> dict[int, str]:
    """Request index -> reason (简体中文) for every request the schedule left out."""
    minutes_of: dict[str, int] = defaultdict(int)
    for r, team in schedule.teams.items():
        for p in team.members:
            minutes_of[p] += schedule.requests[r].minutes
    reasons = {}
    for r, stage in schedule.left_out.items():
        request = schedule.requests[r]
        if stage == "blocked":
            reasons[r] = request.blocker
        elif stage == "teams":
            reasons[r] = _no_team_reason(dataset, request, minutes_of)
        else:
            reasons[r] = _no_day_reason(dataset, schedule.dropped_teams[r])
    return reasons


def _no_team_reason(dataset, request, minutes_of) -> str:
    """The scarcest department of the visit: its shortlisted officers' days against the work already on them."""
    zone = dataset.zone[request.zone_id].name
    def free_minutes(dept_id: str) -> int:
        people = request.candidates[dept_id]
        capacity = sum(len(dataset.presence[p]) * dataset.inspector[p].day_minutes for p in people)
        return capacity - sum(minutes_of[p] for p in people)

    dept_id = min(request.candidates, key=free_minutes)
    people = request.candidates[dept_id]
    present = sum(len(dataset.presence[p]) for p in people)
    booked = sum(minutes_of[p] for p in people)
    dept = dataset.department[dept_id].name
    day_minutes = dataset.inspector[people[0]].day_minutes if people else 360
    need_days = -(-(booked + request.minutes * request.needs[dept_id]) // day_minutes)
    if need_days <= present:  # the minutes would fit: the days are taken by visits in other towns
        return (f"{zone}本次抽中可派的持证{dept}执法人员 {len(people)} 名，本期共在岗 {present} 个人日，"
                f"但这些日子已排了其他乡镇的检查（每人每天只在一个乡镇检查），或与检查组其他成员没有共同在岗日；"
                f"可减少缺勤、增加该部门人员或调整 cross_zone 设置")
    return (f"{zone}本次抽中可派的持证{dept}执法人员 {len(people)} 名，本期共在岗 {present} 个人日；"
            f"已排检查加上本次共需约 {need_days} 个人日的现场时间，排不下。"
            f"可增加该部门人员、减少缺勤或调整 cross_zone 设置")


def _no_day_reason(dataset, team) -> str:
    names = "、".join(dataset.inspector[p].name for p in team.members)
    return (f"检查组（{names}）共同在岗的 {len(team.days)} 个工作日里，每天都已排满现场时间或需在其他乡镇检查；"
            f"可减少该组人员的缺勤、提高每日现场时长或调整抽取比例")
