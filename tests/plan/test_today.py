"""A first plan and the day it is made on (planner.plan.today): the whole period before it starts, from the first
unlocked working day inside it (saying how much is past), the whole period with a note once it is over; the
demonstration today of the fixtures; `plan --today` on the command line."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from planner.plan.api import run_plan
from planner.plan.locking import first_unlocked
from planner.plan.today import AFTER, BEFORE, INSIDE, plan_day, plan_today

ROOT = Path(__file__).resolve().parents[2]


def test_where_today_falls_in_the_period(tiny):
    s, days = tiny.settings, tiny.workdays
    assert plan_day(days, s, s.start).where == BEFORE and plan_day(days, s, date(2026, 9, 1)).first_day is None
    inside = plan_day(days, s, days[5])
    assert inside.where == INSIDE and inside.first_day == first_unlocked(days, days[5], s.lock_days)
    assert inside.past_days == days.index(inside.first_day) and inside.total_days == len(days)
    assert f"已有 {s.lock_days + 5} 个过去或锁定" in inside.sentence() and "方案从10月" in inside.sentence()
    after = plan_day(days, s, date(2026, 12, 3))
    assert after.where == AFTER and after.first_day is None and "仅供回顾或演示" in after.sentence()
    assert plan_day(days, s, days[-1]).where == AFTER  # nothing left to unlock: a review, planned whole


def test_a_first_plan_inside_the_period_places_nothing_on_a_past_day(tiny):
    today = tiny.workdays[5]
    run = run_plan(tiny, today=today, time_limit_s=10)
    first = plan_day(tiny.workdays, tiny.settings, today).first_day
    assert run.plan.visits and min(v.date for v in run.plan.visits) >= first
    assert run.record.parameters["first_unlocked_day"] == first.isoformat()


def test_the_demonstration_today_and_the_real_one(tiny):
    assert plan_today(None, tiny.settings, date(2026, 12, 3)) == (tiny.settings.today, True)
    assert plan_today(date(2026, 10, 12), tiny.settings, date(2026, 12, 3)) == (date(2026, 10, 12), False)
    real = replace(tiny.settings, today=None)
    assert plan_today(None, real, date(2026, 12, 3)) == (date(2026, 12, 3), False)
    assert "演示日期" in plan_day(tiny.workdays, tiny.settings, tiny.settings.today, demonstration=True).sentence()


def test_plan_on_the_command_line_says_where_today_is(tmp_path):
    def plan(*args) -> str:
        done = subprocess.run([sys.executable, "-m", "planner", "plan", "fixtures/tiny", "--quiet", *args], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        return done.stdout

    shown = plan("--out", str(tmp_path / "a"))  # the fixture's demonstration today: the whole period
    assert "演示日期" in shown and "全部 13 个工作日" in shown
    shown = plan("--out", str(tmp_path / "b"), "--today", "2026-10-15")
    assert "方案从10月19日（周一）起安排其余 5 个工作日" in shown
    visits = (tmp_path / "b" / "visits.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert visits and min(line.split(",")[1] for line in visits) >= "2026-10-19"
