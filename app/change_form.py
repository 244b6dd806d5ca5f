"""The what-if forms: each builds one change from the values the user sees, checks it before anything is solved,
and adds it to the session's pending changes.

The add buttons' callbacks read the widgets' values when the button is clicked (st.session_state), never values
captured when the page was drawn: a date edited just before the click is the date that counts. Nothing here
offers a day before the first one a re-plan may change (today and lock_days, planner.plan.pipeline).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from app import charts, labels
from app.i18n import t
from models.dataset import Dataset
from models.problems import UserError
from models.records import RISK_LEVELS
from models.settings import CROSS_ZONE_MODES, RECHECK_TEAMS, SETTING_KEYS, QuietDays, ZoneBalance
from planner.check.hand_edit import allowed_days, hand_edit_problems
from planner.plan.changes import apply_changes
from planner.plan.model import Plan
from planner.whatif.describe import SETTING_WORDS, setting_name

PENDING = "whatif_pending"  # the change texts entered and not yet re-planned, in order
ERROR = "whatif_error"  # the last refused change, with the reason
CHOICES = {"cross_zone": CROSS_ZONE_MODES, "recheck_team": RECHECK_TEAMS}


@dataclass(frozen=True)
class Context:
    """What a change is checked against: the base dataset, the plan's own changes, the plan and its draw."""
    base: Dataset
    recorded: tuple[str, ...]  # the plan's changes since the base
    dataset: Dataset  # the base with those changes
    plan: Plan
    draw: object
    first_day: date  # the first working day a re-plan may change
    plan_key: tuple[int, int]  # the stored plan and version

    @property
    def open_days(self) -> list[date]:
        return [d for d in self.dataset.workdays if d >= self.first_day]


def pending() -> list[str]:
    return st.session_state.setdefault(PENDING, [])


def check(ctx: Context, changes: list[str]) -> None:
    """Every change, in order, through the planner's own checks (dates in order and in the period, codes exist);
    a UserError says what is wrong in words."""
    apply_changes(ctx.base, [*ctx.recorded, *changes])


def _add(ctx: Context, build) -> None:
    """Button callback: build the change from the widgets' current values, check it, keep it or say why not."""
    st.session_state.pop(ERROR, None)
    text = None
    try:
        text = build(ctx)
        check(ctx, [*pending(), text])
    except UserError as error:
        st.session_state[ERROR] = labels.changes_named(str(error), ctx.dataset, [*pending(), *filter(None, [text])])
        return
    pending().append(text)


def forms(ctx: Context) -> None:
    absent, people, urgent, hand, rules = st.tabs([t("f_absent"), t("f_people"), t("f_urgent"), t("f_hand"),
                                                   t("f_rules")])
    with absent:
        absence_form(ctx)
    with people:
        people_form(ctx)
    with urgent:
        urgent_form(ctx)
    with hand:
        hand_edit_form(ctx)
    with rules:
        rules_form(ctx)
    if st.session_state.get(ERROR):
        st.error(t("bad_change", error=st.session_state[ERROR]))


# --- absence ---------------------------------------------------------------------------------------------

def absence_form(ctx: Context) -> None:
    """Only the days a re-plan may change are offered (from the first unlocked working day on)."""
    ds, days = ctx.dataset, ctx.open_days
    a, b, c = st.columns([3, 1, 1])
    a.selectbox(t("inspector"), [p.inspector_id for p in ds.inspectors], key="absent_who",
                format_func=lambda p: labels.person_long(ds, p))
    b.date_input(t("from"), value=days[0], min_value=ctx.first_day, max_value=ds.settings.end, key="absent_from",
                 format="YYYY-MM-DD")
    c.date_input(t("to"), value=days[min(4, len(days) - 1)], min_value=ctx.first_day, max_value=ds.settings.end,
                 key="absent_to", format="YYYY-MM-DD")
    st.caption(t("absent_from_first", first=labels.day_long(ctx.first_day)))
    st.button(t("add_change"), key="add_absent", on_click=_add, args=(ctx, _absence))


