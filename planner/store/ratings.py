"""企业评价: after its visit, a business rates it — satisfied or not, and a short comment — with the 评价码 on its
检查通知书 (planner.plan.rating_code); one rating per visit, kept in the store.

Privacy (docs/store.md): a rating row keeps the quarter, the departments of the visit, the answer, the comment
and the day it came in — no visit, business, date or officer; a digest of the quarter and the code refuses a second
rating of the same visit. Ratings are shown to the coordinator only (Action.RATINGS), aggregated per department
and per quarter, never per officer or visit; a group of fewer than MIN_GROUP ratings shows its count only, so a
department with one or two visits a quarter never shows who was rated how.
"""
from __future__ import annotations

import hashlib
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from models.credit_code import normalise_credit_code
from models.problems import UserError
from planner.plan.folder import read_plan
from planner.plan.model import Visit
from planner.plan.rating_code import normalise_rating_code, rating_code
from planner.store import schema
from planner.store.access import Action, require
from planner.store.accounts import User
from planner.store.location import database_url
from planner.store.store import PlanRow, Store

MIN_GROUP = 3  # ratings of a (department, quarter) below which neither the share nor the comments are shown
MAX_COMMENT = 200  # characters
VIA = {"page": "企业在评价页面提交", "office": "协调机构代为录入"}
WRONG_CODE = "统一社会信用代码或评价码不正确；请核对检查通知书“五、预约与评价”中的评价码"


@dataclass(frozen=True)
class RatedVisit:
    """The visit a code names, as far as a rating needs it."""
    period: str
    visit_key: str
    visit: Visit


@dataclass(frozen=True)
class RatingGroup:
    """The ratings of one department's visits in one quarter, as the coordinator sees them."""
    period: str
    dept_id: str
    count: int
    satisfied: int | None  # None below MIN_GROUP
    comments: tuple[str, ...]  # sorted (not in the order they came), empty below MIN_GROUP

    @property
    def satisfied_share(self) -> float | None:
        return None if self.satisfied is None else self.satisfied / self.count


def find_rated_visit(store: Store, credit_code: str, code: str) -> RatedVisit:
    """The visit of the business whose 评价码 `code` is, in the newest stored plan holding it; UserError when
    no plan's secret gives that code (the same message whichever part is wrong)."""
    business, written = normalise_credit_code(credit_code), normalise_rating_code(code)
    if not business or not written:
        raise UserError(WRONG_CODE)
    for row in reversed(store.plans()):
        salt_key = str(row.record.get("salt_key") or "")
        if not salt_key:
            continue
        for visit_id in (f"V{business}", f"R{business}"):
            if rating_code(salt_key, visit_id) == written:
                visit = _stored_visit(store, row, visit_id)
                if visit is not None:
                    period = str(row.record.get("period", ""))
                    key = hashlib.sha256(f"rating\n{period}\n{written}".encode()).hexdigest()
                    return RatedVisit(period, key, visit)
    raise UserError(WRONG_CODE)


def _stored_visit(store: Store, row: PlanRow, visit_id: str) -> Visit | None:
    with tempfile.TemporaryDirectory(prefix="planner-") as tmp:
        plan = read_plan(store.write_plan(row.id, Path(tmp) / "plan"))
    return next((v for v in plan.visits if v.visit_id == visit_id), None)


def submit_rating(store: Store, credit_code: str, code: str, satisfied: bool, comment: str, *, today: date,
                  via: str = "page") -> None:
    """Keep the rating of the visit `code` names — once, and only once the visit's day has come."""
    found = find_rated_visit(store, credit_code, code)
    if found.visit.date > today:
        raise UserError("这次检查还没有进行；请在检查结束后再评价")
    text = checked_comment(comment)
    try:
        with store.writing() as db:
            db.execute(schema.ratings.insert().values(
                period=found.period, visit_key=found.visit_key, dept_ids=list(found.visit.dept_ids),
                satisfied=bool(satisfied), comment=text, received_on=today, via=via))
    except sa.exc.IntegrityError:
        raise UserError("这次检查已经评价过了；每次检查只能评价一次") from None


def enter_rating(store: Store, user: User, credit_code: str, code: str, satisfied: bool, comment: str, *,
                 today: date) -> None:
    """A rating the coordinator's office enters for a business that sent it by phone or on paper."""
    require(user, Action.RATINGS)
    submit_rating(store, credit_code, code, satisfied, comment, today=today, via="office")


def checked_comment(comment: str) -> str:
    text = unicodedata.normalize("NFKC", comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise UserError(f"意见太长：最多 {MAX_COMMENT} 个字（现在 {len(text)} 个）")
    if any(unicodedata.category(ch).startswith("C") and ch not in "\n" for ch in text):
        raise UserError("意见中有控制字符；请只写文字")
    return text


def rating_groups(store: Store, user: User) -> list[RatingGroup]:
    """Per quarter and department (each department of a joint visit counts its rating): the coordinator's view."""
    require(user, Action.RATINGS)
    by_group: dict[tuple[str, str], list] = defaultdict(list)
    r = schema.ratings.c
    with store.engine.connect() as db:
        for row in db.execute(sa.select(r.period, r.dept_ids, r.satisfied, r.comment)):
            for dept_id in row.dept_ids:
                by_group[row.period, dept_id].append(row)
    return [_group(period, dept_id, rows) for (period, dept_id), rows in sorted(by_group.items())]


def _group(period: str, dept_id: str, rows: list) -> RatingGroup:
    if len(rows) < MIN_GROUP:
        return RatingGroup(period, dept_id, len(rows), None, ())
    return RatingGroup(period, dept_id, len(rows), sum(row.satisfied for row in rows),
                       tuple(sorted(row.comment for row in rows if row.comment)))


def ratings_figures(store: Store, period: str) -> dict:
    """The quarter's ratings for `status`: how many, and the satisfied share (None below MIN_GROUP)."""
    r = schema.ratings.c
    with store.engine.connect() as db:
        answers = list(db.execute(sa.select(r.satisfied).where(r.period == period)).scalars())
    share = round(sum(answers) / len(answers), 4) if len(answers) >= MIN_GROUP else None
    return {"ratings": len(answers), "ratings_satisfied_share": share}


def county_ratings(db: str | None, period: str) -> dict:
    """ratings_figures from the county's store (`db`, else PLANNER_DB_URL, else the data folder's planner.db);
    None for both figures when that store does not exist (status never creates one)."""
    url = database_url(db)
    if url.get_backend_name() == "sqlite" and not Path(str(url.database)).is_file():
        return {"ratings": None, "ratings_satisfied_share": None}
    store = Store(url)
    try:
        return ratings_figures(store, period)
    finally:
        store.close()
