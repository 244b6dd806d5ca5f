"""Names instead of codes: departments, 片区, towns, people, items and businesses as a coordinator reads them."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from app.i18n import lang
from models.dataset import Dataset
from models.problems import UserError
from planner.plan.changes import parse_change
from planner.whatif.describe import dept_short_names, describe_change

WEEKDAYS_ZH = "一二三四五六日"


def dept(ds: Dataset, dept_id: str) -> str:
    """The department's name without the county prefix they share (市场监督管理局)."""
    return dept_short_names(ds).get(dept_id, dept_id)


def zone(ds: Dataset, zone_id: str) -> str:
    found = ds.zone.get(zone_id)
    return found.name if found else zone_id


def town(ds: Dataset, town_id: str) -> str:
    found = ds.town.get(town_id)
    return found.name if found else town_id


def person(ds: Dataset, inspector_id: str) -> str:
    found = ds.inspector.get(inspector_id)
    return found.name if found else inspector_id


def person_long(ds: Dataset, inspector_id: str) -> str:
    """'廖利民 · 市场监督管理局 · 城区片区': enough to pick the right person from a list."""
    found = ds.inspector.get(inspector_id)
    if found is None:
        return inspector_id
    return f"{found.name} · {dept(ds, found.dept_id)} · {zone(ds, found.zone_id)}"


def item(ds: Dataset, item_id: str) -> str:
    found = ds.item.get(item_id)
    return found.name if found else item_id


def business(ds: Dataset, credit_code: str, fallback: str = "") -> str:
    found = ds.business.get(credit_code)
    return found.name if found else (fallback or credit_code)


def team(ds: Dataset, inspector_ids) -> str:
    return "、".join(person(ds, p) for p in inspector_ids)


def day(d: date) -> str:
    """'10月8日' (English: '8 Oct')."""
    return d.strftime("%-d %b") if lang() == "en" else f"{d.month}月{d.day}日"


def table_day(d: date | None) -> str:
    """'2026-10-08': tables and files (sentences use day_long)."""
    return d.isoformat() if d else "—"


def quality(solver) -> str:
    """The solver's quality in words (planner.plan.record.SolverRecord.quality), in the session's language."""
    if solver is None:
        return "—"
    if lang() != "en":
        return solver.quality
    if solver.status == "OPTIMAL" or not any(not lv.optimal for lv in solver.levels) and solver.gap is not None:
        return "proven optimal"
    if solver.gap is None:
        return "some parts keep the greedy warm start; not proven optimal"
    first = next(lv for lv in solver.levels if not lv.optimal)
    return (f"{first.name.replace('_', ' ')} {first.value}, within {max(solver.gap, 0.0):.1%} of the best "
            f"(proven at least {first.bound}; every more important objective proven best)")


def short_day(d: date) -> str:
    """'10-08', for chart axes: sorts as it reads."""
    return d.strftime("%m-%d")


def weekday(d: date) -> str:
    return d.strftime("%a") if lang() == "en" else f"周{WEEKDAYS_ZH[d.weekday()]}"


def day_long(d: date) -> str:
    return f"{day(d)}（{weekday(d)}）" if lang() != "en" else f"{weekday(d)} {day(d)}"


def words_of(options, words) -> Callable:
    """A widget's format_func fixed in the language of the run that draws it (a widget's words are read back
    later, e.g. by a test, when the language may have changed)."""
    shown = {option: words(option) for option in options}
    return shown.get


def change(ds: Dataset, text: str) -> str:
    """A what-if change as a sentence (planner.whatif.describe), in the session's language."""
    if lang() != "en":
        return describe_change(ds, text)
    c = parse_change(text)
    a = c.args
    if c.kind == "absent":
        return f"{person(ds, a[0])} absent {a[1]} to {a[2]}"
    if c.kind == "add":
        return f"new officer {a[1]} ({dept(ds, a[2])}, {zone(ds, a[3])})"
    if c.kind == "remove":
        return f"{person(ds, a[0])} leaves the list"
    if c.kind == "urgent":
        return f"urgent visit to {business(ds, a[0])}" + (f" by {a[1]}" if len(a) > 1 else ", as soon as possible")
    if c.kind == "missed":
        return f"the visit to {business(ds, a[0])} did not happen: place it again"
    if c.kind == "move":
        return f"the visit to {business(ds, a[0])} moved by hand to {a[1]}"
    if c.kind == "swap":
        return f"on the visit to {business(ds, a[0])}, {person(ds, a[1])} replaced by {person(ds, a[2])} by hand"
    if c.kind == "set":
        return f"rule {a[0].replace('=', ' set to ')}"
    if c.kind == "ratio":
        return f"ratio of {item(ds, a[0])}, class {a[1]}: {a[2]}"
    if c.kind == "day_minutes":
        return f"{person(ds, a[0])}: {a[1]} minutes on site a day"
    return text


CODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]+(?![A-Za-z0-9])")


def named(message: str, ds: Dataset) -> str:
    """A planner message with the codes of people, towns, departments and items it quotes replaced by names
    (credit codes stay: they name a business exactly)."""
    def name(match: re.Match) -> str:
        code = match.group(0)
        for index, words in ((ds.inspector, person), (ds.town, town), (ds.department, dept), (ds.item, item)):
            if code in index:
                return words(ds, code)
        return code
    return CODE.sub(name, message)


def changes_named(message: str, ds: Dataset, changes) -> str:
    """A message that quotes change texts (absent:…), each replaced by its sentence, then `named`."""
    for text in sorted(set(changes), key=len, reverse=True):
        try:
            message = message.replace(f"「{text}」", f"「{describe_change(ds, text)}」")
        except UserError:
            continue
    return named(message, ds)