def _absence(ctx: Context) -> str:
    s = st.session_state
    return f"absent:{s['absent_who']}:{s['absent_from'].isoformat()}:{s['absent_to'].isoformat()}"


# --- people ----------------------------------------------------------------------------------------------

def people_form(ctx: Context) -> None:
    ds = ctx.dataset
    st.markdown(t("add_person_heading"))
    a, b, c, d, e = st.columns([1, 1, 1, 1, 1])
    a.text_input(t("new_id"), key="new_id")
    b.text_input(t("new_name"), key="new_name")
    c.selectbox(t("department"), [x.dept_id for x in ds.departments], key="new_dept",
                format_func=lambda x: labels.dept(ds, x))
    d.selectbox(t("zone"), [z.zone_id for z in ds.zones], key="new_zone", format_func=lambda z: labels.zone(ds, z))
    e.checkbox(t("certified"), value=True, key="new_certified")
    st.button(t("add_person"), key="add_person", on_click=_add, args=(ctx, _person))
    st.markdown(t("remove_person_heading"))
    st.selectbox(t("inspector"), [p.inspector_id for p in ds.inspectors], key="remove_who",
                 format_func=lambda p: labels.person_long(ds, p))
    st.button(t("add_change"), key="add_remove", on_click=_add, args=(ctx, lambda _: f"remove:{st.session_state['remove_who']}"))


def _person(ctx: Context) -> str:
    s = st.session_state
    new_id, name = s["new_id"].strip(), s["new_name"].strip()
    if not new_id or not name:
        raise UserError(t("need_id_and_name"))
    if ":" in new_id + name or "：" in new_id + name:
        raise UserError(t("no_colon"))
    return f"add:{new_id}:{name}:{s['new_dept']}:{s['new_zone']}" + ("" if s["new_certified"] else ":false")


# --- urgent and missed visits ----------------------------------------------------------------------------

def urgent_form(ctx: Context) -> None:
    ds = ctx.dataset
    st.markdown(t("urgent_heading"))
    st.selectbox(t("find_business"), [b.credit_code for b in ds.businesses], index=None, key="urgent_code",
                 placeholder=t("find_business_hint"),
                 format_func=lambda c: f"{ds.business[c].name} · {labels.town(ds, ds.business[c].town_id)} · {c}")
    a, b = st.columns([1, 2])
    a.checkbox(t("has_deadline"), key="urgent_has_deadline")
    b.date_input(t("deadline"), value=ctx.open_days[-1], min_value=ctx.first_day, max_value=ds.settings.end,
                 key="urgent_deadline", format="YYYY-MM-DD", disabled=not st.session_state.get("urgent_has_deadline"))
    st.button(t("add_urgent"), key="add_urgent", on_click=_add, args=(ctx, _urgent))
    kept = [v for v in ctx.plan.visits if v.date < ctx.first_day and v.kind != "recheck"
            and not any(r.visit_id == v.visit_id for r in ctx.plan.results)]
    if kept:
        st.markdown(t("missed_heading"))
        codes = [v.credit_code for v in kept]
        st.selectbox(t("visit"), codes, key="missed_code",
                     format_func=labels.words_of(codes, lambda c: _visit_label(ctx, c)))
        st.button(t("add_missed"), key="add_missed", on_click=_add,
                  args=(ctx, lambda _: f"missed:{st.session_state['missed_code']}"))


def _urgent(ctx: Context) -> str:
    s = st.session_state
    if not s.get("urgent_code"):
        raise UserError(t("pick_business_first"))
    return f"urgent:{s['urgent_code']}" + (f":{s['urgent_deadline'].isoformat()}" if s.get("urgent_has_deadline") else "")


def _visit_label(ctx: Context, credit_code: str) -> str:
    visit = next(v for v in ctx.plan.visits if v.credit_code == credit_code)
    return f"{labels.day_long(visit.date)} · {labels.business(ctx.dataset, credit_code, visit.business_name)} · " \
           f"{labels.team(ctx.dataset, visit.inspector_ids)}"


