"""Arguments several commands read the same way."""
from __future__ import annotations

from datetime import date

from models.problems import UserError
from models.schema import BadValue, iso_date


def today_arg(text: str | None) -> date:
    """--today, read like any date of the dataset; the real date when absent."""
    if text is None:
        return date.today()
    try:
        return iso_date(text)
    except BadValue as bad:
        raise UserError(f"--today {text}：{bad.message}。{bad.fix}") from None