# --- a hand edit of one visit ------------------------------------------------------------------------------

def hand_edit_form(ctx: Context) -> None:
    """Another day, or another officer of the visit's random shortlist. The days a move may take are shown first
    (a calendar of the days that satisfy every rule for that visit); a choice is checked once it is made."""
    ds = ctx.dataset
    movable = [v.credit_code for v in sorted(ctx.plan.visits, key=lambda v: (v.date, v.visit_id))
               if v.date >= ctx.first_day and v.kind != "recheck"]
    if not movable:
        st.caption(t("nothing_movable"))
        return
    code = st.selectbox(t("visit"), movable, key="hand_code", index=None, placeholder=t("pick_visit"),
                        format_func=labels.words_of(movable, lambda c: _visit_label(ctx, c)))
    if code is None:
        return
    visit = next(v for v in ctx.plan.visits if v.credit_code == code)
    how = st.radio(t("hand_how"), ["move", "swap"], key="hand_how", horizontal=True,
                   format_func=labels.words_of(["move", "swap"], lambda x: t(f"hand_{x}")))
    if how == "move":
        allowed = _allowed_days(ctx, code)
        st.caption(t("hand_days", n=len(allowed), day=labels.day_long(visit.date)))
        st.altair_chart(charts.allowed_days_chart(ctx.open_days, allowed, visit.date), width="stretch",
                        key="hand_calendar")
        if not allowed:
            st.info(t("hand_no_day"))
            return
        day = st.selectbox(t("new_day"), allowed, key=f"hand_day_{code}", index=None, placeholder=t("pick_day"),
                           format_func=labels.day_long)
        change = f"move:{code}:{day.isoformat()}" if day else None
    else:
        a, b = st.columns(2)
        out = a.selectbox(t("officer_out"), list(visit.inspector_ids), key="hand_out", index=None,
                          placeholder=t("choose"), format_func=lambda p: labels.person_long(ds, p))
        dept_id = ds.inspector[out].dept_id if out in ds.inspector else ""
        others = [p for p in ctx.draw.shortlist(code, dept_id) if p not in visit.inspector_ids] if out else []
        if out and not others:
            st.caption(t("no_other_on_shortlist"))
            return
        into = b.selectbox(t("officer_in"), others, key="hand_in", index=None, placeholder=t("choose"),
                           format_func=lambda p: labels.person_long(ds, p), disabled=not out)
        change = f"swap:{code}:{out}:{into}" if out and into else None
    problems = _hand_problems(ctx, change) if change else []
    for problem in problems:
        st.error(problem)
    if change and not problems:
        st.success(t("hand_ok"))
    st.button(t("add_change"), key="add_hand", disabled=change is None or bool(problems), on_click=_add,
              args=(ctx, _hand_change))


def _allowed_days(ctx: Context, code: str) -> list:
    """The open days the visit may move to with its team, every rule checked (once per plan version and visit)."""
    found = st.session_state.setdefault("hand_days", {})
    key = (ctx.plan_key, code)
    if key not in found:
        urgent = apply_changes(ctx.base, list(ctx.recorded)).urgent
        found[key] = allowed_days(ctx.base, ctx.plan, ctx.draw, code, ctx.open_days, urgent)
    return found[key]


def _hand_change(ctx: Context) -> str:
    """Built again from the widgets at click time; refused when a rule is broken."""
    s = st.session_state
    code = s.get("hand_code")
    day = s.get(f"hand_day_{code}")
    if s.get("hand_how") == "move" and code and day:
        change = f"move:{code}:{day.isoformat()}"
    elif s.get("hand_how") == "swap" and code and s.get("hand_out") and s.get("hand_in"):
        change = f"swap:{code}:{s['hand_out']}:{s['hand_in']}"
    else:
        raise UserError(t("hand_incomplete"))
    problems = _hand_problems(ctx, change)
    if problems:
        raise UserError("；".join(problems))
    return change


def _hand_problems(ctx: Context, change: str) -> list[str]:
    """The hard rules the edit would break, in words; checked once per plan version and edit."""
    checked = st.session_state.setdefault("hand_checks", {})
    key = (ctx.plan_key, change)
    if key not in checked:
        urgent = apply_changes(ctx.base, list(ctx.recorded)).urgent
        problems = hand_edit_problems(ctx.base, ctx.plan, ctx.draw, change, urgent)
        checked[key] = [labels.changes_named(p, ctx.dataset, [change]) for p in problems]
    return checked[key]


# --- rules, ratios and capacity --------------------------------------------------------------------------

def rules_form(ctx: Context) -> None:
    ds = ctx.dataset
    keys = [k for k, key in SETTING_KEYS.items() if key.changeable]
    a, b = st.columns(2)
    key = a.selectbox(t("setting"), keys, key="set_key", format_func=setting_name)
    current = getattr(ds.settings, key, "")
    if key in CHOICES:
        b.selectbox(t("new_value"), list(CHOICES[key]), key=f"set_value_{key}",
                    index=list(CHOICES[key]).index(current) if current in CHOICES[key] else 0,
                    format_func=lambda v: SETTING_WORDS.get(key, {}).get(v, v))
    else:
        b.text_input(t("new_value"), value=_setting_text(key, current), key=f"set_value_{key}",
                     help=SETTING_KEYS[key].meaning)
    st.button(t("add_change"), key="add_setting", on_click=_add, args=(ctx, _setting))
    st.markdown(t("ratio_heading"))
    c, d, e = st.columns([3, 1, 1])
    item = c.selectbox(t("item_name"), [i.item_id for i in ds.items], key="ratio_item",
                       format_func=lambda i: f"{labels.item(ds, i)} · {labels.dept(ds, ds.item[i].dept_id)}")
    level = d.selectbox(t("risk"), list(RISK_LEVELS), key="ratio_level",
                        format_func=labels.words_of(RISK_LEVELS, lambda r: t("risk_class", level=r)))
    e.number_input(t("ratio"), 0.0, 1.0, float(ds.item[item].ratios.get(level, 0.0)), 0.01, key=f"ratio_{item}_{level}")
    st.button(t("add_change"), key="add_ratio", on_click=_add, args=(ctx, _ratio))
    st.markdown(t("minutes_heading"))
    f, g = st.columns([3, 1])
    who = f.selectbox(t("inspector"), [p.inspector_id for p in ds.inspectors], key="minutes_who",
                      format_func=lambda p: labels.person_long(ds, p))
    g.number_input(t("day_minutes"), 30, 720, int(ds.inspector[who].day_minutes), 30, key=f"minutes_{who}")
    st.button(t("add_change"), key="add_minutes", on_click=_add, args=(ctx, _minutes))


def _setting_text(key: str, value) -> str:
    """The current value as the settings parser reads it back (quiet days are typed anew)."""
    if value is None:
        return "全部" if key == "shortlist" else ""
    if isinstance(value, ZoneBalance):
        return f"ratio:{value.ratio:g}" if value.mode == "ratio" else value.mode
    if isinstance(value, QuietDays):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _setting(ctx: Context) -> str:
    s = st.session_state
    key = s["set_key"]
    value = str(s[f"set_value_{key}"]).strip()
    if not value:
        raise UserError(t("need_value"))
    return f"set:{key}={value}"


def _ratio(ctx: Context) -> str:
    s = st.session_state
    item, level = s["ratio_item"], s["ratio_level"]
    return f"ratio:{item}:{level}:{s['ratio_' + item + '_' + level]:g}"


def _minutes(ctx: Context) -> str:
    who = st.session_state["minutes_who"]
    return f"day_minutes:{who}:{int(st.session_state['minutes_' + who])}"
